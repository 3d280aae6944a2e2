package io.banter.access.gateway;

import io.banter.access.auth.TokenAuthority;
import io.banter.codecs.LoginDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What one Netty event-loop thread reuses for every connection it serves: a frame-sized
 * scratch buffer, decoders, the token checker (a {@code Mac} is not thread-safe) and the reply
 * encoders.
 */
final class NettyThreadState
{
    final UnsafeBuffer scratch;
    final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    final LoginDecoder loginDecoder = new LoginDecoder();
    final TokenAuthority tokenAuthority;
    final OutboundFrames frames = new OutboundFrames();

    NettyThreadState(final int maxFrameLength, final byte[] secret)
    {
        scratch = new UnsafeBuffer(new byte[maxFrameLength]);
        tokenAuthority = new TokenAuthority(secret);
    }
}
