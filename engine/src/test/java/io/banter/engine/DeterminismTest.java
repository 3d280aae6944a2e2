package io.banter.engine;

import io.banter.engine.fixture.RecordingOutput;
import io.banter.engine.fixture.Scenario;
import io.banter.engine.snapshot.SnapshotLoader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

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

    @Test
    void theSameSeedTwiceGivesEqualHashes()
    {
        final long first;
        try (Scenario scenario = new Scenario(SEED, 10))
        {
            scenario.run(STEPS);
            first = scenario.engine().stateHash();
        }
        try (Scenario scenario = new Scenario(SEED, 10))
        {
            scenario.run(STEPS);
            assertEquals(first, scenario.engine().stateHash());
        }
        try (Scenario other = new Scenario(SEED + 1, 10))
        {
            other.run(STEPS);
            assertNotEquals(first, other.engine().stateHash(), "the hash must tell different states apart");
        }
    }

    @Test
    void replayingTheLogGivesTheSameStateAndEvents()
    {
        try (Scenario scenario = new Scenario(SEED, 10))
        {
            scenario.run(STEPS);
            final List<Scenario.Command> log = scenario.log();

            final RecordingOutput first = new RecordingOutput();
            final RecordingOutput second = new RecordingOutput();
            try (Engine a = new Engine(Scenario.context(), first);
                Engine b = new Engine(Scenario.context(), second))
            {
                replay(a, log, 0, log.size());
                replay(b, log, 0, log.size());
                assertEquals(scenario.engine().stateHash(), a.stateHash());
                assertEquals(a.stateHash(), b.stateHash());
                assertEventsEqual(first.raw(), second.raw());
            }
        }
    }

    @Test
    void aSnapshotAtRandomPointsPlusTheRestGivesTheSameStateAndEvents()
    {
        try (Scenario scenario = new Scenario(SEED, 10))
        {
            scenario.run(STEPS);
            final List<Scenario.Command> log = scenario.log();
            final long expectedHash = scenario.engine().stateHash();
            final Random random = new Random(SEED);

            for (int trial = 0; trial < 4; trial++)
            {
                final int cut = 1 + random.nextInt(log.size() - 1);
                final RecordingOutput uninterrupted = new RecordingOutput();
                final RecordingOutput restored = new RecordingOutput();
                try (Engine before = new Engine(Scenario.context(), new RecordingOutput().keepRaw(false));
                    Engine reference = new Engine(Scenario.context(), uninterrupted);
                    Engine after = new Engine(Scenario.context(), restored))
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
