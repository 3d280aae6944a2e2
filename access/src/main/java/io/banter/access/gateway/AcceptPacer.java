package io.banter.access.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.TimeUnit;

/**
 * Paces how fast the listening socket accepts: past the window's share of the rate, accepting
 * pauses until the next window and the kernel's backlog holds the rest. A storm of connections
 * (a reconnecting fleet or an attacker) then costs the event loops that serve everyone else at
 * most the paced rate of connection set-ups.
 */
@ChannelHandler.Sharable
final class AcceptPacer extends ChannelInboundHandlerAdapter
{
    private static final long WINDOW_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final int acceptsPerWindow;
    private final GatewayCounters counters;
    private long windowStartNs;
    private int acceptedInWindow;

    AcceptPacer(final int acceptsPerSecond, final GatewayCounters counters)
    {
        this.acceptsPerWindow = Math.max(1, acceptsPerSecond / 10);
        this.counters = counters;
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object child)
    {
        final long nowNs = System.nanoTime();
        if (nowNs - windowStartNs >= WINDOW_NS)
        {
            windowStartNs = nowNs;
            acceptedInWindow = 0;
        }
        if (++acceptedInWindow >= acceptsPerWindow)
        {
            final Channel server = ctx.channel();
            server.config().setAutoRead(false);
            counters.acceptPauses.increment();
            ctx.executor().schedule(() -> server.config().setAutoRead(true),
                WINDOW_NS - (nowNs - windowStartNs), TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelRead(child);
    }
}
