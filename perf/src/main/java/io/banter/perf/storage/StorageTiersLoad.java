package io.banter.perf.storage;

import io.banter.access.cli.Args;
import io.banter.codecs.Platform;
import io.banter.engine.Engine;
import io.banter.engine.EngineContext;
import io.banter.engine.fixture.CommandWriter;
import io.banter.engine.state.Conversation;
import io.banter.engine.state.HotWindow;
import io.banter.engine.store.ChronicleMessageStore;
import io.banter.journal.cold.ColdTierContext;
import io.banter.journal.cold.ColdTierHost;
import io.banter.journal.cold.ReplySink;
import io.banter.perf.latency.LatencyReport;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code banter bench storage}: the storage tiers at scale, as a member runs them but without the
 * network: one engine with its Chronicle Map hot tier, the cold tier written behind it on its own
 * thread and serving as the engine's archive. Sends N direct messages (64-byte payloads) over C
 * conversations between online users, then measures history pages of 20: from the hot tier
 * (answered on the engine thread) and from below the hot window (handed to the cold tier's
 * thread, read from disk and answered back, timed until the answer is ready to send). Reports
 * the send rate, the evictions, the resident memory of the process and its heap.
 */
public final class StorageTiersLoad
{
    private static final String USAGE = String.join("\n",
        "usage: bin/banter bench storage [--messages N] [--users U] [--conversations C] [--hot-tier-entries H]",
        "                                [--change-log-capacity L] [--pages P] [--dir DIR] [--results DIR]",
        "",
        "  --messages N          direct messages sent through the engine          [10000000]",
        "  --users U             online users, each starting C/U conversations    [10000]",
        "  --conversations C     conversations the messages are spread over       [100000]",
        "  --change-log-capacity L  changes kept per user for sync (engine state,",
        "                        not history: U x L x 32 bytes of heap)           [1024]",
        "  --hot-tier-entries H  messages the hot tier holds; the oldest leave     [1000000]",
        "  --pages P             history pages of 20 measured from each tier       [20000]",
        "  --dir DIR             where the cold tier goes (deleted after)          [a temporary directory]",
        "  --results DIR         where the report goes                             [perf/results]",
        "",
        "Run with BANTER_JAVA_OPTS=-Xmx1280m to see the memory bound (heap plus the off-heap hot tier).");
    private static final long GATEWAY = 1;
    private static final int PAGE = 20;
    private static final long USER_BASE = 1_000_000L;

    private final CommandWriter commands = new CommandWriter();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[SampleStoredMessage.PAYLOAD_LENGTH]);
    private long timestamp;
    private long correlationId;
    private long repliesSeen;
    private final ReplySink replySink = this::onReply;

    public static void main(final String[] argv) throws Exception
    {
        final Args args = Args.parse(argv, 0,
            Set.of("messages", "users", "conversations", "hot-tier-entries", "change-log-capacity", "pages", "dir",
                "results"), Set.of());
        if (args.has("help"))
        {
            System.out.println(USAGE);
            return;
        }
        new StorageTiersLoad().run(args.getLong("messages", 10_000_000), args.getInt("users", 10_000),
            args.getInt("conversations", 100_000), args.getLong("hot-tier-entries", new EngineContext().hotTierEntries()),
            args.getInt("change-log-capacity", 1024), args.getInt("pages", 20_000),
            args.has("dir") ? Path.of(args.get("dir", "")) : Files.createTempDirectory("banter-storage-load"),
            Path.of(args.get("results", "perf/results")), System.out);
    }

    private void run(
        final long messages,
        final int users,
        final int conversations,
        final long hotTierEntries,
        final int changeLogCapacity,
        final int pages,
        final Path directory,
        final Path results,
        final PrintStream out) throws Exception
    {
        // User u starts conversations with u+1 .. u+k, ring-wise: conversation slot u*k + j is (u, u+1+j).
        final int perUser = Math.max(1, conversations / users);
        if (perUser >= users)
        {
            throw new IllegalArgumentException("too few users for " + conversations + " conversations");
        }
        final long[] conversationIds = new long[users * perUser];
        final long[] nextClientMsgId = new long[users];
        final ColdTierHost cold = ColdTierHost.start(new ColdTierContext().directory(directory));
        try
        {
            final EngineContext context = new EngineContext()
                .hotTierEntries(hotTierEntries)
                .changeLogCapacity(changeLogCapacity)
                .strangersMayMessage(true)
                .maxUsers(users + 1);
            context.messageStore(cold.wrap(new ChronicleMessageStore(hotTierEntries,
                context.hotTierAverageMessageBytes(), context.maxStoredMessageLength())));
            context.historyArchive(cold.historyArchive(context, () -> true));
            final Engine engine = new Engine(context,
                (final long gatewayId, final DirectBuffer buffer, final int offset, final int length) -> { });

            for (int u = 0; u < users; u++)
            {
                apply(engine, commands.registerUser(++correlationId, USER_BASE + u, "u" + u));
                apply(engine, commands.deviceLogin(connection(u), ++correlationId, USER_BASE + u, 1, Platform.MOBILE));
                nextClientMsgId[u] = 1;
            }
            for (int u = 0; u < users; u++)
            {
                for (int j = 0; j < perUser; j++)
                {
                    final int peer = (u + 1 + j) % users;
                    apply(engine, commands.send(connection(u), nextClientMsgId[u]++, 0, USER_BASE + peer, 1, payload, 0,
                        payload.capacity()));
                    conversationIds[u * perUser + j] = engine.state().user(USER_BASE + u).directConversationWith(USER_BASE + peer);
                }
            }

            final long startNs = System.nanoTime();
            long lastReportNs = startNs;
            final long sent0 = conversationIds.length;
            for (long i = sent0; i < messages; i++)
            {
                final int slot = (int)(i % conversationIds.length);
                final int u = slot / perUser;
                payload.putLong(0, i);
                apply(engine, commands.send(connection(u), nextClientMsgId[u]++, conversationIds[slot], 0, 1, payload, 0,
                    payload.capacity()));
                if (0 == (i & 0xFFFF) && System.nanoTime() - lastReportNs > 5_000_000_000L)
                {
                    lastReportNs = System.nanoTime();
                    out.printf("bench storage: %,d of %,d sent, %,.0f/s, hot %,d, %s%n", i, messages,
                        (i - sent0) / ((lastReportNs - startNs) / 1e9), engine.state().messageStore().size(),
                        StorageRun.memory());
                }
            }
            cold.awaitDurable();
            final double sendS = (System.nanoTime() - startNs) / 1e9;
            final HotWindow window = engine.state().hotWindow();
            out.printf("bench storage: %,d sent in %.1f s (the cold tier durable)%n", messages, sendS);

            final Histogram hotNs = new Histogram(60_000_000_000L, 3);
            final Histogram coldNs = new Histogram(60_000_000_000L, 3);
            final SplittableRandom random = new SplittableRandom(42);
            for (int p = 0; p < pages; p++)
            {
                final int slot = random.nextInt(conversationIds.length);
                final long t0 = System.nanoTime();
                apply(engine, commands.history(connection(slot / perUser), ++correlationId, conversationIds[slot], 0, PAGE));
                hotNs.recordValue(System.nanoTime() - t0);
            }
            int coldPages = 0;
            for (int p = 0; p < pages; p++)
            {
                final int slot = random.nextInt(conversationIds.length);
                final long conversationId = conversationIds[slot];
                final Conversation conversation = engine.state().conversation(conversationId);
                final long floor = conversation.hotFloorSeq();
                if (floor <= 2)
                {
                    continue;
                }
                final long beforeSeq = 2 + random.nextLong(floor - 1);
                final long t0 = System.nanoTime();
                apply(engine, commands.history(connection(slot / perUser), ++correlationId, conversationId, beforeSeq, PAGE));
                while (0 == cold.pollReplies(replySink))
                {
                    // As the service thread's idle strategy would: the cold tier's thread needs the core.
                    Thread.yield();
                }
                coldNs.recordValue(System.nanoTime() - t0);
                coldPages++;
            }
            if (repliesSeen != coldPages)
            {
                throw new IllegalStateException(coldPages + " cold pages asked, " + repliesSeen + " answered");
            }
            System.gc();
            final String memory = StorageRun.memory();
            final String report = String.format(Locale.ROOT,
                "Banter bench storage, %s%nmachine: %s; JVM options: %s%n%n" +
                "engine + Chronicle Map hot tier (%,d entries) + cold tier written behind it, in one process, no network%n" +
                "sent %,d direct messages (64-byte payloads) over %,d conversations between %,d online users " +
                "(%,d changes kept per user) in %.1f s: %,.0f/s%n" +
                "hot tier now %,d messages; evicted %,d (by capacity %,d, by count %,d, by age %,d); " +
                "engine thread waited for the cold writer %,d times%n" +
                "cold tier: %.2f GiB on disk%n%s%n%n" +
                "history page of %d newest first (us):%n" +
                "  hot tier,  %,d pages at the head of random conversations, on the engine thread:%n" +
                "    p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n" +
                "  cold tier, %,d pages at random places below the hot window, request to answer ready to send%n" +
                "  (engine hands it over, the cold tier's thread reads the segment files and encodes):%n" +
                "    p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")),
                LatencyReport.machine(), String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean()
                    .getInputArguments().stream().filter(a -> a.startsWith("-Xm")).toList()),
                hotTierEntries, messages, conversationIds.length, users, changeLogCapacity, sendS, (messages - sent0) / sendS,
                engine.state().messageStore().size(), window.evictions(), window.evictedByCapacity(),
                window.evictedByCount(), window.evictedByAge(), cold.backPressuredWaits(),
                StorageRun.sizeGiB(directory), memory, PAGE,
                pages, hotNs.getValueAtPercentile(50) / 1e3, hotNs.getValueAtPercentile(90) / 1e3,
                hotNs.getValueAtPercentile(99) / 1e3, hotNs.getValueAtPercentile(99.9) / 1e3, hotNs.getMaxValue() / 1e3,
                coldPages, coldNs.getValueAtPercentile(50) / 1e3, coldNs.getValueAtPercentile(90) / 1e3,
                coldNs.getValueAtPercentile(99) / 1e3, coldNs.getValueAtPercentile(99.9) / 1e3, coldNs.getMaxValue() / 1e3);
            out.print(report);
            Files.createDirectories(results);
            final Path file = results.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd")) +
                "-storage-" + messages + ".txt");
            Files.writeString(file, report);
            out.println("written to " + file);
            engine.close();
        }
        finally
        {
            cold.close();
            StorageRun.delete(directory);
        }
    }

    private boolean onReply(final long gatewayId, final DirectBuffer buffer, final int offset, final int length)
    {
        repliesSeen++;
        return true;
    }

    private static long connection(final int user)
    {
        return 10L + user;
    }

    private void apply(final Engine engine, final int length)
    {
        engine.onCommand(GATEWAY, ++timestamp, commands.buffer(), 0, length);
    }
}
