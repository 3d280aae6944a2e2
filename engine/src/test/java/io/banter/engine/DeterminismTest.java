package io.banter.engine;

import io.banter.codecs.CommandBatchEncoder;
import io.banter.codecs.batch.BatchWriter;
import io.banter.engine.fixture.RecordingOutput;
import io.banter.engine.state.HotWindow;
import io.banter.engine.store.HistoryArchive;
import io.banter.engine.fixture.Scenario;
import io.banter.engine.snapshot.SnapshotLoader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine is a pure function of its log: the same seed gives the same hash, a replay of the
 * recorded log gives the same hash and the same events, and a snapshot taken anywhere plus the
 * rest of the log gives the same hash and the same events as the uninterrupted run.
 */
class DeterminismTest
{
    private static final long SEED = 777;
    private static final int STEPS = 2_500;

    /** Eviction decides without answering: the determinism is in what leaves, not in the reads. */
    private static final HistoryArchive DECIDE_ONLY =
        (gatewayId, connectionId, correlationId, conversationId, beforeSeq, maxEntries, headSeq) -> {};

    /**
     * The scenario's settings; evicting, with a hot tier small enough that all three rules
     * (count per conversation, age, capacity) evict during the run.
     */
    static EngineContext context(final boolean evicting)
    {
        final EngineContext context = Scenario.context();
        return evicting ?
            context.historyArchive(DECIDE_ONLY).hotTierEntries(40).hotTierMessagesPerConversation(3).hotTierMaxAge(100_000) :
            context;
    }

    @ParameterizedTest(name = "evicting={0}")
    @ValueSource(booleans = {false, true})
    void theSameSeedTwiceGivesEqualHashes(final boolean evicting)
    {
        final long first;
        try (Scenario scenario = new Scenario(SEED, 10, context(evicting), 0))
        {
            scenario.run(STEPS);
            first = scenario.engine().stateHash();
        }
        try (Scenario scenario = new Scenario(SEED, 10, context(evicting), 0))
        {
            scenario.run(STEPS);
            assertEquals(first, scenario.engine().stateHash());
        }
        try (Scenario other = new Scenario(SEED + 1, 10, context(evicting), 0))
        {
            other.run(STEPS);
            assertNotEquals(first, other.engine().stateHash(), "the hash must tell different states apart");
        }
    }

    @ParameterizedTest(name = "evicting={0}")
    @ValueSource(booleans = {false, true})
    void replayingTheLogGivesTheSameStateAndEvents(final boolean evicting)
    {
        try (Scenario scenario = new Scenario(SEED, 10, context(evicting), 0))
        {
            scenario.run(STEPS);
            final List<Scenario.Command> log = scenario.log();

            final RecordingOutput first = new RecordingOutput();
            final RecordingOutput second = new RecordingOutput();
            try (Engine a = new Engine(context(evicting), first);
                Engine b = new Engine(context(evicting), second))
            {
                replay(a, log, 0, log.size());
                replay(b, log, 0, log.size());
                assertEquals(scenario.engine().stateHash(), a.stateHash());
                assertEquals(a.stateHash(), b.stateHash());
                assertEventsEqual(first.raw(), second.raw());
            }
        }
    }

    @ParameterizedTest(name = "evicting={0}")
    @ValueSource(booleans = {false, true})
    void aSnapshotAtRandomPointsPlusTheRestGivesTheSameStateAndEvents(final boolean evicting)
    {
        try (Scenario scenario = new Scenario(SEED, 10, context(evicting), 0))
        {
            scenario.run(STEPS);
            final HotWindow window = scenario.engine().state().hotWindow();
            final long evictions = window.evictions();
            if (evicting)
            {
                // The test means something only if every rule decided some evictions.
                assertTrue(window.evictedByCount() > 0 && window.evictedByAge() > 0 && window.evictedByCapacity() > 0,
                    "by count " + window.evictedByCount() + ", by age " + window.evictedByAge() + ", by capacity " +
                    window.evictedByCapacity());
            }
            else
            {
                assertEquals(0, evictions);
            }
            final List<Scenario.Command> log = scenario.log();
            final long expectedHash = scenario.engine().stateHash();
            final Random random = new Random(SEED);

            for (int trial = 0; trial < 4; trial++)
            {
                final int cut = 1 + random.nextInt(log.size() - 1);
                final RecordingOutput uninterrupted = new RecordingOutput();
                final RecordingOutput restored = new RecordingOutput();
                try (Engine before = new Engine(context(evicting), new RecordingOutput().keepRaw(false));
                    Engine reference = new Engine(context(evicting), uninterrupted);
                    Engine after = new Engine(context(evicting), restored))
                {
                    replay(before, log, 0, cut);
                    final List<byte[]> chunks = new ArrayList<>();
                    before.takeSnapshot((buffer, offset, length) ->
                    {
                        final byte[] chunk = new byte[length];
                        buffer.getBytes(offset, chunk);
                        chunks.add(chunk);
                    });

                    final SnapshotLoader loader = after.snapshotLoader();
                    for (final byte[] chunk : chunks)
                    {
                        loader.onChunk(new UnsafeBuffer(chunk), 0, chunk.length);
                    }
                    assertTrue(loader.isComplete());
                    assertEquals(before.stateHash(), after.stateHash(), "snapshot at command " + cut);

                    replay(reference, log, 0, cut);
                    uninterrupted.raw().clear();
                    replay(reference, log, cut, log.size());
                    replay(after, log, cut, log.size());
                    assertEquals(expectedHash, after.stateHash(), "snapshot at " + cut + " plus the rest");
                    assertEventsEqual(uninterrupted.raw(), restored.raw());
                }
            }
        }
    }

    /**
     * A gateway batches whatever it drained in one cycle: the engine must apply a batch exactly as
     * the same commands one by one (same gateway, the batch's one sequenced time), events included.
     */
    @ParameterizedTest(name = "evicting={0}")
    @ValueSource(booleans = {false, true})
    void aLogOfBatchesGivesTheSameStateAndEventsAsItsCommandsOneByOne(final boolean evicting)
    {
        try (Scenario scenario = new Scenario(SEED, 10, context(evicting), 0))
        {
            scenario.run(STEPS);
            final List<Scenario.Command> log = scenario.log();
            final Random random = new Random(SEED);
            final BatchWriter batch = new BatchWriter(CommandBatchEncoder.TEMPLATE_ID, 64 * 1024);
            final RecordingOutput oneByOne = new RecordingOutput();
            final RecordingOutput batched = new RecordingOutput();
            int batches = 0;
            try (Engine single = new Engine(context(evicting), oneByOne);
                Engine batching = new Engine(context(evicting), batched))
            {
                int next = 0;
                while (next < log.size())
                {
                    final Scenario.Command first = log.get(next);
                    final int wanted = 1 + random.nextInt(50);
                    batch.reset();
                    while (next < log.size() && batch.count() < wanted && log.get(next).gatewayId() == first.gatewayId())
                    {
                        final byte[] bytes = log.get(next).bytes();
                        single.onCommand(first.gatewayId(), first.timestamp(), new UnsafeBuffer(bytes), 0, bytes.length);
                        assertTrue(batch.append(new UnsafeBuffer(bytes), 0, bytes.length));
                        next++;
                    }
                    batching.onCommand(first.gatewayId(), first.timestamp(), batch.buffer(), batch.offset(), batch.length());
                    batches += batch.count() > 1 ? 1 : 0;
                }
                assertTrue(batches > log.size() / 50, batches + " batches of more than one command");
                assertEquals(single.commandCount(), batching.commandCount());
                assertEquals(single.stateHash(), batching.stateHash());
                assertEventsEqual(oneByOne.raw(), batched.raw());
            }
        }
    }

    static void replay(final Engine engine, final List<Scenario.Command> log, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final Scenario.Command command = log.get(i);
            engine.onCommand(command.gatewayId(), command.timestamp(), new UnsafeBuffer(command.bytes()), 0,
                command.bytes().length);
        }
    }

    private static void assertEventsEqual(final List<byte[]> expected, final List<byte[]> actual)
    {
        assertEquals(expected.size(), actual.size(), "event count");
        for (int i = 0; i < expected.size(); i++)
        {
            assertArrayEquals(expected.get(i), actual.get(i), "event " + i);
        }
    }
}
