package io.banter.perf.load;

import io.banter.access.auth.ServerSecret;
import io.banter.access.auth.TokenAuthority;
import io.banter.access.cli.Args;
import io.banter.access.client.BanterClient;
import io.banter.access.client.BanterClientContext;
import io.banter.access.client.ChatMessage;
import io.banter.access.client.MessageListener;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.SendAckDecoder;
import io.banter.codecs.framing.SimpleOpenFramingHeader;
import io.banter.perf.latency.ProcessMemory;
import io.banter.replica.admin.AdminClient;
import io.banter.replica.local.MemberProcess;
import io.banter.replica.server.BanterServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code banter bench hostile}: two quiet legitimate clients (SDK devices) exchange messages at a
 * steady rate while, one phase after another, hostile clients attack the same one-member server:
 * a logged-in client flooding sends as fast as TCP takes them, a logged-in client asking large
 * history pages and never reading the answers, a client that never logs in and never reads while
 * sending frames the gateway answers itself, and thousands of idle connections. Each phase
 * reports the legitimate clients' delivery latency (from the intended send time) next to the
 * quiet phase's, the server's resident memory and open file descriptors, and what the attacker
 * got through; last, memory after the attacks against before them.
 */
public final class HostileClientsRun
{
    static final String USAGE = String.join("\n",
        "usage: bin/banter bench hostile [options]",
        "",
        "Phases of --phase-seconds each against one 'banter server' child: quiet, flood (one client",
        "sending as fast as it can), history (one client paging history without reading), unauthenticated",
        "(one client that never logs in or reads, sending heartbeats and unknown templates), idle",
        "(--idle-connections that never send a byte), quiet again. Two SDK clients send each other",
        "--rate messages/s throughout; their delivery latency is reported per phase with the server's",
        "memory and file descriptors.",
        "",
        "options:",
        "  --phase-seconds S      seconds per phase                                [10]",
        "  --rate R               legitimate messages per second                   [200]",
        "  --idle-connections N   connections opened in the idle phase             [8000]",
        "  --base-port P          the child server's cluster base port             [25000]",
        "  --results DIR          where the report goes                            [perf/results]");

    private static final Set<String> VALUED = Set.of("phase-seconds", "rate", "idle-connections", "base-port", "results");
    private static final int HISTORY_PAGE = 256;

    private final int phaseSeconds;
    private final int rate;
    private final int idleConnections;
    private final int basePort;
    private final Path results;
    private final PrintStream out = System.out;
    private final List<String> report = new ArrayList<>();
    private volatile Recorder phaseLatency = new Recorder(3);
    private volatile boolean attacking;
    /** Closed at the end of each phase: an attacker blocked in a write (the gateway paced it) stops too. */
    private final Set<Socket> attackSockets = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private HostileClientsRun(final Args args)
    {
        phaseSeconds = args.getInt("phase-seconds", 10);
        rate = args.getInt("rate", 200);
        idleConnections = args.getInt("idle-connections", 8000);
        basePort = args.getInt("base-port", 25_000);
        results = Path.of(args.get("results", "perf/results"));
    }

    public static void main(final String[] argv) throws Exception
    {
        final Args args = Args.parse(argv, 0, VALUED, Set.of());
        if (args.has("help"))
        {
            System.out.println(USAGE);
            return;
        }
        System.exit(new HostileClientsRun(args).run());
    }

    private int run() throws Exception
    {
        final File dataDir = Files.createTempDirectory("banter-hostile-").toFile();
        final int gatewayPort = basePort + 70;
        out.println("bench hostile: starting 'banter server' (data in " + dataDir + ")");
        try (MemberProcess server = MemberProcess.start(List.of("server", "--data-dir", dataDir.getPath(),
            "--base-port", String.valueOf(basePort), "--gateway-port", String.valueOf(gatewayPort),
            "--strangers-may-message"), new File(dataDir, "server.log"), "banter: listening on", 120, TimeUnit.SECONDS))
        {
            final String pid = Long.toString(server.pid());
            final TokenAuthority tokens = new TokenAuthority(
                ServerSecret.loadOrCreate(BanterServer.secretFile(dataDir).toPath()));
            final long alice = tokens.userIdFor("alice");
            final long bob = tokens.userIdFor("bob");
            final long flooder = tokens.userIdFor("flooder");
            final long sink = tokens.userIdFor("sink");
            try (AdminClient admin = new AdminClient(null, "0=localhost:" + (basePort + 1)))
            {
                for (final String name : List.of("alice", "bob", "flooder", "sink"))
                {
                    final AdminClient.Response response = admin.registerUser(tokens.userIdFor(name), name, 30, TimeUnit.SECONDS);
                    if (ErrorCode.NONE != response.code())
                    {
                        throw new IllegalStateException("cannot register " + name + ": " + response.text());
                    }
                }
            }
            final long expiry = System.currentTimeMillis() + TimeUnit.HOURS.toMillis(2);
            final InetSocketAddress gateway = new InetSocketAddress("127.0.0.1", gatewayPort);
            try (BanterClient aliceClient = client(gateway, alice, tokens.issue(alice, expiry), null);
                BanterClient bobClient = client(gateway, bob, tokens.issue(bob, expiry), new DeliveryTimer()))
            {
                final Thread sender = new Thread(() -> sendSteadily(aliceClient, bob), "hostile-legitimate-sender");
                sender.setDaemon(true);
                sender.start();
                phase("warm-up", pid, null);
                phaseLatency.getIntervalHistogram();
                final Histogram quiet = phase("quiet", pid, null);
                final long quietRssKb = ProcessMemory.of(pid).residentKb();
                final AtomicLong conversation = new AtomicLong();
                final String flooderToken = tokens.issue(flooder, expiry);
                phase("flood", pid, quiet, () -> flood(gateway, flooder, flooderToken, sink, conversation));
                phase("history", pid, quiet, () -> pageWithoutReading(gateway, flooder, flooderToken, conversation.get()));
                phase("unauthenticated", pid, quiet, () -> neverLogIn(gateway));
                phase("idle", pid, quiet, () -> holdIdle(gateway));
                phase("quiet-after", pid, quiet, null);
                final long afterRssKb = ProcessMemory.of(pid).residentKb();
                sender.interrupt();
                report.add(String.format(Locale.ROOT, "memory: server resident %d MiB before the attacks, %d MiB after (%+.1f %%)",
                    quietRssKb / 1024, afterRssKb / 1024, 100.0 * (afterRssKb - quietRssKb) / quietRssKb));
            }
        }
        finally
        {
            IoUtil.delete(dataDir, true);
        }
        out.println();
        report.forEach(out::println);
        Files.createDirectories(results);
        final Path file = results.resolve(LocalDate.now() + "-hostile-" + rate + "r.txt");
        Files.write(file, report);
        out.println("bench hostile: report in " + file);
        return 0;
    }

    private BanterClient client(
        final InetSocketAddress gateway, final long userId, final String token, final MessageListener listener)
    {
        return BanterClient.connect(new BanterClientContext()
            .endpoints(gateway.getHostString() + ":" + gateway.getPort())
            .userId(userId).deviceId(1).token(token)
            .listener(null != listener ? listener : message -> {}))
            .awaitOnline(30, TimeUnit.SECONDS);
    }

    /**
     * Open loop: message i is due at start + i / rate and carries its due time.
     */
    private void sendSteadily(final BanterClient client, final long toUserId)
    {
        final long intervalNs = TimeUnit.SECONDS.toNanos(1) / rate;
        final long startNs = System.nanoTime();
        for (long i = 0; !Thread.currentThread().isInterrupted(); i++)
        {
            final long dueNs = startNs + i * intervalNs;
            long waitNs;
            while ((waitNs = dueNs - System.nanoTime()) > 0)
            {
                LockSupport.parkNanos(waitNs);
            }
            client.sendText(toUserId, Long.toString(dueNs));
        }
    }

    private final class DeliveryTimer implements MessageListener
    {
        public void onMessage(final ChatMessage message)
        {
            try
            {
                final long dueNs = Long.parseLong(message.text());
                phaseLatency.recordValue(Math.max(1, System.nanoTime() - dueNs));
            }
            catch (final NumberFormatException ignore)
            {
                // Not one of the timed messages (a history page or an older message synced).
            }
        }
    }

    private Histogram phase(final String name, final String pid, final Histogram quiet) throws Exception
    {
        return phase(name, pid, quiet, null);
    }

    /**
     * Run {@code attack} on a thread of its own for the phase, then report the legitimate
     * clients' latency meanwhile, the attack's own line and the server's memory and descriptors.
     */
    private Histogram phase(final String name, final String pid, final Histogram quiet, final Attack attack)
        throws Exception
    {
        out.println("bench hostile: phase " + name + " (" + phaseSeconds + " s)");
        phaseLatency.getIntervalHistogram();
        final String[] attackResult = {""};
        Thread attacker = null;
        if (null != attack)
        {
            attacking = true;
            attacker = new Thread(() ->
            {
                try
                {
                    attackResult[0] = attack.run();
                }
                catch (final Exception ex)
                {
                    attackResult[0] = "attack failed: " + ex;
                }
            }, "hostile-" + name);
            attacker.setDaemon(true);
            attacker.start();
        }
        final long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(phaseSeconds);
        long peakFds = 0;
        while (System.nanoTime() < endNs)
        {
            peakFds = Math.max(peakFds, openFileDescriptors(pid));
            Thread.sleep(200);
        }
        final ProcessMemory memory = ProcessMemory.of(pid);
        final long fdsAtEnd = openFileDescriptors(pid);
        attacking = false;
        for (final Socket socket : attackSockets)
        {
            closeQuietly(socket);
        }
        attackSockets.clear();
        if (null != attacker)
        {
            attacker.join(TimeUnit.SECONDS.toMillis(30));
        }
        final Histogram latency = phaseLatency.getIntervalHistogram();
        final String line = String.format(Locale.ROOT,
            "%-16s delivered %6d  p50 %7.2f ms  p99 %7.2f ms  max %8.2f ms%s  server rss %5d MiB, fds peak %5d end %5d  %s",
            name, latency.getTotalCount(), latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
            latency.getMaxValue() / 1e6,
            null == quiet || 0 == quiet.getTotalCount() ? "          " : String.format(Locale.ROOT, " (p99 %4.1fx)",
                (double)latency.getValueAtPercentile(99) / quiet.getValueAtPercentile(99)),
            memory.residentMiB(), peakFds, fdsAtEnd, attackResult[0]);
        report.add(line);
        out.println(line);
        return latency;
    }

    @FunctionalInterface
    private interface Attack
    {
        String run() throws Exception;
    }

    /**
     * A logged-in client writing sends as fast as TCP takes them, reading its answers so that it
     * is not closed as a slow consumer: only the gateway's rate can hold it back.
     */
    private String flood(
        final InetSocketAddress gateway, final long userId, final String token, final long toUserId,
        final AtomicLong conversation) throws Exception
    {
        final LoadFrames frames = new LoadFrames();
        long written = 0;
        final AtomicLong acked = new AtomicLong();
        try (Socket socket = connect(gateway, 0))
        {
            final Thread reader = new Thread(() -> readAcks(socket, acked, conversation), "hostile-flood-reader");
            reader.setDaemon(true);
            reader.start();
            final OutputStream output = socket.getOutputStream();
            output.write(bytes(frames.login(UnpooledByteBufAllocator.DEFAULT, userId, 1, token)));
            final ByteArrayOutputStream batch = new ByteArrayOutputStream();
            while (attacking)
            {
                batch.reset();
                for (int i = 0; i < 100; i++)
                {
                    batch.write(bytes(frames.send(UnpooledByteBufAllocator.DEFAULT, ++written, toUserId, 0, written)));
                }
                output.write(batch.toByteArray());
            }
        }
        catch (final IOException ex)
        {
            return String.format(Locale.ROOT, "flood: %d sends written, %d acknowledged, closed (%s)",
                written, acked.get(), ex.getMessage());
        }
        return String.format(Locale.ROOT, "flood: %d sends written (%.0f/s), %d acknowledged (%.0f/s)",
            written, (double)written / phaseSeconds, acked.get(), (double)acked.get() / phaseSeconds);
    }

    private static void readAcks(final Socket socket, final AtomicLong acked, final AtomicLong conversation)
    {
        try
        {
            final DataInputStream input = new DataInputStream(socket.getInputStream());
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            final SendAckDecoder ack = new SendAckDecoder();
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64 * 1024]);
            while (true)
            {
                final int length = input.readInt() - SimpleOpenFramingHeader.HEADER_LENGTH;
                input.readShort();
                input.readFully(message.byteArray(), 0, length);
                header.wrap(message, 0);
                if (SendAckDecoder.TEMPLATE_ID == header.templateId())
                {
                    ack.wrap(message, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                    conversation.set(ack.conversationId());
                    acked.incrementAndGet();
                }
            }
        }
        catch (final IOException ignore)
        {
            // The socket closed: the attack is over.
        }
    }

    /**
     * A logged-in client (the flooder's second device) asking for the largest history pages of
     * the flooded conversation and never reading them; it reconnects whenever it is closed.
     */
    private String pageWithoutReading(
        final InetSocketAddress gateway, final long userId, final String token, final long conversationId)
        throws Exception
    {
        final LoadFrames frames = new LoadFrames();
        long written = 0;
        int connections = 0;
        final byte[] page = bytes(frames.history(UnpooledByteBufAllocator.DEFAULT, 9, conversationId, 0, HISTORY_PAGE));
        while (attacking)
        {
            connections++;
            try (Socket socket = connect(gateway, 4096))
            {
                final OutputStream output = socket.getOutputStream();
                output.write(bytes(frames.login(UnpooledByteBufAllocator.DEFAULT, userId, 2, token)));
                while (attacking)
                {
                    output.write(page);
                    written++;
                }
            }
            catch (final IOException closed)
            {
                // Closed by the gateway: connect again, as a hostile client would.
            }
        }
        return String.format(Locale.ROOT, "history: %d pages of %d asked, %d connections", written, HISTORY_PAGE,
            connections);
    }

    /**
     * A client that never logs in and never reads, writing heartbeats and unknown templates (both
     * answered by the gateway itself); it reconnects whenever it is closed.
     */
    private String neverLogIn(final InetSocketAddress gateway) throws Exception
    {
        final ByteArrayOutputStream batch = new ByteArrayOutputStream();
        final LoadFrames frames = new LoadFrames();
        final byte[] unknown = unknownTemplate();
        for (int i = 0; i < 100; i++)
        {
            batch.write(bytes(frames.heartbeat(UnpooledByteBufAllocator.DEFAULT)));
            batch.write(unknown);
        }
        final byte[] burst = batch.toByteArray();
        long written = 0;
        int connections = 0;
        while (attacking)
        {
            connections++;
            try (Socket socket = connect(gateway, 4096))
            {
                final OutputStream output = socket.getOutputStream();
                while (attacking)
                {
                    output.write(burst);
                    written += 200;
                }
            }
            catch (final IOException closed)
            {
                // Closed by the gateway: connect again.
            }
        }
        return String.format(Locale.ROOT, "unauthenticated: %d frames written, %d connections", written, connections);
    }

    /**
     * Open many connections that never send a byte and hold them for the phase.
     */
    private String holdIdle(final InetSocketAddress gateway)
    {
        final List<Socket> sockets = new ArrayList<>();
        int refusedOrFailed = 0;
        try
        {
            for (int i = 0; i < idleConnections && attacking; i++)
            {
                try
                {
                    final Socket socket = connect(gateway, 0);
                    // These never block: they are counted and closed here after the phase.
                    attackSockets.remove(socket);
                    sockets.add(socket);
                }
                catch (final IOException ex)
                {
                    refusedOrFailed++;
                }
            }
            while (attacking)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            int closedByServer = 0;
            for (final Socket socket : sockets)
            {
                try
                {
                    socket.setSoTimeout(1);
                    if (socket.getInputStream().read(new byte[256]) < 0)
                    {
                        closedByServer++;
                    }
                }
                catch (final IOException stillOpenOrReset)
                {
                    closedByServer += stillOpenOrReset.getMessage() != null &&
                        stillOpenOrReset.getMessage().contains("reset") ? 1 : 0;
                }
            }
            return String.format(Locale.ROOT, "idle: %d connections opened (%d failed), %d closed by the server",
                sockets.size(), refusedOrFailed, closedByServer);
        }
        finally
        {
            sockets.forEach(HostileClientsRun::closeQuietly);
        }
    }

    private static void closeQuietly(final Socket socket)
    {
        try
        {
            socket.close();
        }
        catch (final IOException ignore)
        {
            // Closing anyway.
        }
    }

    private Socket connect(final InetSocketAddress gateway, final int receiveBufferSize) throws IOException
    {
        final Socket socket = new Socket();
        attackSockets.add(socket);
        if (receiveBufferSize > 0)
        {
            socket.setReceiveBufferSize(receiveBufferSize);
        }
        socket.setTcpNoDelay(true);
        socket.connect(gateway, 5_000);
        return socket;
    }

    private static byte[] bytes(final ByteBuf frame)
    {
        final byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        frame.release();
        return bytes;
    }

    private static byte[] unknownTemplate()
    {
        final int frameLength = SimpleOpenFramingHeader.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH;
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[frameLength]);
        frame.putInt(0, frameLength, java.nio.ByteOrder.BIG_ENDIAN);
        frame.putShort(4, (short)SimpleOpenFramingHeader.SBE_LITTLE_ENDIAN_ENCODING_TYPE, java.nio.ByteOrder.BIG_ENDIAN);
        new MessageHeaderEncoder().wrap(frame, SimpleOpenFramingHeader.HEADER_LENGTH)
            .blockLength(0).templateId(999).schemaId(MessageHeaderEncoder.SCHEMA_ID).version(MessageHeaderEncoder.SCHEMA_VERSION);
        return frame.byteArray();
    }

    private static long openFileDescriptors(final String pid)
    {
        final String[] fds = new File("/proc/" + pid + "/fd").list();
        return null == fds ? -1 : fds.length;
    }
}
