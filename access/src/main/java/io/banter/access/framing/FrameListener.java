package io.banter.access.framing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Receives each whole frame where it lies in the decoder's buffer, valid only during the call:
 * no slice or other object is made per frame.
 */
@FunctionalInterface
public interface FrameListener
{
    /**
     * @param buffer the decoder's cumulation buffer.
     * @param index  where the SBE message starts (after the SOFH header).
     * @param length the SBE message's length.
     * @return true if the frame was taken; false to leave it, and every frame after it, in the
     * decoder's buffer until the decoder is read again (a listener that paces its sender).
     */
    boolean onFrame(ChannelHandlerContext ctx, ByteBuf buffer, int index, int length);
}
