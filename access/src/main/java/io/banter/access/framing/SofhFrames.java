package io.banter.access.framing;

import io.banter.codecs.framing.SimpleOpenFramingHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Turns an SBE message encoded in a scratch buffer into a SOFH frame in a pooled Netty buffer,
 * for every writer of frames (the gateway, the SDK, the load harness).
 */
public final class SofhFrames
{
    /**
     * Where an encoder puts the SBE header in the scratch buffer, leaving room for the SOFH header.
     */
    public static final int BODY_OFFSET = SimpleOpenFramingHeader.HEADER_LENGTH;

    private SofhFrames()
    {
    }

    /**
     * @param scratch holds the SBE message from {@link #BODY_OFFSET} up to {@code limit}; the
     *                SOFH header is written in front of it.
     * @return a direct buffer with the whole frame.
     */
    public static ByteBuf framed(final ByteBufAllocator allocator, final UnsafeBuffer scratch, final int limit)
    {
        SimpleOpenFramingHeader.writeHeader(scratch, 0, limit - BODY_OFFSET);
        return allocator.directBuffer(limit).writeBytes(scratch.byteArray(), 0, limit);
    }
}
