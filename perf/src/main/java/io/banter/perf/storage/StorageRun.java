package io.banter.perf.storage;

import io.banter.perf.latency.ProcessMemory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What the storage benchmarks share: this process's memory as they report it, the size of the
 * files a run wrote, and removing them afterwards.
 */
final class StorageRun
{
    private StorageRun()
    {
    }

    /**
     * Resident memory (and its peak) from /proc, and the heap in use and its maximum.
     */
    static String memory() throws IOException
    {
        final ProcessMemory memory = ProcessMemory.of("self");
        final Runtime runtime = Runtime.getRuntime();
        return String.format(Locale.ROOT, "resident memory %d MiB (peak %d MiB), heap used %d MiB of %d MiB",
            memory.residentMiB(), memory.peakMiB(), (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024),
            runtime.maxMemory() / (1024 * 1024));
    }

    static double sizeGiB(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.mapToLong(path -> path.toFile().length()).sum() / (1024.0 * 1024 * 1024);
        }
    }

    static void delete(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
