package io.banter.access.framing;

import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.framing.SimpleOpenFramingHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;

import java.util.List;

/**
 * Splits the TCP stream into SBE messages by their Simple Open Framing Header. A frame with a
 * wrong encoding type, a length below an SBE header or above the maximum is malformed: the
 * decoder raises {@link CorruptedFrameException} and the connection is closed; nothing else is
 * affected.
 * <p>
 * Frames go on as retained slices to the next handler, or, given a {@link FrameListener}, are
 * handed to it in place, which makes no object per frame (the gateway's inbound path). A
 * listener may leave frames in the buffer; a read of an empty buffer hands them to it again.
 */
public final class SofhFrameDecoder extends ByteToMessageDecoder
{
    private final int maxFrameLength;
    private final FrameListener listener;

    public SofhFrameDecoder(final int maxFrameLength)
    {
        this(maxFrameLength, null);
    }

    public SofhFrameDecoder(final int maxFrameLength, final FrameListener listener)
    {
        this.maxFrameLength = maxFrameLength;
        this.listener = listener;
    }

    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        while (in.readableBytes() >= SimpleOpenFramingHeader.HEADER_LENGTH)
        {
            final int start = in.readerIndex();
            final int encodingType = in.getUnsignedShort(start + 4);
            final int frameLength = in.getInt(start);
            if (encodingType != SimpleOpenFramingHeader.SBE_LITTLE_ENDIAN_ENCODING_TYPE)
            {
                throw corrupted(in, "encoding type is not SBE little-endian 0xEB50");
            }
            if (frameLength < SimpleOpenFramingHeader.HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH)
            {
                throw corrupted(in, "frame shorter than an SBE message header: " + frameLength);
            }
            if (frameLength > maxFrameLength)
            {
                throw corrupted(in, "frame of " + frameLength + " bytes exceeds the maximum " + maxFrameLength);
            }
            if (in.readableBytes() < frameLength)
            {
                return;
            }
            if (null != listener)
            {
                if (!listener.onFrame(ctx, in, start + SimpleOpenFramingHeader.HEADER_LENGTH,
                    frameLength - SimpleOpenFramingHeader.HEADER_LENGTH))
                {
                    return;
                }
                in.readerIndex(start + frameLength);
                if (ctx.isRemoved())
                {
                    return;
                }
            }
            else
            {
                in.readerIndex(start + frameLength);
                out.add(in.retainedSlice(start + SimpleOpenFramingHeader.HEADER_LENGTH,
                    frameLength - SimpleOpenFramingHeader.HEADER_LENGTH));
            }
        }
    }

    /**
     * A decoder that passed nothing on asks for another read when auto-read is off, assuming it
     * waits for the rest of a frame. A listener turns auto-read off to pace its sender: asking
     * for reads then would fill this buffer without bound from a sender that does not stop.
     */
    public void channelReadComplete(final ChannelHandlerContext ctx) throws Exception
    {
        if (null == listener)
        {
            super.channelReadComplete(ctx);
            return;
        }
        discardSomeReadBytes();
        ctx.fireChannelReadComplete();
    }

    /**
     * Nothing after a corrupt header can be trusted: discard it, so that the close that follows
     * does not decode the same bytes again.
     */
    private static CorruptedFrameException corrupted(final ByteBuf in, final String reason)
    {
        in.skipBytes(in.readableBytes());
        return new CorruptedFrameException(reason);
    }
}
