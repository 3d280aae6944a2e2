package io.banter.replica.journal;

import io.banter.engine.EngineContext;

import java.util.function.Supplier;
import io.banter.replica.node.NodeContext;
import io.banter.replica.ops.ClusterStatus;

import java.io.File;
import java.util.function.Supplier;

/**
 * A member's log replayed into a fresh engine: from where, how far, and the state hash reached.
 *
 * @param memberId         the member.
 * @param live             whether it was running while read.
 * @param snapshotPosition the log position of the snapshot loaded first, or -1 for a replay from the start.
 * @param commands         commands applied from the log.
 * @param position         the log position reached.
 * @param hash             the engine's state hash there.
 */
public record ReplayResult(int memberId, boolean live, long snapshotPosition, long commands, long position, long hash)
{
    /**
     * Replay a member's log up to {@code toPosition} (capped at its end), from its latest snapshot
     * when asked and when that snapshot is not past {@code toPosition}.
     */
    public static ReplayResult replay(
        final NodeContext node, final boolean fromSnapshot, final long toPosition,
        final Supplier<EngineContext> engineContexts)
    {
        final File clusterDir = ClusterStatus.clusterDir(node);
        try (MemberArchive archive = MemberArchive.open(node))
        {
            final LogReader reader = new LogReader(archive, clusterDir);
            LogReplay replay = new LogReplay(engineContexts.get());
            long snapshotPosition = fromSnapshot ? replay.loadLatestSnapshot(reader, clusterDir) : -1;
            if (snapshotPosition > toPosition)
            {
                // The snapshot is past the position asked for: start from the beginning instead.
                replay.engine().close();
                replay = new LogReplay(engineContexts.get());
                snapshotPosition = -1;
            }
            try
            {
                final long reached = reader.read(Math.max(0, snapshotPosition), toPosition, replay);
                return new ReplayResult(node.memberId(), archive.isLive(), snapshotPosition, replay.commands(),
                    Math.max(reached, Math.max(0, snapshotPosition)), replay.engine().stateHash());
            }
            finally
            {
                replay.engine().close();
            }
        }
    }

    public String describe()
    {
        return String.format("member %d%s: %s%d commands to log position %d, state hash %016x",
            memberId, live ? " (running)" : "",
            snapshotPosition >= 0 ? "snapshot at " + snapshotPosition + " + " : "from the start, ",
            commands, position, hash);
    }
}
