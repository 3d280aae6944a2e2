package io.banter.perf.latency;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The latency table as text: one row per histogram (values recorded in nanoseconds, shown in
 * microseconds), with the machine above and free-form notes below. The same text goes to the
 * console and to the results file, so a saved result is exactly what was seen.
 */
public final class LatencyReport
{
    private static final String ROW_FORMAT = "%-38s %8s %9s %9s %9s %9s %9s%n";
    private static final double NANOS_PER_MICRO = 1_000.0;

    private final List<String> header = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private record Row(String name, Histogram histogram)
    {
    }

    LatencyReport header(final String line)
    {
        header.add(line);
        return this;
    }

    LatencyReport row(final String name, final Histogram histogram)
    {
        rows.add(new Row(name, histogram));
        return this;
    }

    LatencyReport note(final String line)
    {
        notes.add(line);
        return this;
    }

    String format()
    {
        final StringBuilder out = new StringBuilder();
        for (final String line : header)
        {
            out.append(line).append('\n');
        }
        out.append('\n');
        out.append(String.format(Locale.ROOT, ROW_FORMAT, "name (latency in us)", "count", "p50", "p90", "p99",
            "p99.9", "max"));
        for (final Row row : rows)
        {
            final Histogram h = row.histogram();
            out.append(String.format(Locale.ROOT, ROW_FORMAT, row.name(), h.getTotalCount(),
                micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(90)),
                micros(h.getValueAtPercentile(99)), micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue())));
        }
        if (!notes.isEmpty())
        {
            out.append('\n');
            for (final String line : notes)
            {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    Path write(final Path file) throws IOException
    {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, format().getBytes(StandardCharsets.UTF_8));
        return file;
    }

    static String micros(final long nanos)
    {
        return String.format(Locale.ROOT, "%.1f", nanos / NANOS_PER_MICRO);
    }

    /**
     * Cores, CPU model and JDK: what a reader needs to compare two results files.
     */
    public static String machine()
    {
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel() + ", " +
            System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", " +
            System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
            System.getProperty("os.arch") + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB";
    }

    private static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Paths.get("/proc/cpuinfo"), StandardCharsets.UTF_8))
            {
                // x86 says "model name"; some ARM kernels only give "Hardware" or "CPU part".
                if (line.startsWith("model name") || line.startsWith("Hardware"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // Not Linux: fall through to the architecture.
        }
        return "CPU model unknown";
    }
}
