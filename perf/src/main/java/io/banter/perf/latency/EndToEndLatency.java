package io.banter.perf.latency;

import io.banter.access.auth.TokenAuthority;
import io.banter.access.cli.Args;
import io.banter.access.client.BanterClient;
import io.banter.access.client.BanterClientContext;
import io.banter.access.client.ChatMessage;
import io.banter.access.client.ClientState;
import io.banter.access.client.MessageListener;
import io.banter.access.gateway.GatewayContext;
import io.banter.codecs.ErrorCode;
import io.banter.engine.EngineContext;
import io.banter.replica.admin.AdminClient;
import io.banter.replica.node.NodeContext;
import io.banter.replica.server.BanterServer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end 1:1 latency on the one-member default server, over loopback: the time from a
 * sender's send to the recipient's client handing the pushed message to its listener.
 * <p>
 * Everything runs in this one JVM: the server ({@link BanterServer}: media driver, archive,
 * consensus module and engine in a one-member Aeron cluster, plus the embedded Netty gateway),
 * then two SDK clients, a sender and a recipient, each with its own event loop, and the
 * load-generating thread. On a 2-core machine they all share those 2 cores, so the figure is
 * an upper bound on what separate machines would see, and comparable between runs on the same
 * machine. A Netty ping-pong over loopback runs first, alone, as the floor.
 * <p>
 * The sender is open loop at a constant rate: message i is due at {@code start + i / rate}
 * and carries that intended time, and latency is measured from it, so a stall anywhere
 * (server, GC, the SDK's in-flight window, the generator itself) counts against every
 * message it delays rather than hiding them (no coordinated omission). Both clocks are this
 * JVM's {@link System#nanoTime()}.
 * <p>
 * Warm-up runs in rounds at the same rate until the JIT goes quiet, with the system drained
 * between rounds, so the measured phase starts from an idle, compiled server.
 */
public final class EndToEndLatency
{
    static final int DEFAULT_MESSAGES = 100_000;
    static final int DEFAULT_WARMUP = 20_000;
    static final int DEFAULT_RATE = 10_000;
    static final int DEFAULT_BASE_PORT = 23_000;
    static final String DEFAULT_RESULTS_DIR = "perf/results";

    /**
     * Intended send time, sequence number, padding: the size of the JMH engine benchmark's payload.
     */
    static final int PAYLOAD_LENGTH = 64;
    /**
     * Opaque bytes rather than text (0), so no chat client would try to show it.
     */
    static final int CONTENT_TYPE = 1;
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    /**
     * Below the engine's 64-send dedup window, so resends after a reconnect are still recognised.
     */
    static final int MAX_IN_FLIGHT_SENDS = 48;
    /**
     * Parking overshoots by the kernel's timer slack (50 us by default), so the generator parks
     * until this long before a message is due and spins the rest: on time without burning a core.
     */
    static final long PARK_MARGIN_NS = TimeUnit.MICROSECONDS.toNanos(60);
    /**
     * How long the run waits for outstanding pushes and acks without any progress.
     */
    static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    static final long JIT_SETTLE_MAX_NS = TimeUnit.SECONDS.toNanos(30);
    /**
     * The warm-up is over when the JIT compiled for less than this share of a round's time.
     */
    static final int JIT_QUIET_PERCENT = 10;
    static final int MAX_WARMUP_ROUNDS = 8;
    /**
     * Drain polling and the last message's own latency, on top of the offered duration.
     */
    static final long SATURATION_SLACK_NS = TimeUnit.MILLISECONDS.toNanos(50);

    static final String USAGE = String.join("\n",
        "usage: bin/banter bench latency [--messages N] [--rate R] [--warmup N] [--port P] [--idle S] [--results DIR]",
        "",
        "End-to-end 1:1 latency over loopback, in one JVM: a one-member cluster with its embedded",
        "gateway, a sender client and a recipient client. Latency is from the intended send time",
        "(open loop at a constant rate) to the recipient receiving the push. A Netty ping-pong over",
        "loopback TCP (round-trip time, same counts) runs first as the baseline.",
        "",
        "  --messages N    measured messages, and measured pings        [" + DEFAULT_MESSAGES + "]",
        "  --warmup N      messages per warm-up round, not recorded      [" + DEFAULT_WARMUP + "]",
        "                  (rounds repeat until the JIT is quiet, at most " + MAX_WARMUP_ROUNDS + "; also the pings' warm-up)",
        "  --rate R        messages per second                           [" + DEFAULT_RATE + "]",
        "  --port P        cluster base port (ports P+1..P+5)            [" + DEFAULT_BASE_PORT + "]",
        "  --idle S        the cluster's idle strategy: backoff, sleep or spin [backoff]",
        "  --results DIR   where YYYY-MM-DD-latency.txt is written       [" + DEFAULT_RESULTS_DIR + "]",
        "",
        "Prints p50/p90/p99/p99.9/max in microseconds, the machine, failed sends and the gateway's",
        "counters, and writes the same text to DIR. Takes about (messages + 3 to 6 rounds of warmup) / rate",
        "+ 20 s: about 45 s at the defaults on 2 cores.");

    private static final Set<String> VALUED = Set.of("messages", "warmup", "rate", "port", "results", "idle");

    private EndToEndLatency()
    {
    }

    public static void main(final String[] args)
    {
        int exitCode;
        try
        {
            exitCode = run(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("banter bench latency: " + ex.getMessage() + " (see --help)");
            exitCode = 2;
        }
        catch (final Exception ex)
        {
            ex.printStackTrace();
            exitCode = 1;
        }
        // Aeron and Chronicle leave non-daemon housekeeping threads behind; the run is over.
        System.exit(exitCode);
    }

    static int run(final String[] argv) throws Exception
    {
        final Args args = Args.parse(argv, 0, VALUED, Set.of());
        if (args.has("help"))
        {
            System.out.println(USAGE);
            return 0;
        }
        if (!args.positional().isEmpty())
        {
            throw new IllegalArgumentException("unexpected argument " + args.positional().get(0));
        }
        final int messages = args.getInt("messages", DEFAULT_MESSAGES);
        final int warmup = args.getInt("warmup", DEFAULT_WARMUP);
        final int rate = args.getInt("rate", DEFAULT_RATE);
        final int basePort = args.getInt("port", DEFAULT_BASE_PORT);
        final String idle = args.get("idle", "backoff");
        final Path resultsDir = Paths.get(args.get("results", DEFAULT_RESULTS_DIR));
        if (messages < 1 || warmup < 0 || rate < 1)
        {
            throw new IllegalArgumentException("--messages and --rate must be positive, --warmup not negative");
        }

        final LocalDateTime startedAt = LocalDateTime.now();
        System.out.println("bench latency: Netty ping-pong, " + warmup + " + " + messages + " pings...");
        final NettyPingPong.Result pingPong = NettyPingPong.run(warmup, messages, HIGHEST_TRACKABLE_NS);

        System.out.println("bench latency: end to end, " + warmup + " + " + messages + " messages at " + rate +
            " msg/s...");
        final EndToEndResult endToEnd = runEndToEnd(messages, warmup, rate, basePort, idle);

        final String transport = pingPong.epoll() ? "epoll" : "nio";
        final LatencyReport report = new LatencyReport()
            .header("Banter end-to-end latency, " + startedAt.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")))
            .header("machine: " + LatencyReport.machine())
            .header("setup:   one JVM, loopback: one-member cluster (idle strategy " + idle + ") with its embedded gateway " +
                "(" + (endToEnd.gatewayEpoll ? "epoll" : "nio") + "), sender and recipient SDK clients (nio), " +
                "the load generator")
            .header("load:    open loop " + rate + " msg/s, " + PAYLOAD_LENGTH + "-byte payload, " +
                endToEnd.warmupSent + " warm-up (rounds of " + warmup + " until the JIT is quiet) then " + messages +
                " measured; latency from the intended send time to the push reaching the recipient's listener")
            .header("command: bin/banter bench latency --messages " + messages + " --rate " + rate + " --warmup " +
                warmup + " --idle " + idle)
            .row("1:1 send -> push (one way)", endToEnd.latency)
            .row("Netty ping-pong RTT (" + transport + ", " + NettyPingPong.FRAME_LENGTH + " B)", pingPong.rtt())
            .note(String.format(Locale.ROOT, "sends: %d attempted, %d acked, %d failed, %d never received",
                endToEnd.attempted, endToEnd.acked, endToEnd.failed, endToEnd.attempted - endToEnd.received))
            .note(String.format(Locale.ROOT, "throughput: %.0f msg/s delivered over the measured phase (offered %d)",
                messages * 1e9 / endToEnd.measuredPhaseNs, rate))
            .note("client reconnects: " + endToEnd.reconnects)
            .note("load generator lateness (actual vs intended send, measured messages): p50 " +
                LatencyReport.micros(endToEnd.senderLag.getValueAtPercentile(50)) + " us, p99 " +
                LatencyReport.micros(endToEnd.senderLag.getValueAtPercentile(99)) + " us, max " +
                LatencyReport.micros(endToEnd.senderLag.getMaxValue()) + " us")
            .note("gateway counters: " + endToEnd.gatewayCounters);

        // An open-loop run the server cannot keep up with measures its queue, not its latency.
        final long offeredNs = messages * 1_000_000_000L / rate;
        if (endToEnd.measuredPhaseNs > offeredNs + offeredNs / 50 + SATURATION_SLACK_NS)
        {
            report.note(String.format(Locale.ROOT, "WARNING: the server did not keep up with %d msg/s on this machine " +
                "(the measured phase took %.1f s instead of %.1f s): the figures above are mostly queueing delay; " +
                "try a lower --rate", rate, endToEnd.measuredPhaseNs / 1e9, offeredNs / 1e9));
        }
        final String text = report.format();
        System.out.println();
        System.out.print(text);
        final Path file = report.write(resultsDir.resolve(LocalDate.now() + "-latency.txt"));
        System.out.println();
        System.out.println("written to " + file);
        final boolean complete = 0 == endToEnd.failed && endToEnd.received == endToEnd.attempted;
        return complete ? 0 : 1;
    }

    static EndToEndResult runEndToEnd(
        final int messages, final int warmup, final int rate, final int basePort, final String idle) throws Exception
    {
        final int mostMessages = warmup * MAX_WARMUP_ROUNDS + messages;
        final Path dataDir = Files.createTempDirectory("banter-latency-");
        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        final TokenAuthority tokens = new TokenAuthority(secret);
        final long defaultHotTier = new EngineContext().hotTierEntries();
        // The 1-member default, except that a long run must not fill the hot tier and be refused.
        final NodeContext node = new NodeContext()
            .idleStrategy(idle)
            .dataDir(dataDir.toFile())
            .basePort(basePort)
            .engineContextSupplier(() -> new EngineContext()
                .strangersMayMessage(true) // the two latency clients are not friends
                .hotTierEntries(Math.max(defaultHotTier, mostMessages + mostMessages / 4L)));

        BanterServer server = null;
        BanterClient recipient = null;
        BanterClient sender = null;
        try
        {
            server = BanterServer.launch(node, new GatewayContext().port(0).secret(secret)
                // One sender connection carries the whole rate: no per-connection limit applies.
                .requestRate(Integer.MAX_VALUE / 2, Integer.MAX_VALUE / 2));
            if (!server.awaitGatewayConnected(60, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("the gateway did not connect to the cluster in 60 s");
            }
            final long senderId;
            final long recipientId;
            try (AdminClient admin = new AdminClient(
                server.node().context().aeronDirectoryName(), server.node().context().ingressEndpoints()))
            {
                senderId = register(admin, tokens, "latency-sender");
                recipientId = register(admin, tokens, "latency-recipient");
            }

            final String endpoint = "127.0.0.1:" + server.gateway().port();
            final Inbox inbox = new Inbox(senderId);
            final Inbox senderInbox = new Inbox(0);
            recipient = BanterClient.connect(clientContext(endpoint, tokens, recipientId, inbox, mostMessages))
                .awaitOnline(30, TimeUnit.SECONDS);
            sender = BanterClient.connect(clientContext(endpoint, tokens, senderId, senderInbox, mostMessages))
                .awaitOnline(30, TimeUnit.SECONDS);

            // One generator for all phases: its counters and sequence numbers run on across them.
            final OpenLoopSender generator = new OpenLoopSender(sender, recipientId, rate);
            final int warmupSent = warmUp(generator, inbox, warmup);
            final int total = warmupSent + messages;
            inbox.recorder.reset();
            final long measureStartNs = System.nanoTime();
            generator.sendPhase(warmupSent, total);
            awaitDrained(inbox, generator, total);
            final long measureNs = System.nanoTime() - measureStartNs;
            System.out.printf(Locale.ROOT, "bench latency: measured phase done in %.1f s%n", measureNs / 1e9);

            final EndToEndResult result = new EndToEndResult();
            result.latency = inbox.recorder.getIntervalHistogram();
            result.senderLag = generator.lag;
            result.attempted = total;
            result.warmupSent = warmupSent;
            result.acked = generator.acked.sum();
            result.failed = generator.failed.sum();
            result.received = inbox.received.get();
            result.reconnects = inbox.reconnects.get() + senderInbox.reconnects.get();
            result.gatewayEpoll = server.gateway().usesEpoll();
            result.measuredPhaseNs = measureNs;
            CloseHelper.closeAll(sender, recipient);
            sender = null;
            recipient = null;
            result.gatewayCounters = server.gateway().counters().toString();
            return result;
        }
        finally
        {
            CloseHelper.quietCloseAll(sender, recipient, server);
            deleteRecursively(dataDir);
        }
    }

    /**
     * Rounds of {@code warmup} messages at the measured rate, each drained and followed by a
     * pause for the compile queue, until a round leaves the JIT nearly idle (or
     * {@link #MAX_WARMUP_ROUNDS}). On two cores C2 keeps compiling the hot paths (the engine's
     * send handler alone takes it about 2 s) for several seconds of traffic after the first
     * compiles, and while it does the server runs below capacity: a fixed short warm-up would
     * measure the JIT, not Banter.
     *
     * @return how many messages the warm-up sent.
     */
    private static int warmUp(final OpenLoopSender generator, final Inbox inbox, final int warmup)
        throws InterruptedException
    {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        final boolean jitTimed = null != jit && jit.isCompilationTimeMonitoringSupported();
        int sent = 0;
        for (int round = 1; warmup > 0 && round <= MAX_WARMUP_ROUNDS; round++)
        {
            final long compileMsBefore = jitTimed ? jit.getTotalCompilationTime() : 0;
            final long startNs = System.nanoTime();
            generator.sendPhase(sent, sent + warmup);
            sent += warmup;
            awaitDrained(inbox, generator, sent);
            final long roundNs = System.nanoTime() - startNs;
            awaitJitQuiet();
            final long compileMs = jitTimed ? jit.getTotalCompilationTime() - compileMsBefore : 0;
            System.out.printf(Locale.ROOT, "bench latency: warm-up round %d: %d messages in %.1f s, JIT busy %.1f s%n",
                round, warmup, roundNs / 1e9, compileMs / 1e3);
            if (!jitTimed || TimeUnit.MILLISECONDS.toNanos(compileMs) < roundNs * JIT_QUIET_PERCENT / 100)
            {
                return sent;
            }
        }
        if (warmup > 0)
        {
            System.out.println("bench latency: the JIT was still busy after " + MAX_WARMUP_ROUNDS +
                " warm-up rounds; a larger --warmup would help");
        }
        return sent;
    }

    /**
     * Wait until {@code expected} messages were received and as many sends settled, while they
     * keep arriving; give up after a spell without progress (the report shows what is missing).
     */
    private static void awaitDrained(final Inbox inbox, final OpenLoopSender generator, final long expected)
    {
        long lastProgress = -1;
        long lastProgressNs = System.nanoTime();
        while (inbox.received.get() < expected || generator.acked.sum() + generator.failed.sum() < expected)
        {
            final long progress = inbox.received.get() + generator.acked.sum() + generator.failed.sum();
            if (progress != lastProgress)
            {
                lastProgress = progress;
                lastProgressNs = System.nanoTime();
            }
            else if (System.nanoTime() - lastProgressNs > DRAIN_TIMEOUT_NS)
            {
                System.err.println("bench latency: gave up waiting: " + inbox.received.get() + " of " + expected +
                    " received, " + generator.acked.sum() + " acked, " + generator.failed.sum() + " failed");
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /**
     * Wait (up to {@link #JIT_SETTLE_MAX_NS}) until the JIT compilers have been nearly idle for a
     * while: on two cores a C2 compile of the hot paths takes a whole core for seconds.
     */
    private static void awaitJitQuiet()
    {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (null == jit || !jit.isCompilationTimeMonitoringSupported())
        {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
            return;
        }
        final long deadlineNs = System.nanoTime() + JIT_SETTLE_MAX_NS;
        long lastMs = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadlineNs)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            final long nowMs = jit.getTotalCompilationTime();
            if (nowMs - lastMs < 10)
            {
                return;
            }
            lastMs = nowMs;
        }
    }

    private static long register(final AdminClient admin, final TokenAuthority tokens, final String name)
    {
        final long userId = tokens.userIdFor(name);
        final AdminClient.Response response = admin.registerUser(userId, name, 30, TimeUnit.SECONDS);
        if (ErrorCode.NONE != response.code())
        {
            throw new IllegalStateException("registering " + name + ": " + response.code() + " " + response.text());
        }
        return userId;
    }

    private static BanterClientContext clientContext(
        final String endpoint, final TokenAuthority tokens, final long userId, final MessageListener listener,
        final int total)
    {
        return new BanterClientContext()
            .endpoints(endpoint)
            .userId(userId)
            .deviceId(1)
            .token(tokens.issue(userId, System.currentTimeMillis() + TimeUnit.HOURS.toMillis(1)))
            .listener(listener)
            .maxInFlightSends(MAX_IN_FLIGHT_SENDS)
            // After a stall every message due meanwhile is queued; none may be refused for that.
            .maxQueuedSends(Math.max(10_000, total));
    }

    private static void deleteRecursively(final Path dir)
    {
        try
        {
            Files.walkFileTree(dir, new SimpleFileVisitor<>()
            {
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException
                {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                public FileVisitResult postVisitDirectory(final Path d, final IOException ex) throws IOException
                {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (final IOException ex)
        {
            System.err.println("bench latency: could not delete " + dir + ": " + ex);
        }
    }

    static final class EndToEndResult
    {
        Histogram latency;
        Histogram senderLag;
        long attempted;
        long acked;
        long failed;
        long received;
        long reconnects;
        boolean gatewayEpoll;
        long measuredPhaseNs;
        int warmupSent;
        String gatewayCounters;
    }

    /**
     * The recipient's listener, on its client's event-loop thread: records each benchmark
     * message's latency. A {@link Recorder} because the main thread reads the result while
     * the event loop may still be running.
     */
    static final class Inbox implements MessageListener
    {
        final Recorder recorder = new Recorder(HIGHEST_TRACKABLE_NS, 3);
        final AtomicLong received = new AtomicLong();
        final AtomicLong reconnects = new AtomicLong();
        private final UnsafeBuffer payload = new UnsafeBuffer(new byte[0]);
        private final long senderId;
        private boolean wasOnline;

        Inbox(final long senderId)
        {
            this.senderId = senderId;
        }

        public void onMessage(final ChatMessage message)
        {
            final long nowNs = System.nanoTime();
            if (message.senderUserId() != senderId || message.payload().length != PAYLOAD_LENGTH)
            {
                return;
            }
            payload.wrap(message.payload());
            final long intendedNs = payload.getLong(0, ByteOrder.LITTLE_ENDIAN);
            // Warm-up messages are recorded too and discarded at the phase boundary: a branch the
            // warm-up never took would be compiled out and deoptimise the hot path when first taken.
            recorder.recordValue(Math.min(nowNs - intendedNs, HIGHEST_TRACKABLE_NS));
            received.incrementAndGet();
        }

        public void onStateChange(final ClientState state, final String reason)
        {
            if (ClientState.ONLINE == state)
            {
                wasOnline = true;
            }
            else if (ClientState.DISCONNECTED == state && wasOnline)
            {
                reconnects.incrementAndGet();
                System.err.println("bench latency: a client lost its connection: " + reason);
            }
        }
    }

    /**
     * The load generator: in a phase starting at {@code start}, message i is due at
     * {@code start + (i - first) * 1e9 / rate}, whatever happened to the ones before it.
     */
    static final class OpenLoopSender
    {
        final LongAdder acked = new LongAdder();
        final LongAdder failed = new LongAdder();
        final Histogram lag = new Histogram(HIGHEST_TRACKABLE_NS, 3);
        private final BanterClient client;
        private final long toUserId;
        private final int rate;

        OpenLoopSender(final BanterClient client, final long toUserId, final int rate)
        {
            this.client = client;
            this.toUserId = toUserId;
            this.rate = rate;
        }

        /**
         * Send messages {@code first} (inclusive) to {@code last} (exclusive) on a thread of their
         * own and wait for it: the SDK completes the receipts on its event loop.
         */
        void sendPhase(final int first, final int last) throws InterruptedException
        {
            // The previous phase's thread has ended (joined): each phase reports its own lateness.
            lag.reset();
            final Thread thread = new Thread(() -> send(first, last), "latency-sender");
            thread.start();
            thread.join();
        }

        private void send(final int first, final int last)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
            final long startNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
            for (int i = first; i < last; i++)
            {
                final long intendedNs = startNs + (i - first) * 1_000_000_000L / rate;
                long nowNs;
                while ((nowNs = System.nanoTime()) < intendedNs)
                {
                    final long remainingNs = intendedNs - nowNs;
                    if (remainingNs > PARK_MARGIN_NS)
                    {
                        LockSupport.parkNanos(remainingNs - PARK_MARGIN_NS);
                    }
                    else
                    {
                        Thread.onSpinWait();
                    }
                }
                lag.recordValue(Math.min(nowNs - intendedNs, HIGHEST_TRACKABLE_NS));

                // A fresh array each time: the SDK keeps it until acked, to resend after a reconnect.
                final byte[] payload = new byte[PAYLOAD_LENGTH];
                buffer.wrap(payload);
                buffer.putLong(0, intendedNs, ByteOrder.LITTLE_ENDIAN);
                buffer.putLong(Long.BYTES, i, ByteOrder.LITTLE_ENDIAN);
                client.send(0, toUserId, CONTENT_TYPE, payload).whenComplete((receipt, error) ->
                {
                    if (null == error)
                    {
                        acked.increment();
                    }
                    else
                    {
                        failed.increment();
                    }
                });
            }
        }
    }
}
