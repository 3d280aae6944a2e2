package io.banter.perf.load;

import io.banter.access.auth.ServerSecret;
import io.banter.access.auth.TokenAuthority;
import io.banter.access.cli.Args;
import io.banter.access.framing.SofhFrameDecoder;
import io.banter.codecs.ErrorCode;
import io.banter.engine.EngineContext;
import io.banter.perf.latency.LatencyReport;
import io.banter.perf.latency.ProcessMemory;
import io.banter.replica.admin.AdminClient;
import io.banter.replica.drill.OpenLoopSchedule;
import io.banter.replica.local.LocalCluster;
import io.banter.replica.local.LocalClusterContext;
import io.banter.replica.local.MemberProcess;
import io.banter.replica.ops.ClusterStatus;
import io.banter.replica.server.BanterServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.IoUtil;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code banter bench direct|reconnect}: the open-loop load harness. Many simulated devices over
 * real TCP connections to a Banter server (a one-member {@code banter server} child process by
 * default; with {@code --members N} a local cluster of N {@code banter node} child processes,
 * every connection on the leader's embedded gateway); sends follow a fixed schedule and latency
 * is measured from each message's intended send time, so a stalled server cannot hide its stalls (coordinated omission is corrected).
 */
public final class LoadGenerator
{
    static final String USAGE = String.join("\n",
        "usage: bin/banter bench <direct|group|mixed|reconnect> [options]",
        "",
        "  direct      1:1 messages among --connections users at --rate msg/s: message k goes from user k mod N",
        "              to user k+1 mod N; latency is send (intended time) -> the recipient's push",
        "  group       one group of --group-size members, all online, random members sending --rate msg/s;",
        "              latency is send -> each member has it, and send -> the last member has it (a group",
        "              above 1,000 members is a super group: members are told and pull)",
        "  mixed       --rate operations/s among --connections users: of every 20, 12 sends, 3 read marks,",
        "              3 syncs, 2 history pages, each measured from its intended time to its answer",
        "  reconnect   --connections users online, all connections dropped at once, time until each has",
        "              logged in again and synced",
        "",
        "options:",
        "  --connections N   simulated users, one device and one TCP connection each   [2000]",
        "  --rate R          sends per second (direct), group messages (group),        [5000; group 20]",
        "                    operations (mixed)",
        "  --group-size G    group: members, all online, one connection each           [1000]",
        "  --duration S      measured seconds                                          [20]",
        "  --warmup S        seconds sent before measuring                             [10]",
        "  --members M       1: 'banter server'; M > 1: a local cluster of M 'banter node'   [1]",
        "                    child JVMs with embedded gateways (as 'banter replica start'); every",
        "                    connection goes to the leader's gateway, so each send is replicated",
        "  --base-port P     the child server's cluster base port                      [24000]",
        "  --results DIR     where the report, the HdrHistogram log and the plot go     [perf/results]",
        "  --plot            also write the latency-by-percentile chart (SVG)",
        "  --no-cold-tier    run the server without writing its cold tier (for comparison)",
        "  --hot-per-conversation N  mixed: the server keeps N messages per conversation hot, and one of the",
        "                    two history pages in 20 operations asks below them (the cold tier answers)",
        "",
        "The server is 'banter server' in a child JVM with a temporary data directory; the harness",
        "registers the users through the cluster and mints their tokens with the server's secret.");

    private static final Set<String> VALUED =
        Set.of("connections", "group-size", "rate", "duration", "warmup", "base-port", "results", "hot-per-conversation",
            "members");
    private static final int CONNECT_BATCH = 500;
    /** Members per CreateGroup or AddMembers: 900 ids stay inside the gateway's 8 KiB frame. */
    private static final int GROUP_BATCH = 900;
    /** The mixed scenario's cycle of operations: -1 a send, else a {@link MixedRequest} kind. */
    private static final int[] MIXED_KINDS = {-1, -1, -1, MixedRequest.MARK_READ, -1, MixedRequest.SYNC, -1, -1,
        MixedRequest.HISTORY, -1, MixedRequest.MARK_READ, -1, -1, MixedRequest.SYNC, -1, -1, MixedRequest.MARK_READ,
        -1, MixedRequest.SYNC, MixedRequest.HISTORY};
    private static final int MIXED_CYCLE = MIXED_KINDS.length;
    private static final int MIXED_SENDS = 12;
    private static final int[] MIXED_SHARE = {3, 3, 2, 0};
    /** With --hot-per-conversation the cycle's last history page asks below the hot window instead. */
    private static final int[] MIXED_SHARE_OLDER = {3, 3, 1, 1};

    private final String scenario;
    private final int connectionCount;
    private final int hotPerConversation;
    private final int rate;
    private final int durationS;
    private final int warmupS;
    private final int basePort;
    private final int members;
    private final Path results;
    private final boolean plot;
    private final boolean coldTier;
    private final PrintStream out = System.out;
    private final LoadStats stats = new LoadStats();
    private final List<LoadConnection> connections = new ArrayList<>();
    private Bootstrap bootstrap;
    private long serverPid;
    private int leader;
    private String host;
    private int port;

    private LoadGenerator(final String scenario, final Args args)
    {
        this.scenario = scenario;
        this.connectionCount = "group".equals(scenario) ? args.getInt("group-size", 1000) :
            args.getInt("connections", 2000);
        this.rate = args.getInt("rate", "group".equals(scenario) ? 20 : 5000);
        this.durationS = args.getInt("duration", 20);
        this.warmupS = args.getInt("warmup", 10);
        this.basePort = args.getInt("base-port", 24_000);
        this.results = Path.of(args.get("results", "perf/results"));
        this.plot = args.has("plot");
        this.coldTier = !args.has("no-cold-tier");
        this.hotPerConversation = args.getInt("hot-per-conversation", 0);
        this.members = args.getInt("members", 1);
        if (members < 1)
        {
            throw new IllegalArgumentException("need --members >= 1, not " + members);
        }
        if (connectionCount < 2 || rate < 1 || durationS < 1 || warmupS < 0)
        {
            throw new IllegalArgumentException("need --connections >= 2, --rate >= 1, --duration >= 1, --warmup >= 0");
        }
    }

    public static void main(final String[] argv) throws Exception
    {
        final Args args = Args.parse(argv, 0, VALUED, Set.of("plot", "no-cold-tier"));
        if (args.has("help") || args.positional().isEmpty() ||
            !Set.of("direct", "reconnect", "group", "mixed").contains(args.positional().get(0)))
        {
            System.out.println(USAGE);
            System.exit(args.has("help") ? 0 : 2);
        }
        System.exit(0 == run(args.positional().get(0), args).errors() ? 0 : 1);
    }

    /**
     * Run a scenario ({@code direct} or {@code reconnect}) with these options; the report is
     * printed and written as for the command line.
     */
    public static LoadResult run(final String scenario, final Args args) throws Exception
    {
        return new LoadGenerator(scenario, args).run();
    }

    private LoadResult run() throws Exception
    {
        final File dataDir = Files.createTempDirectory("banter-bench-").toFile();
        final int gatewayPort = basePort + 70;
        // With a cold tier the hot tier evicts and its default size holds; without one nothing
        // leaves, so it must hold the whole run.
        final long hotTier = coldTier ? new EngineContext().hotTierEntries() :
            Math.max(1_000_000L, 2L * rate * (durationS + warmupS));
        out.println("bench " + scenario + ": starting " + (1 == members ? "'banter server'" :
            members + " cluster members ('banter node')") + " (data in " + dataDir + ")");
        final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-io", true),
            Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        final List<String> engineArgs = new ArrayList<>(List.of("--heartbeat-timeout-ms", "30000"));
        if (!coldTier)
        {
            engineArgs.add("--no-cold-tier");
        }
        if (hotPerConversation > 0)
        {
            engineArgs.add("--hot-tier-per-conversation");
            engineArgs.add(String.valueOf(hotPerConversation));
        }
        try (AutoCloseable servers = startServers(dataDir, gatewayPort, hotTier, engineArgs))
        {
            host = "127.0.0.1";
            bootstrap = new Bootstrap()
                .group(loops)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true);
            final TokenAuthority tokens = new TokenAuthority(
                ServerSecret.loadOrCreate(BanterServer.secretFile(dataDir).toPath()));
            registerAndConnect(tokens, servers instanceof LocalCluster cluster ?
                cluster.context().nodeContext(0).ingressEndpoints() : "0=localhost:" + (basePort + 1));
            switch (scenario)
            {
                case "direct":
                    return direct();
                case "group":
                    return group();
                case "mixed":
                    return mixed();
                default:
                    return reconnect();
            }
        }
        finally
        {
            for (final LoadConnection connection : connections)
            {
                connection.drop();
            }
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            IoUtil.delete(dataDir, true);
        }
    }

    /**
     * The server: one {@code banter server}, or a local cluster of {@link #members} members each
     * with its embedded gateway. Sets the port the connections go to (the leader's gateway) and
     * the pid whose memory the report shows (the leader's).
     */
    private AutoCloseable startServers(
        final File dataDir, final int gatewayPort, final long hotTier, final List<String> engineArgs)
        throws IOException, InterruptedException
    {
        if (1 == members)
        {
            final List<String> serverArgs = new ArrayList<>(List.of("server", "--data-dir", dataDir.getPath(),
                "--base-port", String.valueOf(basePort), "--gateway-port", String.valueOf(gatewayPort),
                "--hot-tier-entries", String.valueOf(hotTier), "--strangers-may-message"));
            serverArgs.addAll(engineArgs);
            final MemberProcess server = MemberProcess.start(serverArgs,
                new File(dataDir, "server.log"), "banter: listening on", 120, TimeUnit.SECONDS);
            serverPid = server.pid();
            port = gatewayPort;
            return server;
        }
        // The members share data-dir/server.secret; made here, before they start, so no two race to create it.
        ServerSecret.loadOrCreate(BanterServer.secretFile(dataDir).toPath());
        final LocalCluster cluster = LocalCluster.start(new LocalClusterContext()
            .members(members)
            .dataDir(dataDir)
            .basePort(basePort)
            .gatewayPort(gatewayPort)
            .gateways(true)
            .strangersMayMessage(true)
            .hotTierEntries(hotTier)
            .extraNodeArguments(engineArgs));
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((leader = ClusterStatus.leaderOf(ClusterStatus.roles(cluster.context()))) < 0)
        {
            if (System.nanoTime() > deadlineNs)
            {
                cluster.close();
                throw new IllegalStateException("no leader among the " + members + " members after 60 s");
            }
            Thread.sleep(50);
        }
        serverPid = cluster.member(leader).pid();
        port = gatewayPort + leader;
        out.println("bench " + scenario + ": member " + leader + " leads; connections go to its gateway on port " +
            port);
        return cluster;
    }

    private void registerAndConnect(final TokenAuthority tokens, final String ingress) throws InterruptedException
    {
        final long startNs = System.nanoTime();
        try (AdminClient admin = new AdminClient(null, ingress))
        {
            for (int i = 0; i < connectionCount; i++)
            {
                final String name = "bench-" + i;
                final long userId = tokens.userIdFor(name);
                final AdminClient.Response response = admin.registerUser(userId, name, 30, TimeUnit.SECONDS);
                if (ErrorCode.NONE != response.code())
                {
                    throw new IllegalStateException("cannot register " + name + ": " + response.text());
                }
                connections.add(new LoadConnection(userId,
                    tokens.issue(userId, System.currentTimeMillis() + TimeUnit.HOURS.toMillis(2)), stats,
                    System.currentTimeMillis() << 16));
                if (0 == (i + 1) % 1000)
                {
                    out.printf("\rbench %s: registered %d users", scenario, i + 1);
                }
            }
        }
        out.printf("\rbench %s: registered %d users in %.1f s%n", scenario, connectionCount,
            (System.nanoTime() - startNs) / 1e9);
        connectAll();
        out.printf("bench %s: %d connections online after %.1f s%n", scenario, connectionCount,
            (System.nanoTime() - startNs) / 1e9);
    }

    /**
     * Connect in batches, waiting for each batch to log in and sync, so the connect storm itself
     * is not what is measured.
     */
    private void connectAll() throws InterruptedException
    {
        for (int from = 0; from < connections.size(); from += CONNECT_BATCH)
        {
            final int to = Math.min(connections.size(), from + CONNECT_BATCH);
            for (int i = from; i < to; i++)
            {
                connect(connections.get(i));
            }
            awaitOnline(to, 60);
        }
    }

    private void connect(final LoadConnection connection)
    {
        bootstrap.clone().handler(new ChannelInitializer<SocketChannel>()
        {
            protected void initChannel(final SocketChannel channel)
            {
                channel.pipeline().addLast(new SofhFrameDecoder(64 * 1024)).addLast(connection);
            }
        }).connect(host, port);
    }

    private void awaitOnline(final long count, final int timeoutS) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (stats.online.sum() < count)
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException(stats.online.sum() + " of " + count + " connections online after " +
                    timeoutS + " s (login failures " + stats.loginFailures.sum() + ")");
            }
            Thread.sleep(20);
        }
    }

    private LoadResult direct() throws IOException, InterruptedException
    {
        final long warmupMessages = (long)rate * warmupS;
        final long total = warmupMessages + (long)rate * durationS;
        stats.measureFromMessage = warmupMessages;
        final LoadFrames frames = new LoadFrames();
        final Histogram accumulated = new Histogram(LoadStats.HIGHEST_TRACKABLE_NS, 3);
        final ProgressPrinter progress = startProgress("direct-" + connectionCount + "c-" + rate + "r", accumulated,
            total);
        final OpenLoopSchedule schedule = new OpenLoopSchedule(System.nanoTime(), rate);
        long lateNs = 0;
        for (long k = 0; k < total; k++)
        {
            final long dueNs = schedule.awaitDue(k);
            lateNs = Math.max(lateNs, System.nanoTime() - dueNs);
            final int sender = (int)(k % connectionCount);
            connections.get(sender).send(frames, connections.get((sender + 1) % connectionCount).userId, dueNs, k);
        }
        awaitSettled(() -> stats.delivered.sum() >= stats.acked.sum());
        progress.finish();

        final double measuredS = durationS;
        // Refused sends are errors already; an acknowledged message that never arrives is one too.
        final long ackedNotDelivered = Math.max(0, stats.acked.sum() - stats.delivered.sum());
        final String report = table(
            String.format(Locale.ROOT, "1:1 send -> push, %d connections", connectionCount),
            rate, stats.measuredDelivered.sum() / measuredS, accumulated, stats.errors() + ackedNotDelivered)
            + String.format(Locale.ROOT,
            "%nsent %d (warm-up %d), acked %d, delivered %d; rejected %d (sends resumed after BUSY %d), " +
            "not connected %d, protocol errors %d, acknowledged but never delivered %d%n" +
            "load generator worst lateness %.1f ms%n",
            stats.sent.sum(), warmupMessages, stats.acked.sum(), stats.delivered.sum(), stats.rejected.sum(),
            stats.resumes.sum(), stats.notConnected.sum(), stats.protocolErrors.sum(), ackedNotDelivered, lateNs / 1e6);
        finish("direct-" + connectionCount + "c-" + rate + "r", report, accumulated, "Banter 1:1 send -> push, " +
            connectionCount + " connections, " + rate + " msg/s");
        return new LoadResult("Banter", rate, stats.measuredDelivered.sum() / measuredS, accumulated,
            stats.errors() + ackedNotDelivered);
    }

    /**
     * One group of all the connections, every member online; random members send at the rate.
     * A small group (up to the server's super-group threshold, 1,000) pushes each message to
     * every member; a larger one tells members {@code ConversationChanged} and they pull with
     * History. Measured: send to each member having it, and send to the last member having it.
     */
    private LoadResult group() throws IOException, InterruptedException
    {
        final LoadConnection owner = connections.get(0);
        final long[] firstMembers = new long[Math.min(GROUP_BATCH, connectionCount - 1)];
        for (int i = 0; i < firstMembers.length; i++)
        {
            firstMembers[i] = connections.get(1 + i).userId;
        }
        final long setupStartNs = System.nanoTime();
        owner.request(alloc -> new LoadFrames().createGroup(alloc, "bench", firstMembers));
        awaitDone(owner, 1);
        final long conversationId = owner.lastDoneConversation();
        int requests = 1;
        for (int from = 1 + firstMembers.length; from < connectionCount; from += GROUP_BATCH)
        {
            final long[] batch = new long[Math.min(GROUP_BATCH, connectionCount - from)];
            for (int i = 0; i < batch.length; i++)
            {
                batch[i] = connections.get(from + i).userId;
            }
            owner.request(alloc -> new LoadFrames().addMembers(alloc, conversationId, batch));
            awaitDone(owner, ++requests);
            out.printf("\rbench group: %d members", from + batch.length);
        }
        final long setupHead = owner.lastDoneSeq();
        final long historyBefore = stats.historyBatches.sum();
        for (final LoadConnection connection : connections)
        {
            connection.followGroup(conversationId, setupHead);
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stats.historyBatches.sum() - historyBefore < connectionCount && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(20);
        }
        out.printf("\rbench group: group of %d members ready after %.1f s%n", connectionCount,
            (System.nanoTime() - setupStartNs) / 1e9);

        final long warmupMessages = (long)rate * warmupS;
        final long total = warmupMessages + (long)rate * durationS;
        stats.measureFromMessage = warmupMessages;
        stats.trackLastReceiver((int)total, connectionCount - 1);
        final LoadFrames frames = new LoadFrames();
        final String name = "group-" + connectionCount + "m-" + rate + "r";
        final Histogram accumulated = new Histogram(LoadStats.HIGHEST_TRACKABLE_NS, 3);
        final ProgressPrinter progress = startProgress(name, accumulated, total * (connectionCount - 1));
        final OpenLoopSchedule schedule = new OpenLoopSchedule(System.nanoTime(), rate);
        long lateNs = 0;
        for (long k = 0; k < total; k++)
        {
            final long dueNs = schedule.awaitDue(k);
            lateNs = Math.max(lateNs, System.nanoTime() - dueNs);
            final int sender = (int)((k * 7919) % connectionCount);
            connections.get(sender).sendToGroup(frames, conversationId, dueNs, k);
        }
        awaitSettled(() -> stats.lastMembersReached.sum() >= stats.acked.sum());
        progress.finish();

        final Histogram last = stats.lastMemberLatency.getIntervalHistogram();
        final long notReachingAll = Math.max(0, stats.acked.sum() - stats.lastMembersReached.sum());
        final long errors = stats.errors() + notReachingAll;
        final double measuredS = durationS;
        final String report =
            table(String.format(Locale.ROOT, "group send -> each member has it, %d members (%s)", connectionCount,
                connectionCount > 1_000 ? "super group: notify + pull" : "small group: push"),
                rate * (connectionCount - 1), stats.measuredDelivered.sum() / measuredS, accumulated, errors) +
            "\n" +
            table(String.format(Locale.ROOT, "group send -> last member has it, %d members", connectionCount),
                rate, last.getTotalCount() / measuredS, last, errors) +
            String.format(Locale.ROOT,
                "%nsent %d (warm-up %d), acked %d, member deliveries %d, messages every member has %d; rejected %d, " +
                "not connected %d, protocol errors %d, history pulls %d (%d asked again after BUSY)%n" +
                "load generator worst lateness %.1f ms%n",
                stats.sent.sum(), warmupMessages, stats.acked.sum(), stats.delivered.sum(),
                stats.lastMembersReached.sum(), stats.rejected.sum(), stats.notConnected.sum(),
                stats.protocolErrors.sum(), stats.groupRequests.sum(), stats.busyRetries.sum(), lateNs / 1e6);
        finish(name, report, last, "Banter group send -> last member, " + connectionCount + " members, " + rate +
            " msg/s");
        return new LoadResult("Banter group", rate, last.getTotalCount() / measuredS, last, errors);
    }

    /**
     * The results directory made, the per-second HdrHistogram log opened and the progress line
     * started for a run called {@code name}.
     */
    private ProgressPrinter startProgress(final String name, final Histogram accumulated, final long expected)
        throws IOException
    {
        Files.createDirectories(results);
        final ProgressPrinter progress = new ProgressPrinter(resultFile(name + ".hlog"), accumulated, expected);
        progress.start();
        return progress;
    }

    /**
     * After the last send: wait (up to 30 s) until every send is answered and {@code arrived}
     * says everything acknowledged has reached where the scenario measures it.
     */
    private void awaitSettled(final BooleanSupplier arrived) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((stats.acked.sum() + stats.rejected.sum() < stats.sent.sum() || !arrived.getAsBoolean()) &&
            System.nanoTime() < deadlineNs)
        {
            Thread.sleep(20);
        }
    }

    private static void awaitDone(final LoadConnection owner, final int count) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (owner.doneCount() < count)
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("the group request " + count + " was not answered");
            }
            Thread.sleep(5);
        }
    }

    /**
     * A realistic mix on the direct scenario's users, at the given total rate of operations:
     * of every 20, 12 are 1:1 sends (measured send -> push), 3 mark the newest message a device
     * received read (MarkRead -> ReadState), 3 sync from the device's last change (Sync ->
     * SyncBatch) and 2 page the history of that conversation (History -> HistoryBatch, 20
     * messages). Every request is measured from its intended send time. A device that has
     * received nothing yet sends instead of reading or paging.
     */
    private LoadResult mixed() throws IOException, InterruptedException
    {
        final long warmupOps = (long)rate * warmupS;
        final long total = warmupOps + (long)rate * durationS;
        stats.measureFromMessage = warmupOps;
        final LoadFrames frames = new LoadFrames();
        final String name = "mixed-" + connectionCount + "c-" + rate + "r";
        final Histogram accumulated = new Histogram(LoadStats.HIGHEST_TRACKABLE_NS, 3);
        final ProgressPrinter progress = startProgress(name, accumulated, total * MIXED_SENDS / MIXED_CYCLE);
        final OpenLoopSchedule schedule = new OpenLoopSchedule(System.nanoTime(), rate);
        stats.measureFromNs = schedule.dueNs(warmupOps);
        final long[] requested = new long[MixedRequest.KINDS];
        long sends = 0;
        long lateNs = 0;
        for (long k = 0; k < total; k++)
        {
            final long dueNs = schedule.awaitDue(k);
            lateNs = Math.max(lateNs, System.nanoTime() - dueNs);
            final int position = (int)(k % MIXED_CYCLE);
            final int kind = hotPerConversation > 0 && position == MIXED_CYCLE - 1 ?
                MixedRequest.OLDER_HISTORY : MIXED_KINDS[position];
            if (kind >= 0 && connections.get((int)((k * 7919) % connectionCount))
                .mixedRequest(frames, kind, dueNs, hotPerConversation))
            {
                requested[kind]++;
                continue;
            }
            // Senders and recipients go round by send, not by operation, so every user receives.
            final int sender = (int)(sends++ % connectionCount);
            connections.get(sender).send(frames, connections.get((sender + 1) % connectionCount).userId, dueNs, k);
        }
        final long requestedTotal = sum(requested);
        awaitSettled(() -> stats.delivered.sum() >= stats.acked.sum() && answeredTotal() >= requestedTotal);
        progress.finish();

        final double measuredS = durationS;
        final long ackedNotDelivered = Math.max(0, stats.acked.sum() - stats.delivered.sum());
        final long unanswered = Math.max(0, sum(requested) - answeredTotal());
        final long errors = stats.errors() + ackedNotDelivered + unanswered;
        final StringBuilder report = new StringBuilder(table(
            String.format(Locale.ROOT, "1:1 send -> push, %d connections", connectionCount),
            (double)rate * MIXED_SENDS / MIXED_CYCLE, stats.measuredDelivered.sum() / measuredS, accumulated, errors));
        final int[] share = hotPerConversation > 0 ? MIXED_SHARE_OLDER : MIXED_SHARE;
        for (int kind = 0; kind < MixedRequest.KINDS; kind++)
        {
            if (0 == share[kind])
            {
                continue;
            }
            report.append('\n').append(table(MixedRequest.NAMES[kind], (double)rate * share[kind] / MIXED_CYCLE,
                stats.measuredAnswered[kind].sum() / measuredS, stats.answerLatency[kind].getIntervalHistogram(), errors));
        }
        report.append(String.format(Locale.ROOT,
            "%noperations %d (warm-up %d): sends %d, mark read %d, sync %d, history %d, older history %d; acked %d, delivered %d, " +
            "answered %d; rejected %d, not connected %d, protocol errors %d, acknowledged but never delivered %d, " +
            "never answered %d%nload generator worst lateness %.1f ms%n",
            total, warmupOps, stats.sent.sum(), requested[MixedRequest.MARK_READ], requested[MixedRequest.SYNC],
            requested[MixedRequest.HISTORY], requested[MixedRequest.OLDER_HISTORY], stats.acked.sum(), stats.delivered.sum(), answeredTotal(),
            stats.rejected.sum(), stats.notConnected.sum(), stats.protocolErrors.sum(), ackedNotDelivered, unanswered,
            lateNs / 1e6));
        finish(name, report.toString(), accumulated, "Banter mixed: 1:1 send -> push, " + connectionCount +
            " connections, " + rate + " ops/s");
        return new LoadResult("Banter mixed", rate, stats.measuredDelivered.sum() / measuredS, accumulated, errors);
    }

    private long answeredTotal()
    {
        long answered = 0;
        for (int kind = 0; kind < MixedRequest.KINDS; kind++)
        {
            answered += stats.answered[kind].sum();
        }
        return answered;
    }

    private static long sum(final long[] values)
    {
        long sum = 0;
        for (final long value : values)
        {
            sum += value;
        }
        return sum;
    }

    private LoadResult reconnect() throws IOException, InterruptedException
    {
        final long startNs = System.nanoTime();
        stats.online.reset();
        stats.reconnectStartNs = startNs;
        for (final LoadConnection connection : connections)
        {
            connection.drop();
        }
        for (final LoadConnection connection : connections)
        {
            connect(connection);
        }
        awaitOnline(connectionCount, 120);
        final double allSyncedS = (System.nanoTime() - startNs) / 1e9;
        final Histogram syncTimes = stats.syncTime.getIntervalHistogram();
        final String report = table(String.format(Locale.ROOT, "drop %d connections -> each synced", connectionCount),
            0, connectionCount / allSyncedS, syncTimes, stats.errors()) +
            String.format(Locale.ROOT, "%nall %d connections logged in and synced %.2f s after the drop%n",
            connectionCount, allSyncedS);
        finish("reconnect-" + connectionCount + "c", report, syncTimes, "Banter reconnect storm, " + connectionCount +
            " connections");
        return new LoadResult("Banter reconnect", 0, connectionCount / allSyncedS, syncTimes, stats.errors());
    }

    private void finish(final String name, final String table, final Histogram histogram, final String title)
        throws IOException
    {
        final String header = "Banter bench " + name + ", " + (1 == members ? "" : "members=" + members + ", ") +
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + "\n" +
            "machine: " + LatencyReport.machine() + "\n" +
            (1 == members ? "setup:   'banter server' (one-member cluster, embedded gateway) in a child JVM" :
            "setup:   members=" + members + ": a local cluster of " + members + " 'banter node' child JVMs (as 'banter " +
            "replica start'), each with an embedded gateway; every connection on the leader's (member " + leader +
            ") gateway, each send replicated to a majority before its ack") +
            "; the load generator in this JVM, one TCP connection per simulated device, loopback\n\n";
        final String firstError = null == stats.firstError ? "" : "first error answered: " + stats.firstError + "\n";
        final String text = header + table + firstError + serverMemory();
        out.println();
        out.print(text);
        Files.createDirectories(results);
        final Path reportFile = resultFile(name + ".txt");
        Files.writeString(reportFile, text);
        out.println("written to " + reportFile);
        if (plot)
        {
            final Path svg = resultFile(name + ".svg");
            PercentilePlot.write(svg, title, histogram);
            out.println("plot: " + svg);
        }
    }

    /**
     * The server process's resident memory now and at its peak, from /proc (Linux).
     */
    private String serverMemory()
    {
        try
        {
            final ProcessMemory memory = ProcessMemory.of(Long.toString(serverPid));
            return String.format(Locale.ROOT,
                "%s resident memory: %d MiB now, %d MiB peak, with %d connections and %d stored messages%n",
                1 == members ? "server" : "leader", memory.residentMiB(), memory.peakMiB(), connectionCount, stats.acked.sum());
        }
        catch (final IOException | RuntimeException ex)
        {
            return "server resident memory: unknown (" + ex.getMessage() + ")\n";
        }
    }

    private Path resultFile(final String suffix)
    {
        return results.resolve(LocalDate.now() + "-" + (1 == members ? "" : members + "m-") + suffix);
    }

    public static String table(
        final String name, final double offered, final double achieved, final Histogram ns, final long errors)
    {
        return String.format(Locale.ROOT, "%-40s %9s %9s %9s %9s %9s %9s %9s %9s %9s %7s%n",
            "name (latency in us)", "offered/s", "achieved/s", "count", "p50", "p90", "p99", "p99.9", "p99.99", "max",
            "errors") +
            String.format(Locale.ROOT, "%-40s %9.0f %9.0f %9d %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %7d%n",
                name, offered, achieved, ns.getTotalCount(),
                ns.getValueAtPercentile(50) / 1e3, ns.getValueAtPercentile(90) / 1e3, ns.getValueAtPercentile(99) / 1e3,
                ns.getValueAtPercentile(99.9) / 1e3, ns.getValueAtPercentile(99.99) / 1e3, ns.getMaxValue() / 1e3,
                errors);
    }

    /**
     * Once a second: a progress line, and the second's histogram into the HdrHistogram log.
     */
    private final class ProgressPrinter extends Thread
    {
        private final Path logFile;
        private final Histogram accumulated;
        private final long total;
        private volatile boolean running = true;

        ProgressPrinter(final Path logFile, final Histogram accumulated, final long total)
        {
            super("bench-progress");
            setDaemon(true);
            this.logFile = logFile;
            this.accumulated = accumulated;
            this.total = total;
        }

        public void run()
        {
            try (PrintStream log = new PrintStream(Files.newOutputStream(logFile)))
            {
                final HistogramLogWriter writer = new HistogramLogWriter(log);
                writer.outputLogFormatVersion();
                writer.outputStartTime(System.currentTimeMillis());
                writer.outputLegend();
                final long startNs = System.nanoTime();
                Histogram interval = null;
                while (running)
                {
                    Thread.sleep(1000);
                    interval = stats.latency.getIntervalHistogram(interval);
                    synchronized (accumulated)
                    {
                        accumulated.add(interval);
                    }
                    writer.outputIntervalHistogram(interval);
                    out.printf("\r%5.0f s  sent %d/%d  delivered %d  p99 this second %.1f ms  errors %d   ",
                        (System.nanoTime() - startNs) / 1e9, stats.sent.sum(), total, stats.delivered.sum(),
                        interval.getValueAtPercentile(99) / 1e6, stats.errors());
                }
                interval = stats.latency.getIntervalHistogram(interval);
                synchronized (accumulated)
                {
                    accumulated.add(interval);
                }
                writer.outputIntervalHistogram(interval);
            }
            catch (final IOException | InterruptedException ex)
            {
                out.println("bench: progress stopped: " + ex);
            }
        }

        void finish() throws InterruptedException
        {
            running = false;
            join();
        }
    }
}
