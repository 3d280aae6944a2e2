package io.banter.perf.jmh;

import io.banter.codecs.Platform;
import io.banter.engine.Engine;
import io.banter.engine.EngineContext;
import io.banter.engine.EngineOutput;
import io.banter.engine.fixture.CommandWriter;
import io.banter.engine.state.Conversation;
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
 * Engine time per send into a group whose members are all online, one device each, spread over
 * four gateways; the events go to a blackhole. 500 members is a small group: a change entry per
 * member and a push per member device. 10,000 members is a super group (threshold 1,000): the
 * sender's change entry plus, per member not yet told, a share of one {@code ConversationChanged}.
 * <p>
 * With {@code tellEveryone=false} a super group shows what coalescing gives once every member
 * has been told and has not pulled; {@code tellEveryone=true} clears the marks before each send
 * (outside the measured time), the worst case: all 10,000 online members told at once. A small
 * group pushes every message either way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GroupSendBenchmark
{
    private static final int GATEWAYS = 4;
    private static final int BATCH = 900;

    private final CommandWriter commands = new CommandWriter();
    private Engine engine;
    private UnsafeBuffer payload;
    private long clientMsgId;
    private long timestamp;
    private long group;
    private Conversation conversation;
    private Blackhole blackhole;

    /**
     * Build a group of {@code members} online users through real engine commands.
     */
    static long buildGroup(final Engine engine, final CommandWriter commands, final int members, final long[] clock)
    {
        for (int i = 0; i < members; i++)
        {
            final long userId = userId(i);
            engine.onCommand(gateway(i), ++clock[0], commands.buffer(), 0,
                commands.registerUser(i, userId, "member" + i));
            engine.onCommand(gateway(i), ++clock[0], commands.buffer(), 0,
                commands.deviceLogin(connection(i), i, userId, 1, Platform.MOBILE));
        }
        engine.onCommand(gateway(0), ++clock[0], commands.buffer(), 0,
            commands.createGroup(connection(0), 1, "bench", false, userId(1)));
        final long group = engine.state().user(userId(0)).conversationId(0);
        for (int from = 2; from < members; from += BATCH)
        {
            final long[] ids = new long[Math.min(BATCH, members - from)];
            for (int i = 0; i < ids.length; i++)
            {
                ids[i] = userId(from + i);
            }
            engine.onCommand(gateway(0), ++clock[0], commands.buffer(), 0,
                commands.addMembers(connection(0), 2, group, ids));
        }
        if (engine.state().conversation(group).memberCount() != members)
        {
            throw new IllegalStateException("the group has " + engine.state().conversation(group).memberCount() +
                " members, not " + members);
        }
        return group;
    }

    static long userId(final int index)
    {
        return 0x4000_0000L + 7919L * index;
    }

    static long gateway(final int index)
    {
        return 1 + index % GATEWAYS;
    }

    static long connection(final int index)
    {
        return 1_000 + index;
    }

    @Param({ "500", "10000" })
    public int members;

    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole)
    {
        this.blackhole = blackhole;
        final EngineOutput output = (final long gatewayId, final DirectBuffer buffer, final int offset, final int length) ->
            this.blackhole.consume(length);
        engine = new Engine(new EngineContext().hotTierEntries(1_000).messageStore(new DiscardingMessageStore()), output);
        payload = new UnsafeBuffer(new byte[64]);
        final long[] clock = { 0 };
        group = buildGroup(engine, commands, members, clock);
        timestamp = clock[0];
        conversation = engine.state().conversation(group);
        clientMsgId = 1;
    }

    @Setup(Level.Invocation)
    public void forgetNotifications()
    {
        // Only for the worst case; the mark is a bit per member, cleared outside the measured time.
        if (conversation.isSuperGroup() && tellEveryone)
        {
            for (int i = 0, count = conversation.memberCount(); i < count; i++)
            {
                conversation.clearNotified(i);
            }
        }
    }

    /**
     * Clear every member's "told" mark before each send: the super group's worst case.
     */
    @Param({ "false", "true" })
    public boolean tellEveryone;

    @TearDown(Level.Trial)
    public void tearDown()
    {
        engine.close();
    }

    @Benchmark
    public void groupSend()
    {
        engine.onCommand(gateway(1), ++timestamp, commands.buffer(), 0,
            commands.send(connection(1), clientMsgId++, group, 0, 1, payload, 0, payload.capacity()));
    }
}
