package io.banter.journal.cold;

import org.agrona.DirectBuffer;

/**
 * Where the service thread sends the cold tier's answers: one engine event for one gateway.
 */
@FunctionalInterface
public interface ReplySink
{
    /**
     * @return false to be offered the same event again later (the way to the gateway is not
     * ready or is back-pressured); true once it is sent or given up on.
     */
    boolean offer(long gatewayId, DirectBuffer buffer, int offset, int length);
}
