package io.banter.access.gateway;

import io.netty.channel.Channel;

/**
 * The one rule for every write to a client, deliveries and the gateway's own answers alike: a
 * connection whose queued output passed its high-water mark is closed, not written to. That
 * bounds the gateway's memory per connection; a client that merely fell behind reconnects and
 * resyncs everything it missed.
 */
final class SlowConsumers
{
    private SlowConsumers()
    {
    }

    /**
     * @return true if {@code channel} was over its outbound bound and is now closing: write nothing.
     */
    static boolean closeIfOverBound(final Channel channel, final GatewayCounters counters)
    {
        if (channel.isWritable())
        {
            return false;
        }
        counters.slowConsumerCloses.increment();
        channel.close();
        return true;
    }
}
