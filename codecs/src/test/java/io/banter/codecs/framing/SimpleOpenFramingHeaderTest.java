package io.banter.codecs.framing;

import io.banter.codecs.HeartbeatEncoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.banter.codecs.framing.SimpleOpenFramingHeader.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SimpleOpenFramingHeaderTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    @Test
    void framesAnSbeMessageWithBigEndianLengthAndEncodingType()
    {
        final int sbeLength = new HeartbeatEncoder()
            .wrapAndApplyHeader(buffer, HEADER_LENGTH, new MessageHeaderEncoder())
            .nonce(42)
            .encodedLength() + MessageHeaderEncoder.ENCODED_LENGTH;

        final int frameLength = writeHeader(buffer, 0, sbeLength);

        assertEquals(HEADER_LENGTH + sbeLength, frameLength);
        assertEquals(0, buffer.getByte(0));
        assertEquals(frameLength, buffer.getByte(3) & 0xFF);
        assertEquals((byte)0xEB, buffer.getByte(4));
        assertEquals((byte)0x50, buffer.getByte(5));
        assertEquals(frameLength, frameLength(buffer, 0));
        assertEquals(VALID, check(buffer, 0, frameLength, MessageHeaderDecoder.ENCODED_LENGTH, 1024));

        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, HEADER_LENGTH);
        assertEquals(HeartbeatEncoder.TEMPLATE_ID, header.templateId());
    }

    @Test
    void reportsWhatIsWrongWithAHeader()
    {
        writeHeader(buffer, 0, 100);
        assertEquals(INCOMPLETE, check(buffer, 0, 5, 8, 1024));
        assertEquals(TOO_LONG, check(buffer, 0, 6, 8, 64));

        writeHeader(buffer, 0, 2);
        assertEquals(TOO_SHORT, check(buffer, 0, 6, 8, 1024));

        writeHeader(buffer, 0, 100);
        buffer.putByte(5, (byte)0x51);
        assertEquals(BAD_ENCODING_TYPE, check(buffer, 0, 6, 8, 1024));
        assertEquals("encoding type is not SBE little-endian 0xEB50", describe(BAD_ENCODING_TYPE));
    }
}
