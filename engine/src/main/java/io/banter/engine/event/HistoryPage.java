package io.banter.engine.event;

import io.banter.codecs.BooleanType;
import io.banter.codecs.HistoryBatchEncoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.StoredMessageDecoder;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One history page being gathered: stored messages are copied into its buffer, newest first,
 * until the entry or byte budget is reached, then {@link #publish} encodes them as a
 * {@code HistoryBatch}, whose group count must be known before its entries. The engine fills it
 * from the hot tier, the cold tier's reader from disk; both answer alike. Reused, no allocation.
 */
public final class HistoryPage
{
    private final UnsafeBuffer buffer;
    private final int[] offsets;
    private final int maxPageBytes;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final StoredMessageDecoder storedDecoder = new StoredMessageDecoder();
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);
    private int count;
    private int bytes;

    /**
     * @param maxEntries            most messages a page may hold.
     * @param maxPageBytes          byte budget of a page's messages.
     * @param maxStoredMessageBytes largest stored message, which may be read past the budget before it is refused.
     */
    public HistoryPage(final int maxEntries, final int maxPageBytes, final int maxStoredMessageBytes)
    {
        this.offsets = new int[maxEntries];
        this.maxPageBytes = maxPageBytes;
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            (maxPageBytes + maxStoredMessageBytes + 63) & ~63, 64));
    }

    public void reset()
    {
        count = 0;
        bytes = 0;
    }

    /**
     * Where the next message is to be copied: {@link #buffer()} at {@link #nextOffset()}.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public int nextOffset()
    {
        return bytes;
    }

    /**
     * Take the message just copied to {@link #nextOffset()}.
     *
     * @return false, taking nothing, when it would exceed the page's byte budget.
     */
    public boolean add(final int length)
    {
        if (bytes + length > maxPageBytes)
        {
            return false;
        }
        offsets[count++] = bytes;
        bytes += length;
        return true;
    }

    public int count()
    {
        return count;
    }

    /**
     * Encode the page and deliver it to the connection that asked.
     */
    public void publish(
        final EventPublisher publisher,
        final long gatewayId,
        final long connectionId,
        final long correlationId,
        final long conversationId,
        final long headSeq,
        final boolean hasMore)
    {
        final HistoryBatchEncoder batch = publisher.historyBatch()
            .correlationId(correlationId)
            .conversationId(conversationId)
            .headSeq(headSeq)
            .hasMore(hasMore ? BooleanType.TRUE : BooleanType.FALSE);
        final HistoryBatchEncoder.MessagesEncoder messages = batch.messagesCount(count);
        for (int i = 0; i < count; i++)
        {
            headerDecoder.wrap(buffer, offsets[i]);
            storedDecoder.wrap(buffer, offsets[i] + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
                headerDecoder.version());
            messages.next()
                .seq(storedDecoder.seq())
                .messageId(storedDecoder.messageId())
                .senderUserId(storedDecoder.senderUserId())
                .senderDeviceId(storedDecoder.senderDeviceId())
                .clientMsgId(storedDecoder.clientMsgId())
                .timestamp(storedDecoder.timestamp())
                .contentType(storedDecoder.contentType())
                .flags(storedDecoder.flags());
            storedDecoder.wrapPayload(payloadView);
            messages.putPayload(payloadView, 0, payloadView.capacity());
        }
        publisher.deliver(gatewayId, connectionId, batch.limit());
    }
}
