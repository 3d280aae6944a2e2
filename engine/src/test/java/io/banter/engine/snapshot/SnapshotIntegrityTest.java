package io.banter.engine.snapshot;

import io.banter.engine.Engine;
import io.banter.engine.fixture.RecordingOutput;
import io.banter.engine.fixture.Scenario;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A damaged snapshot never loads as a different state: corruption, gaps and truncation fail
 * with a reason.
 */
class SnapshotIntegrityTest
{
    private static final List<byte[]> CHUNKS = new ArrayList<>();
    private static long hash;

    @BeforeAll
    static void snapshot()
    {
        try (Scenario scenario = new Scenario(5, 8))
        {
            scenario.run(1_500);
            hash = scenario.engine().stateHash();
            new SnapshotWriter(scenario.engine().state()).writeTo((buffer, offset, length) ->
            {
                final byte[] chunk = new byte[length];
                buffer.getBytes(offset, chunk);
                CHUNKS.add(chunk);
            }, 4096);
        }
        assertTrue(CHUNKS.size() > 2, "the test needs a snapshot of several chunks");
    }

    @Test
    void anIntactSnapshotLoadsToTheSameHash()
    {
        try (Engine engine = freshEngine())
        {
            final SnapshotLoader loader = load(engine, CHUNKS);
            assertTrue(loader.isComplete());
            assertEquals(hash, engine.stateHash());
        }
    }

    @Test
    void aFlippedBitFailsTheChecksum()
    {
        final List<byte[]> damaged = copy();
        damaged.get(1)[500] ^= 0x10;
        try (Engine engine = freshEngine())
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> load(engine, damaged));
            assertEquals("snapshot chunk 1 fails its CRC-32C check", ex.getMessage());
        }
    }

    @Test
    void aMissingChunkIsAGap()
    {
        final List<byte[]> damaged = copy();
        damaged.remove(1);
        try (Engine engine = freshEngine())
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> load(engine, damaged));
            assertEquals("snapshot chunk 2 where 1 was due", ex.getMessage());
        }
    }

    @Test
    void aTruncatedSnapshotIsNotComplete()
    {
        final List<byte[]> damaged = copy();
        damaged.remove(damaged.size() - 1);
        try (Engine engine = freshEngine())
        {
            assertFalse(load(engine, damaged).isComplete());
        }
    }

    @Test
    void aSnapshotLoadsOnlyIntoAFreshEngine()
    {
        try (Engine engine = freshEngine())
        {
            load(engine, CHUNKS);
            assertThrows(IllegalStateException.class, engine::snapshotLoader);
        }
    }

    private static Engine freshEngine()
    {
        return new Engine(Scenario.context(), new RecordingOutput());
    }

    private static SnapshotLoader load(final Engine engine, final List<byte[]> chunks)
    {
        final SnapshotLoader loader = engine.snapshotLoader();
        for (final byte[] chunk : chunks)
        {
            loader.onChunk(new UnsafeBuffer(chunk), 0, chunk.length);
        }
        return loader;
    }

    private static List<byte[]> copy()
    {
        final List<byte[]> copy = new ArrayList<>();
        for (final byte[] chunk : CHUNKS)
        {
            copy.add(chunk.clone());
        }
        return copy;
    }
}
