package io.banter.perf.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's resident memory now and at its peak, from {@code /proc/<pid>/status} (Linux).
 *
 * @param residentKb {@code VmRSS}, or -1 when not reported.
 * @param peakKb     {@code VmHWM}, or -1 when not reported.
 */
public record ProcessMemory(long residentKb, long peakKb)
{
    /**
     * @param pid a process id, or {@code "self"}.
     */
    public static ProcessMemory of(final String pid) throws IOException
    {
        long residentKb = -1;
        long peakKb = -1;
        for (final String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                residentKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
            else if (line.startsWith("VmHWM:"))
            {
                peakKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return new ProcessMemory(residentKb, peakKb);
    }

    public long residentMiB()
    {
        return residentKb / 1024;
    }

    public long peakMiB()
    {
        return peakKb / 1024;
    }
}
