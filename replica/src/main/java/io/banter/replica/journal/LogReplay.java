package io.banter.replica.journal;

import io.aeron.cluster.RecordingLog;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.engine.Engine;
import io.banter.engine.EngineContext;
import io.banter.engine.snapshot.SnapshotLoader;
import org.agrona.DirectBuffer;

import java.io.File;

/**
 * Rebuilds a member's engine outside the cluster: a fresh engine, optionally loaded from the
 * member's latest snapshot, then the member's log applied exactly as the clustered service
 * applies it. Its state hash must equal the member's; replaying several members to the same
 * position must give one hash.
 */
public final class LogReplay implements LogListener
{
    /**
     * The engine is the cluster's only service, so it has the container's default id; the
     * consensus module's own snapshots are recorded under -1.
     */
    public static final int BANTER_SERVICE_ID = 0;

    private final Engine engine;
    private long commands;
    private long position;

    public LogReplay(final EngineContext context)
    {
        engine = new Engine(context, (gatewayId, buffer, offset, length) -> { });
    }

    /**
     * Load the latest snapshot of the member into the engine.
     *
     * @return the log position the snapshot was taken at, or -1 if the member has none.
     */
    public long loadLatestSnapshot(final LogReader reader, final File clusterDir)
    {
        final RecordingLog.Entry snapshot;
        try (RecordingLog recordingLog = new RecordingLog(clusterDir, false))
        {
            snapshot = recordingLog.getLatestSnapshot(BANTER_SERVICE_ID);
        }
        if (null == snapshot)
        {
            return -1;
        }
        final SnapshotLoader loader = engine.snapshotLoader();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        reader.readRecording(snapshot.recordingId, (buffer, offset, length, fragmentHeader) ->
        {
            // The service snapshot also holds Aeron Cluster's own markers and client sessions.
            if (MessageHeaderDecoder.SCHEMA_ID == header.wrap(buffer, offset).schemaId())
            {
                loader.onChunk(buffer, offset, length);
            }
        });
        if (!loader.isComplete())
        {
            throw new IllegalStateException("snapshot recording " + snapshot.recordingId + " ended before its last chunk");
        }
        position = snapshot.logPosition;
        return snapshot.logPosition;
    }

    public void onSessionMessage(
        final long position,
        final long clusterSessionId,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        engine.onCommand(clusterSessionId, timestamp, buffer, offset, length);
        commands++;
        this.position = position;
    }

    public void onSessionClose(final long position, final long clusterSessionId, final long timestamp, final String reason)
    {
        engine.onGatewayLost(clusterSessionId, timestamp);
        this.position = position;
    }

    public void onClusterEvent(final long position, final long timestamp, final String description)
    {
        this.position = position;
    }

    public Engine engine()
    {
        return engine;
    }

    /**
     * Commands applied from the log (not counting those inside a loaded snapshot).
     */
    public long commands()
    {
        return commands;
    }

    public long position()
    {
        return position;
    }
}
