package io.banter.journal.snapshot;

import io.banter.engine.Engine;
import io.banter.engine.fixture.RecordingOutput;
import io.banter.engine.fixture.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotFileTest
{
    @TempDir
    Path directory;

    @Test
    void aSnapshotFileLoadsToTheSameStateHash()
    {
        final Path file = directory.resolve("engine.snapshot");
        final long hash;
        try (Scenario scenario = new Scenario(11, 8))
        {
            scenario.run(1_000);
            hash = scenario.engine().stateHash();
            assertTrue(SnapshotFile.write(scenario.engine(), file) > 0);
        }
        assertFalse(Files.exists(directory.resolve("engine.snapshot.tmp")));
        try (Engine engine = new Engine(Scenario.context(), new RecordingOutput()))
        {
            SnapshotFile.load(engine, file);
            assertEquals(hash, engine.stateHash());
        }
    }

    @Test
    void aTruncatedOrCorruptFileIsRefused() throws IOException
    {
        final Path file = directory.resolve("engine.snapshot");
        try (Scenario scenario = new Scenario(12, 4))
        {
            scenario.run(300);
            SnapshotFile.write(scenario.engine(), file);
        }
        final long length = Files.size(file);

        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(length / 2);
            final int b = raf.read();
            raf.seek(length / 2);
            raf.write(b ^ 0x01);
        }
        try (Engine engine = new Engine(Scenario.context(), new RecordingOutput()))
        {
            assertThrows(IllegalStateException.class, () -> SnapshotFile.load(engine, file));
        }

        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(length - 10);
        }
        try (Engine engine = new Engine(Scenario.context(), new RecordingOutput()))
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> SnapshotFile.load(engine, file));
            assertTrue(ex.getMessage().startsWith("snapshot"), ex.getMessage());
        }
    }
}
