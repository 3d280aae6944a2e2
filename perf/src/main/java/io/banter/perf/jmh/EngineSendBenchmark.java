package io.banter.perf.jmh;

import io.banter.codecs.Platform;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The engine applying 1:1 sends with both users online: decode, dedup, store the body in the
 * Chronicle Map hot tier, two change-log appends, the ack and the push encoded into the event
 * buffer. One thread, as on the cluster service thread.
 * <p>
 * One engine serves the whole trial, its hot tier sized for every send of the run, so the
 * figure is steady state rather than the first touch of fresh off-heap pages. The
 * {@code discard} store is a breakdown aid: the same engine with bodies thrown away, to show
 * what the Chronicle Map put costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EngineSendBenchmark
{
    private static final long GATEWAY = 1;
    private static final long ALICE = 0x3F2A_91C4_0B7E_5D11L;
    private static final long BOB = 0x7C01_E3A9_5F42_8B02L;
    private static final long ALICE_CONNECTION = 11;
    private static final long BOB_CONNECTION = 21;

    @Param({ "64" })
    public int payloadLength;

    @Param({ "chronicle", "discard" })
    public String store;

    private final CommandWriter commands = new CommandWriter();
    private Engine engine;
    private UnsafeBuffer payload;
    private long clientMsgId;
    private long timestamp;
    private long conversationId;
    private Blackhole blackhole;

    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole)
    {
        this.blackhole = blackhole;
        final EngineOutput output = (final long gatewayId, final DirectBuffer buffer, final int offset, final int length) ->
            this.blackhole.consume(length);
        final EngineContext context = new EngineContext()
            .hotTierEntries(24_000_000)
            .hotTierAverageMessageBytes(64 + payloadLength);
        if ("discard".equals(store))
        {
            context.messageStore(new DiscardingMessageStore());
        }
        engine = new Engine(context, output);
        payload = new UnsafeBuffer(new byte[payloadLength]);
        apply(commands.registerUser(1, ALICE, "alice"));
        apply(commands.registerUser(2, BOB, "bob"));
        apply(commands.deviceLogin(ALICE_CONNECTION, 3, ALICE, 101, Platform.MOBILE));
        apply(commands.deviceLogin(BOB_CONNECTION, 4, BOB, 201, Platform.MOBILE));
        // Friends, so the default policy's check is part of the measured send.
        apply(commands.friendRequest(ALICE_CONNECTION, 5, BOB, ""));
        apply(commands.friendRespond(BOB_CONNECTION, 6, ALICE, true));
        clientMsgId = 1;
        apply(commands.send(ALICE_CONNECTION, clientMsgId++, 0, BOB, 1, payload, 0, payloadLength));
        conversationId = engine.state().user(ALICE).directConversationWith(BOB);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        engine.close();
    }

    @Benchmark
    public void directSendBothOnline()
    {
        apply(commands.send(ALICE_CONNECTION, clientMsgId++, conversationId, 0, 1, payload, 0, payloadLength));
    }

    private void apply(final int length)
    {
        engine.onCommand(GATEWAY, ++timestamp, commands.buffer(), 0, length);
    }
}
