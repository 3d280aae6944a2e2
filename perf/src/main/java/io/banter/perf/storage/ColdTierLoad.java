package io.banter.perf.storage;

import io.banter.access.cli.Args;
import io.banter.journal.cold.ColdTier;
import io.banter.journal.cold.ColdTierContext;
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
 * {@code banter bench cold}: the cold tier's store at scale in this JVM. Appends N stored
 * messages (64-byte payloads, spread over conversations) as the writer agent would, forcing every
 * second's worth, then reopens the tier (recovery rebuilds the index), and measures history pages
 * of 20 newest first at random places, with the files in the page cache. Reports the append
 * rate, the files' size, this process's resident memory and heap, and page latency percentiles.
 */
public final class ColdTierLoad
{
    private static final String USAGE = String.join("\n",
        "usage: bin/banter bench cold [--messages N] [--conversations C] [--pages P] [--dir DIR] [--results DIR]",
        "",
        "  --messages N       stored messages to append                    [10000000]",
        "  --conversations C  conversations they are spread over          [100000]",
        "  --pages P          history pages of 20 read at random places    [200000]",
        "  --dir DIR          where the segment files go (deleted after)   [a temporary directory]",
        "  --results DIR      where the report goes                        [perf/results]");
    private static final int PAGE = 20;

    private final SampleStoredMessage message = new SampleStoredMessage();
    private long consumed;

    public static void main(final String[] argv) throws IOException
    {
        final Args args = Args.parse(argv, 0, Set.of("messages", "conversations", "pages", "dir", "results"), Set.of());
        if (args.has("help"))
        {
            System.out.println(USAGE);
            return;
        }
        new ColdTierLoad().run(args.getLong("messages", 10_000_000), args.getInt("conversations", 100_000),
            args.getInt("pages", 200_000), args.has("dir") ? Path.of(args.get("dir", "")) :
            Files.createTempDirectory("banter-cold-load"), Path.of(args.get("results", "perf/results")), System.out);
    }

    private void run(
        final long messages,
        final int conversations,
        final int pages,
        final Path directory,
        final Path results,
        final PrintStream out) throws IOException
    {
        try
        {
            final ColdTierContext context = new ColdTierContext().directory(directory);
            final long startNs = System.nanoTime();
            long appended = 0;
            try (ColdTier tier = ColdTier.open(context))
            {
                long lastForceNs = startNs;
                for (long i = 0; i < messages; i++)
                {
                    final long conversation = 1 + i % conversations;
                    final long seq = 1 + i / conversations;
                    tier.append(message.buffer(), 0, message.encode(conversation, seq));
                    appended++;
                    if (0 == (i & 0xFFFF))
                    {
                        final long nowNs = System.nanoTime();
                        if (nowNs - lastForceNs > 1_000_000_000L)
                        {
                            tier.flush();
                            lastForceNs = nowNs;
                            out.printf("\rbench cold: %,d of %,d appended", i, messages);
                        }
                    }
                }
            }
            final double appendS = (System.nanoTime() - startNs) / 1e9;
            out.printf("\rbench cold: %,d appended in %.1f s%n", appended, appendS);

            final long openStartNs = System.nanoTime();
            final Histogram pageNs = new Histogram(60_000_000_000L, 3);
            final String memory;
            final double openS;
            final long records;
            final int segments;
            try (ColdTier tier = ColdTier.open(context))
            {
                openS = (System.nanoTime() - openStartNs) / 1e9;
                out.printf("bench cold: reopened (index rebuilt from %d segments) in %.1f s%n",
                    tier.recovery().segments(), openS);
                records = tier.records();
                segments = tier.segmentCount();
                final long perConversation = messages / conversations;
                final SplittableRandom random = new SplittableRandom(42);
                final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64 * 1024]);
                for (int p = 0; p < pages; p++)
                {
                    final long conversation = 1 + random.nextLong(conversations);
                    final long beforeSeq = perConversation <= PAGE ? 0 :
                        PAGE + 1 + random.nextLong(perConversation - PAGE);
                    final long t0 = System.nanoTime();
                    tier.page(conversation, beforeSeq, PAGE, scratch, this::consume);
                    pageNs.recordValue(System.nanoTime() - t0);
                }
                System.gc();
                memory = StorageRun.memory();
            }
            final String report = String.format(Locale.ROOT,
                "Banter bench cold, %s%nmachine: %s%n%n" +
                "appended %,d stored messages (64-byte payloads, %,d conversations) in %.1f s: %,.0f/s%n" +
                "files: %,d segments, %.2f GiB; reopened in %.1f s, indexing %,d records%n%s%n" +
                "history page of %d newest first, %,d pages at random places, files in the page cache (us):%n" +
                "  p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")),
                LatencyReport.machine(), appended, conversations, appendS, appended / appendS, segments,
                StorageRun.sizeGiB(directory), openS, records, memory, PAGE, pages,
                pageNs.getValueAtPercentile(50) / 1e3, pageNs.getValueAtPercentile(90) / 1e3,
                pageNs.getValueAtPercentile(99) / 1e3, pageNs.getValueAtPercentile(99.9) / 1e3,
                pageNs.getMaxValue() / 1e3);
            out.print(report);
            Files.createDirectories(results);
            final Path file = results.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd")) +
                "-cold-" + messages + ".txt");
            Files.writeString(file, report);
            out.println("written to " + file);
        }
        finally
        {
            StorageRun.delete(directory);
        }
    }

    private void consume(final long seq, final DirectBuffer buffer, final int offset, final int length)
    {
        consumed += buffer.getByte(offset + length - 1);
    }
}
