package io.banter.perf.storage;

import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.StoredMessageEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A stored message as the engine writes it (SBE header and {@code StoredMessage}, 64-byte
 * payload), re-encoded in place for each (conversation, seq) the storage benchmarks append.
 */
public final class SampleStoredMessage
{
    public static final int PAYLOAD_LENGTH = 64;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final StoredMessageEncoder encoder = new StoredMessageEncoder();

    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Encode the message for (conversation, seq) into {@link #buffer()} at 0.
     *
     * @return its length.
     */
    public int encode(final long conversation, final long seq)
    {
        encoder.wrapAndApplyHeader(buffer, 0, header)
            .messageId(conversation * 1_000_000_000L + seq)
            .conversationId(conversation)
            .seq(seq)
            .senderUserId(conversation)
            .senderDeviceId(1)
            .clientMsgId(seq)
            .timestamp(seq)
            .contentType(0)
            .flags((short)0)
            .putPayload(payload, 0, PAYLOAD_LENGTH);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
