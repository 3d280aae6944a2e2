package io.banter.engine.snapshot;

import org.agrona.DirectBuffer;

/**
 * Receives a snapshot as a sequence of SBE {@code SnapshotChunk} messages (header included),
 * in order, the last one flagged. Each can be written as-is to a file or an Aeron publication.
 * The buffer is reused when the call returns.
 */
@FunctionalInterface
public interface SnapshotSink
{
    void onChunk(DirectBuffer buffer, int offset, int length);
}
