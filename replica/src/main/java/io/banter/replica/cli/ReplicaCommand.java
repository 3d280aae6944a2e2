package io.banter.replica.cli;

import io.aeron.cluster.ClusterTool;
import io.banter.access.cli.Args;
import io.banter.replica.drill.DrillContext;
import io.banter.replica.drill.DrillReport;
import io.banter.replica.drill.FailoverDrill;
import io.banter.replica.local.LocalCluster;
import io.banter.replica.local.LocalClusterContext;
import io.banter.replica.node.RecordedCluster;
import io.banter.replica.ops.ClusterStatus;
import io.banter.replica.ops.MemberStatus;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code banter replica …}: run and inspect a replicated cluster on this machine, and prove
 * failover with the drill.
 */
final class ReplicaCommand
{
    private static final String USAGE = String.join("\n",
        "usage: banter replica <start|status|leader|snapshot|stop N|kill N|drill> [options]",
        "",
        "  start        start every member as a child process (each with a gateway on --gateway-port + i",
        "               unless --no-gateways) and stay in the foreground; Ctrl-C stops them all",
        "  status       members, roles, leader, term, commit position, log positions and lag, latest snapshot",
        "  leader       print the leader's member id (exit 1 if there is none)",
        "  snapshot     have the leader take a snapshot now",
        "  stop N       stop member N cleanly (SIGTERM)",
        "  kill N       kill member N with SIGKILL",
        "  drill        a zero-loss failover drill on a fresh cluster of its own: clients send at --rate, the",
        "               leader is killed after --kill-after-ms, every client's records are checked; exit 1",
        "               if anything acknowledged was lost, duplicated or reordered",
        "",
        "cluster options (start, status, leader, snapshot, stop, kill):",
        "  --data-dir DIR           member i keeps its data in DIR/node-i (default data); the members",
        "                           record their ports there (node-i/cluster.properties), so the other",
        "                           commands need nothing else. The flags below, when given, win",
        "  --members N              number of members (default: as recorded, else 3)",
        "  --base-port P            member i uses UDP ports P+100i+1..5 (default: as recorded, else 20000)",
        "  --gateway-port P         member i's embedded gateway listens on P+i (default: as recorded, else 7070)",
        "  --no-gateways            members without embedded gateways",
        "  --strangers-may-message  let users who are not friends message each other (default: friends only)",
        "  --leader-timeout-ms T    leader heartbeat timeout (default 1000)",
        "",
        "drill options:",
        "  --members N (3)  --gateways N (2)  --clients N (20)  --rate R msg/s (1000)  --duration-ms T (20000)",
        "  --kill-after-ms T (8000)  --base-port P (21000)  --gateway-port P (7170)",
        "  --leader-timeout-ms T (1000)  --data-dir DIR (a temporary directory)  --keep-data");

    private ReplicaCommand()
    {
    }

    static int run(final String[] argv, final int from) throws IOException, InterruptedException
    {
        final Args args = Args.parse(argv, from,
            Set.of("members", "data-dir", "base-port", "gateway-port", "leader-timeout-ms", "clients", "rate",
                "duration-ms", "kill-after-ms", "gateways"),
            Set.of("no-gateways", "keep-data", "strangers-may-message"));
        final List<String> words = args.positional();
        if (args.has("help") || words.isEmpty())
        {
            System.out.println(USAGE);
            return words.isEmpty() && !args.has("help") ? 2 : 0;
        }
        final String command = words.get(0);
        if ("drill".equals(command))
        {
            return drill(args);
        }
        final File dataDir = new File(args.get("data-dir", "data"));
        // The cluster is the one recorded under the data directory; flags given win.
        final RecordedCluster recorded = RecordedCluster.read(dataDir);
        if (!"start".equals(command) && recorded.isEmpty() && !args.has("base-port"))
        {
            System.err.println("banter replica: " + recorded.noClusterMessage());
            return 1;
        }
        final int recordedGatewayPort = recorded.isEmpty() ? -1 : recorded.firstGatewayPort();
        final LocalClusterContext cluster = new LocalClusterContext()
            .members(args.getInt("members", 3))
            .dataDir(dataDir)
            .basePort(args.getInt("base-port", 20_000))
            .gatewayPort(args.getInt("gateway-port", recordedGatewayPort > 0 ? recordedGatewayPort : 7070))
            .gateways(!args.has("no-gateways"))
            .strangersMayMessage(args.has("strangers-may-message"))
            .leaderTimeoutMs(args.getLong("leader-timeout-ms", 1000))
            .recorded(recorded, args.has("members"), args.has("base-port"));
        switch (command)
        {
            case "start":
                return start(cluster);
            case "status":
                System.out.println("cluster in " + dataDir.getPath() + ": " + cluster.members() + " members, base port " +
                    cluster.basePort() + (recorded.isEmpty() ? " (from the flags; nothing recorded there)" : ""));
                ClusterStatus.print(System.out, ClusterStatus.query(cluster));
                return 0;
            case "leader":
            {
                final int leader = ClusterStatus.leaderOf(ClusterStatus.roles(cluster));
                System.out.println(leader >= 0 ? String.valueOf(leader) : "no leader");
                return leader >= 0 ? 0 : 1;
            }
            case "snapshot":
            {
                final int leader = ClusterStatus.leaderOf(ClusterStatus.roles(cluster));
                if (leader < 0)
                {
                    System.err.println("banter replica: no leader to take a snapshot");
                    return 1;
                }
                return ClusterTool.snapshot(ClusterStatus.clusterDir(cluster.nodeContext(leader)), System.out) ? 0 : 1;
            }
            case "stop":
            case "kill":
                return signal(cluster, words, "kill".equals(command));
            default:
                throw new IllegalArgumentException("unknown replica command '" + command + "'");
        }
    }

    private static int start(final LocalClusterContext context)
    {
        System.out.println("banter replica: starting " + context.members() + " members, data in " +
            context.dataDir().getPath());
        final AtomicBoolean stopping = new AtomicBoolean();
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            LocalCluster cluster = LocalCluster.start(context, (memberId, pid, exitCode) ->
            {
                // Ctrl-C reaches the members too (one process group): those exits are no news.
                if (!stopping.get())
                {
                    System.out.println("banter replica: member " + memberId + " (pid " + pid + ") exited with code " +
                        exitCode + describeExit(exitCode));
                }
            }))
        {
            for (int i = 0; i < context.members(); i++)
            {
                System.out.println("banter replica: member " + i + " pid " + cluster.member(i).pid() +
                    (context.gateways() ? ", gateway 127.0.0.1:" + (context.gatewayPort() + i) : "") +
                    ", log " + cluster.member(i).log().getPath());
            }
            System.out.println("banter replica: restart a stopped member with: banter " +
                String.join(" ", context.nodeArguments(0)).replace("--member-id 0", "--member-id N") +
                (context.gateways() ? " (gateway port " + context.gatewayPort() + " + N)" : ""));
            ClusterStatus.print(System.out, ClusterStatus.query(context));
            System.out.flush();
            barrier.await();
            stopping.set(true);
            System.out.println("banter replica: stopping the members");
        }
        return 0;
    }

    private static String describeExit(final int exitCode)
    {
        if (137 == exitCode)
        {
            return " (SIGKILL)";
        }
        if (143 == exitCode)
        {
            return " (SIGTERM)";
        }
        return 0 == exitCode ? "" : " (see its member.log)";
    }

    private static int signal(final LocalClusterContext context, final List<String> words, final boolean kill)
        throws IOException
    {
        if (words.size() < 2)
        {
            throw new IllegalArgumentException("which member? e.g. 'replica " + words.get(0) + " 0'");
        }
        final int memberId = Integer.parseInt(words.get(1));
        if (memberId < 0 || memberId >= context.members())
        {
            throw new IllegalArgumentException("member " + memberId + " is not one of " + context.members());
        }
        final File pidFile = new File(context.nodeContext(memberId).memberDir(), LocalCluster.PID_FILE);
        if (!pidFile.exists())
        {
            System.err.println("banter replica: no " + pidFile + " (was the cluster started with 'replica start'?)");
            return 1;
        }
        final long pid = Long.parseLong(Files.readString(pidFile.toPath(), StandardCharsets.US_ASCII).trim());
        final Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive())
        {
            System.err.println("banter replica: member " + memberId + " (pid " + pid + ") is not running");
            return 1;
        }
        final boolean signalled = kill ? process.get().destroyForcibly() : process.get().destroy();
        System.out.println("banter replica: " + (kill ? "SIGKILL" : "SIGTERM") + " sent to member " + memberId +
            " (pid " + pid + ")" + (signalled ? "" : " - refused"));
        return signalled ? 0 : 1;
    }

    private static int drill(final Args args) throws IOException, InterruptedException
    {
        final DrillContext context = new DrillContext()
            .members(args.getInt("members", 3))
            .gateways(args.getInt("gateways", 2))
            .clients(args.getInt("clients", 20))
            .rate(args.getInt("rate", 1000))
            .durationMs(args.getLong("duration-ms", 20_000))
            .killAfterMs(args.getLong("kill-after-ms", 8_000))
            .basePort(args.getInt("base-port", 21_000))
            .gatewayPort(args.getInt("gateway-port", 7170))
            .leaderTimeoutMs(args.getLong("leader-timeout-ms", 1000))
            .dataDir(args.has("data-dir") ? new File(args.get("data-dir", "")) : null)
            .keepData(args.has("keep-data"));
        final DrillReport report = new FailoverDrill(context, System.out).run();
        report.print(System.out);
        return report.passed() ? 0 : 1;
    }
}
