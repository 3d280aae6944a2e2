package io.banter.perf.jmh;

import io.banter.journal.cold.ColdTier;
import io.banter.journal.cold.ColdTierContext;
import io.banter.perf.storage.SampleStoredMessage;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The cold tier's store on its own: appending a stored message (64-byte payload, not forced to
 * disk) and reading a history page of 20 newest first from a tier of 200,000 messages in 1,000
 * conversations, the files in the page cache.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ColdTierBenchmark
{
    private static final int CONVERSATIONS = 1_000;
    private static final int MESSAGES_PER_CONVERSATION = 200;
    private static final int PAGE = 20;

    private final SampleStoredMessage message = new SampleStoredMessage();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64 * 1024]);
    private Path directory;
    private ColdTier tier;
    private long appendConversation;
    private long appendSeq;
    private long pageCounter;
    private Blackhole blackhole;

    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole) throws IOException
    {
        this.blackhole = blackhole;
        directory = Files.createTempDirectory("banter-cold-bench");
        tier = ColdTier.open(new ColdTierContext().directory(directory));
        for (long seq = 1; seq <= MESSAGES_PER_CONVERSATION; seq++)
        {
            for (long conversation = 1; conversation <= CONVERSATIONS; conversation++)
            {
                tier.append(message.buffer(), 0, message.encode(conversation, seq));
            }
        }
        tier.flush();
        appendConversation = CONVERSATIONS + 1;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        tier.close();
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Benchmark
    public boolean append()
    {
        return tier.append(message.buffer(), 0, message.encode(appendConversation, ++appendSeq));
    }

    @Benchmark
    public int historyPage()
    {
        final long n = pageCounter++;
        final long conversation = 1 + (n * 7919) % CONVERSATIONS;
        final long beforeSeq = PAGE + 1 + (n * 104_729) % (MESSAGES_PER_CONVERSATION - PAGE);
        return tier.page(conversation, beforeSeq, PAGE, scratch, this::consume);
    }

    private void consume(final long seq, final DirectBuffer buffer, final int offset, final int length)
    {
        blackhole.consume(buffer.getLong(offset + length - 8));
    }
}
