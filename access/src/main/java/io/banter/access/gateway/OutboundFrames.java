package io.banter.access.gateway;

import io.banter.access.framing.SofhFrames;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.ErrorEncoder;
import io.banter.codecs.HeartbeatEncoder;
import io.banter.codecs.LeaderChangedEncoder;
import io.banter.codecs.LoginResultEncoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.SendRejectedEncoder;
import io.banter.codecs.framing.SimpleOpenFramingHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds SOFH-framed client messages as Netty buffers: the engine's messages carried verbatim,
 * and the few answers the gateway gives itself (heartbeat echo, login refusal, errors, BUSY).
 * One instance per thread.
 */
final class OutboundFrames
{
    private static final int SCRATCH_LENGTH = 1024;
    private static final int BODY_OFFSET = SofhFrames.BODY_OFFSET;

    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[SCRATCH_LENGTH]);
    private final UnsafeBuffer frameView = new UnsafeBuffer(0, 0);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final LoginResultEncoder loginResultEncoder = new LoginResultEncoder();
    private final ErrorEncoder errorEncoder = new ErrorEncoder();
    private final SendRejectedEncoder sendRejectedEncoder = new SendRejectedEncoder();
    private final LeaderChangedEncoder leaderChangedEncoder = new LeaderChangedEncoder();

    /**
     * A framed copy of an SBE client message (header included). Copies straight into the
     * buffer's native memory when it has an address, so no view object is made per message.
     */
    ByteBuf frame(final ByteBufAllocator allocator, final DirectBuffer message, final int offset, final int length)
    {
        final int frameLength = SimpleOpenFramingHeader.HEADER_LENGTH + length;
        final ByteBuf frame = allocator.directBuffer(frameLength);
        frame.writeInt(frameLength);
        frame.writeShort(SimpleOpenFramingHeader.SBE_LITTLE_ENDIAN_ENCODING_TYPE);
        final int writerIndex = frame.writerIndex();
        if (frame.hasMemoryAddress())
        {
            frameView.wrap(frame.memoryAddress() + writerIndex, length);
            message.getBytes(offset, frameView, 0, length);
            frame.writerIndex(writerIndex + length);
        }
        else
        {
            message.getBytes(offset, frame.nioBuffer(writerIndex, length), length);
            frame.writerIndex(writerIndex + length);
        }
        return frame;
    }

    ByteBuf heartbeat(final ByteBufAllocator allocator, final long nonce)
    {
        heartbeatEncoder.wrapAndApplyHeader(scratch, BODY_OFFSET, headerEncoder).nonce(nonce);
        return framed(allocator, heartbeatEncoder.limit());
    }

    ByteBuf loginRefused(
        final ByteBufAllocator allocator,
        final long correlationId,
        final ErrorCode code,
        final long userId,
        final long deviceId,
        final String text)
    {
        loginResultEncoder.wrapAndApplyHeader(scratch, BODY_OFFSET, headerEncoder)
            .correlationId(correlationId)
            .code(code)
            .userId(userId)
            .deviceId(deviceId)
            .changeHead(0)
            .ackedChangeSeq(0)
            .text(text);
        return framed(allocator, loginResultEncoder.limit());
    }

    ByteBuf error(
        final ByteBufAllocator allocator,
        final long correlationId,
        final ErrorCode code,
        final int requestTemplateId,
        final String text)
    {
        errorEncoder.wrapAndApplyHeader(scratch, BODY_OFFSET, headerEncoder)
            .correlationId(correlationId)
            .code(code)
            .requestTemplateId(requestTemplateId)
            .text(text);
        return framed(allocator, errorEncoder.limit());
    }

    ByteBuf sendRejected(
        final ByteBufAllocator allocator,
        final long clientMsgId,
        final long conversationId,
        final ErrorCode code,
        final String text)
    {
        sendRejectedEncoder.wrapAndApplyHeader(scratch, BODY_OFFSET, headerEncoder)
            .clientMsgId(clientMsgId)
            .conversationId(conversationId)
            .code(code)
            .text(text);
        return framed(allocator, sendRejectedEncoder.limit());
    }

    ByteBuf leaderChanged(final ByteBufAllocator allocator, final int leaderMemberId, final long leadershipTermId)
    {
        leaderChangedEncoder.wrapAndApplyHeader(scratch, BODY_OFFSET, headerEncoder)
            .leaderMemberId(leaderMemberId)
            .leadershipTermId(leadershipTermId);
        return framed(allocator, leaderChangedEncoder.limit());
    }

    private ByteBuf framed(final ByteBufAllocator alloc, final int limit)
    {
        return SofhFrames.framed(alloc, scratch, limit);
    }
}
