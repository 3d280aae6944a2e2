package io.banter.access.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

final class ServerSecretTest
{
    @TempDir
    Path dir;

    @Test
    void processesCreatingTheSecretAtOnceAllEndUpWithTheOneOnDisk() throws Exception
    {
        final int racers = 16;
        for (int round = 0; round < 20; round++)
        {
            final Path file = dir.resolve("round-" + round).resolve("server.secret");
            final CyclicBarrier start = new CyclicBarrier(racers);
            final ExecutorService pool = Executors.newFixedThreadPool(racers);
            try
            {
                final List<Future<byte[]>> secrets = new ArrayList<>();
                for (int i = 0; i < racers; i++)
                {
                    secrets.add(pool.submit(() ->
                    {
                        start.await(10, TimeUnit.SECONDS);
                        return ServerSecret.loadOrCreate(file);
                    }));
                }
                final List<byte[]> results = new ArrayList<>();
                for (final Future<byte[]> secret : secrets)
                {
                    results.add(secret.get(10, TimeUnit.SECONDS));
                }
                final byte[] onDisk = HexFormat.of().parseHex(Files.readString(file).trim());
                for (final byte[] result : results)
                {
                    assertArrayEquals(onDisk, result,
                        "round " + round + ": a racer kept a secret that is not the one on disk");
                }
            }
            finally
            {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void theSecretIsReadableByItsOwnerOnlyAndLeavesNoCandidateFilesBehind() throws Exception
    {
        final Path file = dir.resolve("server.secret");
        final byte[] secret = ServerSecret.loadOrCreate(file);
        assertEquals(32, secret.length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var entries = Files.list(dir))
        {
            assertEquals(List.of(file), entries.toList());
        }
        assertEquals(Arrays.toString(secret), Arrays.toString(ServerSecret.loadOrCreate(file)));
    }
}
