package io.banter.perf.jmh;

import io.banter.engine.store.MessageStore;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A measurement aid, never used by a server: counts puts and keeps nothing, so a benchmark can
 * show what the engine costs apart from its hot tier.
 */
final class DiscardingMessageStore implements MessageStore
{
    private long size;
    private long bytes;

    public boolean isFull(final int messages, final long length)
    {
        return false;
    }

    public void replace(
        final long conversationId,
        final long seq,
        final DirectBuffer src,
        final int offset,
        final int length,
        final int previousLength)
    {
        bytes += length - previousLength;
    }

    public void put(final long conversationId, final long seq, final DirectBuffer src, final int offset, final int length)
    {
        size++;
        bytes += length;
    }

    public int get(final long conversationId, final long seq, final MutableDirectBuffer dst, final int dstOffset)
    {
        return -1;
    }

    public int remove(final long conversationId, final long seq)
    {
        return -1;
    }

    public long size()
    {
        return size;
    }

    public long bytes()
    {
        return bytes;
    }

    public void close()
    {
    }
}
