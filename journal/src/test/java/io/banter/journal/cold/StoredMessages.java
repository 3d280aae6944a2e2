package io.banter.journal.cold;

import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.StoredMessageEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Stored messages as the engine writes them, with a body derived from (conversation, seq) so a
 * read can be checked byte for byte.
 */
final class StoredMessages
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final StoredMessageEncoder encoder = new StoredMessageEncoder();

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Encode the message for (conversation, seq) into {@link #buffer()}.
     *
     * @return its length.
     */
    int encode(final long conversationId, final long seq)
    {
        return encode(conversationId, seq, false);
    }

    /**
     * The same message recalled: flag 1 and an empty payload, as the engine stores a tombstone.
     */
    int encodeTombstone(final long conversationId, final long seq)
    {
        return encode(conversationId, seq, true);
    }

    private int encode(final long conversationId, final long seq, final boolean tombstone)
    {
        final int payloadLength = tombstone ? 0 : (int)((conversationId * 31 + seq * 7) % 200) + 1;
        for (int i = 0; i < payloadLength; i++)
        {
            payload.putByte(i, (byte)(conversationId + seq + i));
        }
        encoder.wrapAndApplyHeader(buffer, 0, header)
            .messageId(conversationId * 1_000_000 + seq)
            .conversationId(conversationId)
            .seq(seq)
            .senderUserId(conversationId + 100)
            .senderDeviceId(1)
            .clientMsgId(seq)
            .timestamp(seq * 1000)
            .contentType(0)
            .flags((short)(tombstone ? 1 : 0))
            .putPayload(payload, 0, payloadLength);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
