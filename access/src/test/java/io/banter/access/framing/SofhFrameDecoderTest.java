package io.banter.access.framing;

import io.banter.codecs.framing.SimpleOpenFramingHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class SofhFrameDecoderTest
{
    @Test
    void framesSplitAcrossReadsAndSharingOneReadAreSeparated()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new SofhFrameDecoder(64));
        final ByteBuf stream = Unpooled.buffer();
        writeFrame(stream, 10, (byte)1);
        writeFrame(stream, 12, (byte)2);
        writeFrame(stream, 8, (byte)3);

        channel.writeInbound(stream.readRetainedSlice(7));
        assertNull(channel.readInbound(), "half a frame is not a frame");
        channel.writeInbound(stream.readRetainedSlice(stream.readableBytes()));
        assertBody(channel.readInbound(), 10, (byte)1);
        assertBody(channel.readInbound(), 12, (byte)2);
        assertBody(channel.readInbound(), 8, (byte)3);
        assertNull(channel.readInbound());
        stream.release();
    }

    @Test
    void withAListenerEachFrameIsHandedOverInPlaceAndNothingIsPassedOn()
    {
        final java.util.List<String> frames = new java.util.ArrayList<>();
        final EmbeddedChannel channel = new EmbeddedChannel(new SofhFrameDecoder(64,
            (ctx, buffer, index, length) -> frames.add(length + "x" + buffer.getByte(index) + "-" + buffer.getByte(index + length - 1))));
        final ByteBuf stream = Unpooled.buffer();
        writeFrame(stream, 10, (byte)1);
        writeFrame(stream, 12, (byte)2);

        channel.writeInbound(stream.readRetainedSlice(9));
        assertEquals(java.util.List.of(), frames, "half a frame is not a frame");
        channel.writeInbound(stream.readRetainedSlice(stream.readableBytes()));
        assertEquals(java.util.List.of("10x1-1", "12x2-2"), frames);
        assertNull(channel.readInbound(), "nothing goes on down the pipeline");
        stream.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void aFrameTheListenerLeavesWaitsWithThoseAfterItUntilTheNextRead()
    {
        final java.util.List<Integer> frames = new java.util.ArrayList<>();
        final boolean[] taking = {true};
        final EmbeddedChannel channel = new EmbeddedChannel(new SofhFrameDecoder(64,
            (ctx, buffer, index, length) ->
            {
                if (!taking[0])
                {
                    return false;
                }
                frames.add(length);
                taking[0] = frames.size() < 1;
                return true;
            }));
        final ByteBuf stream = Unpooled.buffer();
        writeFrame(stream, 10, (byte)1);
        writeFrame(stream, 11, (byte)2);
        writeFrame(stream, 12, (byte)3);
        channel.writeInbound(stream);
        assertEquals(java.util.List.of(10), frames, "the second frame was left");

        taking[0] = true;
        channel.writeInbound(Unpooled.EMPTY_BUFFER);
        assertEquals(java.util.List.of(10, 11), frames, "an empty read hands over the frame that was left");
        taking[0] = true;
        channel.writeInbound(Unpooled.EMPTY_BUFFER);
        assertEquals(java.util.List.of(10, 11, 12), frames, "and the one after it, in order");
        channel.finishAndReleaseAll();
    }

    @Test
    void aWrongEncodingTypeATooShortOrATooLongFrameIsCorrupt()
    {
        assertCorrupt(header(20, 0x1234));
        assertCorrupt(header(SimpleOpenFramingHeader.HEADER_LENGTH + 7, SimpleOpenFramingHeader.SBE_LITTLE_ENDIAN_ENCODING_TYPE));
        assertCorrupt(header(65, SimpleOpenFramingHeader.SBE_LITTLE_ENDIAN_ENCODING_TYPE));
    }

    private static void assertCorrupt(final ByteBuf header)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new SofhFrameDecoder(64));
        assertThrows(CorruptedFrameException.class, () -> channel.writeInbound(header));
        assertNull(channel.readInbound());
        channel.close();
        assertFalse(channel.isActive());
    }

    private static ByteBuf header(final int length, final int encodingType)
    {
        return Unpooled.buffer().writeInt(length).writeShort(encodingType).writeZero(8);
    }

    private static void writeFrame(final ByteBuf out, final int bodyLength, final byte fill)
    {
        out.writeInt(SimpleOpenFramingHeader.HEADER_LENGTH + bodyLength);
        out.writeShort(SimpleOpenFramingHeader.SBE_LITTLE_ENDIAN_ENCODING_TYPE);
        for (int i = 0; i < bodyLength; i++)
        {
            out.writeByte(fill);
        }
    }

    private static void assertBody(final ByteBuf body, final int length, final byte fill)
    {
        assertEquals(length, body.readableBytes());
        for (int i = 0; i < length; i++)
        {
            assertEquals(fill, body.getByte(body.readerIndex() + i));
        }
        body.release();
    }
}
