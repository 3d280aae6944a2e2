package io.banter.engine;

import org.agrona.DirectBuffer;

/**
 * Where the engine puts its events. Each event is one SBE engine event message (a
 * {@code ConnectionDelivery} or an {@code AdminResponse}) for one gateway: the hosting layer
 * sends it to that gateway's cluster session. The buffer is reused as soon as the call returns.
 */
@FunctionalInterface
public interface EngineOutput
{
    void onEvent(long gatewayId, DirectBuffer buffer, int offset, int length);
}
