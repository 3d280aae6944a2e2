package io.banter.engine.store;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Where message bodies live, keyed by (conversationId, seq). Each value is an SBE
 * {@code StoredMessage}. Bounded: {@link #isFull()} says a put of up to the largest message
 * would exceed the configured capacity, and the engine refuses the send rather than lose data.
 */
public interface MessageStore extends AutoCloseable
{
    /**
     * @return true when another message of {@code length} bytes does not fit.
     */
    default boolean isFull(final int length)
    {
        return isFull(1, length);
    }

    /**
     * @return true when {@code messages} more messages of {@code length} bytes in all do not fit.
     */
    boolean isFull(int messages, long length);

    /**
     * Store a message; the key must not be present.
     */
    void put(long conversationId, long seq, DirectBuffer src, int offset, int length);

    /**
     * Replace a stored message of {@code previousLength} bytes by a version no longer than it
     * (a recall's tombstone), so a replacement never needs room the store does not have.
     */
    void replace(long conversationId, long seq, DirectBuffer src, int offset, int length, int previousLength);

    /**
     * Copy a message into {@code dst} at {@code dstOffset}.
     *
     * @return its length, or -1 when the store does not hold it.
     */
    int get(long conversationId, long seq, MutableDirectBuffer dst, int dstOffset);

    /**
     * Remove a message (it left the hot tier; the archive behind it holds it).
     *
     * @return its length, or -1 when the store does not hold it.
     */
    int remove(long conversationId, long seq);

    long size();

    long bytes();

    void close();
}
