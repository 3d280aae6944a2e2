package io.banter.journal.cold;

import io.banter.codecs.ErrorCode;
import io.banter.codecs.HistoryDecoder;
import io.banter.engine.EngineContext;
import io.banter.engine.EngineOutput;
import io.banter.engine.event.EventPublisher;
import io.banter.engine.event.HistoryPage;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Answers history pages below the hot window from the cold tier, on the writer's thread: the
 * request travelled the same ring as the messages, so every message stored before it is in the
 * tier when it is read. The answer is encoded exactly as the engine encodes a hot page and put on
 * a reply ring, which the service thread drains to the gateway
 * ({@link ColdTierHost#pollReplies}).
 * <p>
 * Overflow: when the reply ring is full the answer is dropped and counted
 * ({@link #droppedReplies()}); the client's request times out and it asks again. Waiting instead
 * could deadlock with a service thread waiting for room in the request ring.
 */
final class ColdHistoryPages implements EngineOutput
{
    static final int REPLY = 1;
    /** A request: gatewayId, connectionId, correlationId, conversationId, beforeSeq, maxEntries, headSeq. */
    static final int REQUEST_LENGTH = 7 * Long.BYTES;

    private final ColdTier tier;
    private final OneToOneRingBuffer replies;
    private final EventPublisher publisher;
    private final HistoryPage page;
    // Written by the writer's thread only, read by the service thread for the counters.
    private volatile long droppedReplies;

    ColdHistoryPages(final ColdTier tier, final OneToOneRingBuffer replies, final EngineContext engineContext,
        final int maxMessageBytes)
    {
        this.tier = tier;
        this.replies = replies;
        this.page = new HistoryPage(engineContext.maxHistoryEntries(), engineContext.maxPageBytes(), maxMessageBytes);
        this.publisher = new EventPublisher(this, engineContext.maxPageBytes() + maxMessageBytes + 1024);
    }

    static void encodeRequest(
        final MutableDirectBuffer buffer,
        final long gatewayId,
        final long connectionId,
        final long correlationId,
        final long conversationId,
        final long beforeSeq,
        final int maxEntries,
        final long headSeq)
    {
        buffer.putLong(0, gatewayId);
        buffer.putLong(8, connectionId);
        buffer.putLong(16, correlationId);
        buffer.putLong(24, conversationId);
        buffer.putLong(32, beforeSeq);
        buffer.putLong(40, maxEntries);
        buffer.putLong(48, headSeq);
    }

    void onRequest(final DirectBuffer buffer, final int index)
    {
        answer(
            buffer.getLong(index),
            buffer.getLong(index + 8),
            buffer.getLong(index + 16),
            buffer.getLong(index + 24),
            buffer.getLong(index + 32),
            (int)buffer.getLong(index + 40),
            buffer.getLong(index + 48));
    }

    private void answer(
        final long gatewayId,
        final long connectionId,
        final long correlationId,
        final long conversationId,
        final long beforeSeq,
        final int maxEntries,
        final long headSeq)
    {
        page.reset();
        long seq = beforeSeq - 1;
        String failure = null;
        try
        {
            while (seq >= 1 && page.count() < maxEntries)
            {
                final int length = tier.read(conversationId, seq, page.buffer(), page.nextOffset());
                if (length < 0)
                {
                    failure = "message " + seq + " of conversation " + conversationId +
                        " is not in this member's cold tier";
                    break;
                }
                if (!page.add(length))
                {
                    break;
                }
                seq--;
            }
        }
        catch (final RuntimeException ex)
        {
            // A checksum that fails (ColdTierCorruptException) or a disk error: never served.
            failure = ex.getMessage();
        }
        if (null != failure && 0 == page.count())
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.ARCHIVED, HistoryDecoder.TEMPLATE_ID,
                "cannot read the cold tier: " + failure);
            return;
        }
        page.publish(publisher, gatewayId, connectionId, correlationId, conversationId, headSeq, seq >= 1);
    }

    /**
     * An encoded answer for {@code gatewayId}: onto the reply ring, behind the gateway id.
     */
    public void onEvent(final long gatewayId, final DirectBuffer buffer, final int offset, final int length)
    {
        final int index = replies.tryClaim(REPLY, Long.BYTES + length);
        if (index == RingBuffer.INSUFFICIENT_CAPACITY)
        {
            droppedReplies++;
            return;
        }
        final MutableDirectBuffer ring = replies.buffer();
        ring.putLong(index, gatewayId);
        ring.putBytes(index + Long.BYTES, buffer, offset, length);
        replies.commit(index);
    }

    long droppedReplies()
    {
        return droppedReplies;
    }
}
