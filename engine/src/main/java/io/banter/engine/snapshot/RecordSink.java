package io.banter.engine.snapshot;

import org.agrona.DirectBuffer;

/**
 * Receives the snapshot's records, each a whole SBE message, in the writer's deterministic order.
 */
@FunctionalInterface
public interface RecordSink
{
    void onRecord(DirectBuffer buffer, int offset, int length);
}
