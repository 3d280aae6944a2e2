package io.banter.replica.cli;

import io.aeron.cluster.RecordingLog;
import io.banter.access.cli.Args;
import io.banter.engine.EngineContext;
import io.banter.replica.journal.LogDump;
import io.banter.replica.journal.LogReader;
import io.banter.replica.journal.LogReplay;
import io.banter.replica.journal.MemberArchive;
import io.banter.replica.journal.ReplayResult;
import io.banter.replica.local.LocalClusterContext;
import io.banter.replica.node.NodeContext;
import io.banter.replica.node.RecordedCluster;
import io.banter.replica.ops.ClusterStatus;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code banter journal …}: read a member's committed log and snapshots out of its archive, on a
 * running or a stopped member.
 */
final class JournalCommand
{
    private static final String USAGE = String.join("\n",
        "usage: banter journal <dump|verify|snapshot|cold> [options]",
        "",
        "  dump       print member --member's log, one decoded entry per line",
        "             [--from POS] [--to POS] [--limit N (1000)] [--grep TEXT]",
        "  verify     replay logs into fresh engines and print their state hashes: with --member N that",
        "             member's whole log; without, every member's log up to the position all of them have,",
        "             and exit 1 unless every member has a log, there are at least two, and the hashes are",
        "             equal. --from-snapshot starts from the latest snapshot",
        "  snapshot   list member --member's snapshots and load the latest into a fresh engine",
        "  cold       member --member's cold tier, read-only (also beside a running member): segments,",
        "             records, conversations, and anything torn or damaged; with --conversation C a page",
        "             of it newest first [--before SEQ] [--limit N (20)]",
        "",
        "options:",
        "  --data-dir DIR           member i's data in DIR/node-i (default data)",
        "  --members N              number of members (default: as the members recorded in --data-dir, else 1)",
        "  --base-port P            the cluster's base port, to find running members (default: as recorded, else 20000)",
        "  --member N               which member (default 0)",
        "  engine options, as the members were started with (a replay must apply the same rules):",
        String.format(EngineOptions.USAGE).stripTrailing(),
        "",
        "A stopped member's archive is opened directly; a running member is read through its own media",
        "driver, so its log may grow while it is read (the end position printed is where reading stopped).");

    private JournalCommand()
    {
    }

    static int run(final String[] argv, final int from)
    {
        final Args args = Args.parse(argv, from,
            EngineOptions.withOptions(Set.of("members", "data-dir", "base-port", "member", "from", "to", "limit", "grep",
                "conversation", "before")),
            EngineOptions.withFlags(Set.of("from-snapshot")));
        final List<String> words = args.positional();
        if (args.has("help") || words.isEmpty())
        {
            System.out.println(USAGE);
            return words.isEmpty() && !args.has("help") ? 2 : 0;
        }
        final File dataDir = new File(args.get("data-dir", "data"));
        // The members recorded under the data directory, unless the flags say otherwise.
        final LocalClusterContext cluster = new LocalClusterContext()
            .members(args.getInt("members", 1))
            .dataDir(dataDir)
            .basePort(args.getInt("base-port", 20_000))
            .recorded(RecordedCluster.read(dataDir), args.has("members"), args.has("base-port"));
        final Supplier<EngineContext> engineContexts = EngineOptions.from(args);
        final int member = args.getInt("member", 0);
        if (member < 0 || member >= cluster.members())
        {
            throw new IllegalArgumentException("--member " + member + " is not one of --members " + cluster.members());
        }
        switch (words.get(0))
        {
            case "dump":
                return dump(cluster.nodeContext(member), args.getLong("from", 0), args.getLong("to", Long.MAX_VALUE),
                    args.getLong("limit", 1000), args.get("grep", null));
            case "verify":
                return args.has("member") ?
                    verifyOne(cluster.nodeContext(member), args.has("from-snapshot"), engineContexts) :
                    verifyAll(cluster, args.has("from-snapshot"), engineContexts);
            case "snapshot":
                return snapshot(cluster.nodeContext(member), engineContexts);
            case "cold":
                return ColdTierReport.print(cluster.nodeContext(member), args.getLong("conversation", 0),
                    args.getLong("before", 0), args.getInt("limit", 20), System.out);
            default:
                throw new IllegalArgumentException("unknown journal command '" + words.get(0) + "'");
        }
    }

    private static int dump(final NodeContext node, final long fromPosition, final long toPosition, final long limit,
        final String grep)
    {
        try (MemberArchive archive = MemberArchive.open(node))
        {
            final LogReader reader = new LogReader(archive, ClusterStatus.clusterDir(node));
            final LogDump dump = new LogDump(System.out, grep, limit);
            System.out.println("member " + node.memberId() + (archive.isLive() ? " (running)" : " (stopped)") +
                ": log ends at " + reader.endPosition());
            System.out.println("    position  timestamp  session  entry");
            reader.read(fromPosition, toPosition, dump);
            System.out.println(dump.printed() + " entries printed" + (dump.full() ? " (--limit reached)" : ""));
        }
        return 0;
    }

    private static int verifyOne(final NodeContext node, final boolean fromSnapshot, final Supplier<EngineContext> engineContexts)
    {
        final ReplayResult replayed = ReplayResult.replay(node, fromSnapshot, Long.MAX_VALUE, engineContexts);
        System.out.println(replayed.describe());
        return 0;
    }

    private static int verifyAll(final LocalClusterContext cluster, final boolean fromSnapshot, final Supplier<EngineContext> engineContexts)
    {
        long common = Long.MAX_VALUE;
        final List<NodeContext> nodes = new ArrayList<>();
        final List<String> missing = new ArrayList<>();
        for (int i = 0; i < cluster.members(); i++)
        {
            final NodeContext node = cluster.nodeContext(i);
            if (!new File(ClusterStatus.clusterDir(node), RecordingLog.RECORDING_LOG_FILE_NAME).exists())
            {
                System.out.println("member " + i + ": no log in " + node.memberDir());
                missing.add(String.valueOf(i));
                continue;
            }
            try (MemberArchive archive = MemberArchive.open(node))
            {
                common = Math.min(common, new LogReader(archive, ClusterStatus.clusterDir(node)).endPosition());
            }
            nodes.add(node);
        }
        if (nodes.isEmpty())
        {
            System.out.println("no member has a log under " + cluster.dataDir());
            return 1;
        }
        System.out.println("replaying " + nodes.size() + " members to position " + common + ", the end all of them have");
        final List<ReplayResult> results = new ArrayList<>();
        for (final NodeContext node : nodes)
        {
            final ReplayResult replayed = ReplayResult.replay(node, fromSnapshot, common, engineContexts);
            System.out.println(replayed.describe());
            results.add(replayed);
        }
        for (final ReplayResult replayed : results)
        {
            if (replayed.hash() != results.get(0).hash() || replayed.position() != results.get(0).position())
            {
                System.out.println("MISMATCH: the members' logs do not give one state");
                return 1;
            }
        }
        // Agreement means something only between every member asked for, and at least two of them.
        if (!missing.isEmpty())
        {
            System.out.println("FAILED: compared " + results.size() + " of " + cluster.members() + " members; member" +
                (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + " had no log under " +
                cluster.dataDir() + " (wrong --data-dir or --members?)");
            return 1;
        }
        if (results.size() < 2)
        {
            System.out.println("FAILED: only one member's log, nothing to compare it with (a one-member cluster? " +
                "'journal verify --member 0' replays that one log and prints its state hash)");
            return 1;
        }
        System.out.printf("OK: %d members, state hash %016x at log position %d%n",
            results.size(), results.get(0).hash(), results.get(0).position());
        return 0;
    }

    private static int snapshot(final NodeContext node, final Supplier<EngineContext> engineContexts)
    {
        final File clusterDir = ClusterStatus.clusterDir(node);
        try (RecordingLog recordingLog = new RecordingLog(clusterDir, false))
        {
            System.out.println("member " + node.memberId() + " snapshots (service -1 is the consensus module's):");
            int count = 0;
            for (final RecordingLog.Entry entry : recordingLog.entries())
            {
                if (RecordingLog.ENTRY_TYPE_SNAPSHOT == entry.type && entry.isValid)
                {
                    System.out.printf("  term %d  log position %d  timestamp %d  service %d  recording %d%n",
                        entry.leadershipTermId, entry.logPosition, entry.timestamp, entry.serviceId, entry.recordingId);
                    count++;
                }
            }
            if (0 == count)
            {
                System.out.println("  none");
                return 0;
            }
        }
        try (MemberArchive archive = MemberArchive.open(node))
        {
            final LogReplay replay = new LogReplay(engineContexts.get());
            try
            {
                final long position = replay.loadLatestSnapshot(new LogReader(archive, clusterDir), clusterDir);
                System.out.printf("latest snapshot at log position %d: %d users, %d conversations, state hash %016x%n",
                    position, replay.engine().state().userCount(), replay.engine().state().conversationCount(),
                    replay.engine().stateHash());
            }
            finally
            {
                replay.engine().close();
            }
        }
        return 0;
    }
}
