package io.banter.perf.jmh;

import io.banter.engine.Engine;
import io.banter.engine.EngineContext;
import io.banter.engine.EngineOutput;
import io.banter.engine.fixture.CommandWriter;
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

import java.util.concurrent.TimeUnit;

/**
 * A receipt query on a message in a 10,000-member group that half the members have read: the
 * read and unread counts from every member's read position, and the first page of 50 members
 * who have not read it. The message's sender is read from the Chronicle hot tier.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReceiptQueryBenchmark
{
    private static final int MEMBERS = 10_000;

    private final CommandWriter commands = new CommandWriter();
    private Engine engine;
    private UnsafeBuffer query;
    private int queryLength;
    private long timestamp;
    private Blackhole blackhole;

    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole)
    {
        this.blackhole = blackhole;
        final EngineOutput output = (final long gatewayId, final DirectBuffer buffer, final int offset, final int length) ->
            this.blackhole.consume(length);
        engine = new Engine(new EngineContext().hotTierEntries(100_000), output);
        final long[] clock = { 0 };
        final long group = GroupSendBenchmark.buildGroup(engine, commands, MEMBERS, clock);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        engine.onCommand(GroupSendBenchmark.gateway(1), ++clock[0], commands.buffer(), 0,
            commands.send(GroupSendBenchmark.connection(1), 1, group, 0, 1, payload, 0, 64));
        final long seq = engine.state().conversation(group).headSeq();
        for (int i = 0; i < MEMBERS; i += 2)
        {
            engine.onCommand(GroupSendBenchmark.gateway(i), ++clock[0], commands.buffer(), 0,
                commands.markRead(GroupSendBenchmark.connection(i), 3, group, seq));
        }
        timestamp = clock[0];
        queryLength = commands.receipts(GroupSendBenchmark.connection(0), 4, group, seq, false, 0, 50);
        final byte[] bytes = new byte[queryLength];
        commands.buffer().getBytes(0, bytes);
        query = new UnsafeBuffer(bytes);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        engine.close();
    }

    @Benchmark
    public void unreadCountsAndFirstPage()
    {
        engine.onCommand(GroupSendBenchmark.gateway(0), ++timestamp, query, 0, queryLength);
    }
}
