package io.banter.journal.cold;

import io.banter.engine.store.MessageStore;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * The engine's message store with the cold tier written behind it: every message stored in the
 * hot tier, and every replacement, is handed in log order to the {@link ColdTierWriter} through
 * a bounded ring, so the cold tier is written off the engine thread from committed messages.
 * <p>
 * Overflow: when the writer has fallen a whole ring behind, the engine thread waits for room
 * (counted in {@link #backPressuredWaits()}); a message is never dropped from the cold tier.
 * A snapshot calls {@link #awaitDurable()} first, so everything the snapshot's hot tier covers is
 * on disk in the cold tier, and what comes after it is handed over again by the log's replay.
 */
public final class WriteBehindMessageStore implements MessageStore
{
    private final MessageStore hot;
    private final OneToOneRingBuffer ring;
    private final ColdTierWriter writer;
    private final IdleStrategy idleStrategy;
    private long backPressuredWaits;

    public WriteBehindMessageStore(
        final MessageStore hot, final OneToOneRingBuffer ring, final ColdTierWriter writer, final IdleStrategy idleStrategy)
    {
        this.hot = hot;
        this.ring = ring;
        this.writer = writer;
        this.idleStrategy = idleStrategy;
    }

    public boolean isFull(final int messages, final long length)
    {
        return hot.isFull(messages, length);
    }

    public void put(final long conversationId, final long seq, final DirectBuffer src, final int offset, final int length)
    {
        hot.put(conversationId, seq, src, offset, length);
        handOver(ColdTierWriter.APPEND, src, offset, length);
    }

    public void replace(
        final long conversationId,
        final long seq,
        final DirectBuffer src,
        final int offset,
        final int length,
        final int previousLength)
    {
        hot.replace(conversationId, seq, src, offset, length, previousLength);
        handOver(ColdTierWriter.REPLACE, src, offset, length);
    }

    public int get(final long conversationId, final long seq, final MutableDirectBuffer dst, final int dstOffset)
    {
        return hot.get(conversationId, seq, dst, dstOffset);
    }

    /**
     * Leaves the hot tier only: the cold tier keeps every message.
     */
    public int remove(final long conversationId, final long seq)
    {
        return hot.remove(conversationId, seq);
    }

    public long size()
    {
        return hot.size();
    }

    public long bytes()
    {
        return hot.bytes();
    }

    /**
     * Wait until everything handed over so far is forced to disk by the writer.
     *
     * @throws IllegalStateException when the writer has stopped, rather than wait for ever.
     */
    public void awaitDurable()
    {
        final long handedOver = ring.producerPosition();
        writer.requestDurable(handedOver);
        idleStrategy.reset();
        while (writer.durablePosition() < handedOver)
        {
            if (writer.isClosed())
            {
                throw new IllegalStateException("the cold tier writer has stopped; what it had not written is " +
                    "only in the log");
            }
            idleStrategy.idle();
        }
    }

    /**
     * Times the engine thread had to wait for the writer to make room.
     */
    public long backPressuredWaits()
    {
        return backPressuredWaits;
    }

    public void close()
    {
        hot.close();
    }

    /**
     * Hand {@code length} bytes of message type {@code type} to the writer behind everything
     * handed over so far; waits while the ring is full.
     */
    void handOver(final int type, final DirectBuffer src, final int offset, final int length)
    {
        if (ring.write(type, src, offset, length))
        {
            return;
        }
        backPressuredWaits++;
        idleStrategy.reset();
        while (!ring.write(type, src, offset, length))
        {
            idleStrategy.idle();
        }
    }
}
