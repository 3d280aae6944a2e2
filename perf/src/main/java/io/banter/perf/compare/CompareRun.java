package io.banter.perf.compare;

import io.banter.access.cli.Args;
import io.banter.perf.baseline.RedisBaseline;
import io.banter.perf.latency.LatencyReport;
import io.banter.perf.load.LoadGenerator;
import io.banter.perf.load.LoadResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code banter bench compare}: Banter's {@code direct} scenario and the Redis baseline at the same
 * offered rate and user count, one after the other in one invocation on the same machine, and the
 * ratios between them.
 */
public final class CompareRun
{
    static final String USAGE = String.join("\n",
        "usage: bin/banter bench compare [--connections N] [--rate R] [--duration S] [--warmup S] [--plot]",
        "",
        "Runs 'bench direct' and then 'bench baseline' with the same options and prints both tables and",
        "their ratios (throughput: Banter / baseline; latency: baseline / Banter, so above 1 means Banter",
        "is better). Defaults as for 'bench direct'.");

    private static final Set<String> VALUED = Set.of("connections", "rate", "duration", "warmup", "results");

    private CompareRun()
    {
    }

    public static void main(final String[] argv) throws Exception
    {
        final Args args = Args.parse(argv, 0, VALUED, Set.of("plot"));
        if (args.has("help"))
        {
            System.out.println(USAGE);
            return;
        }
        final String[] shared = {
            "--connections", args.get("connections", "2000"), "--rate", args.get("rate", "5000"),
            "--duration", args.get("duration", "20"), "--warmup", args.get("warmup", "10"),
            "--results", args.get("results", "perf/results")};
        final List<String> plot = args.has("plot") ? List.of("--plot") : List.of();
        final LoadResult banter = LoadGenerator.run("direct", Args.parse(concat(shared, plot), 0,
            Set.of("connections", "rate", "duration", "warmup", "results"), Set.of("plot")));
        final LoadResult baseline = RedisBaseline.run(Args.parse(concat(shared, plot), 0,
            Set.of("connections", "rate", "duration", "warmup", "results"), Set.of("plot")));

        final String text = "Banter against the Redis baseline, " +
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + "\n" +
            "machine: " + LatencyReport.machine() + "\n" +
            "command: bin/banter bench compare " + String.join(" ", concat(shared, plot)) + "\n\n" +
            String.format(Locale.ROOT, "%-22s %12s %12s %10s%n", "measure", "Banter", "baseline", "ratio") +
            row("achieved msg/s", banter.achieved(), baseline.achieved(), banter.achieved() / baseline.achieved()) +
            latencyRow("p50 ms", banter, baseline, 50) +
            latencyRow("p99 ms", banter, baseline, 99) +
            latencyRow("p99.99 ms", banter, baseline, 99.99) +
            String.format(Locale.ROOT, "%-22s %12d %12d%n", "errors", banter.errors(), baseline.errors());
        System.out.println();
        System.out.print(text);
        final Path report = Path.of(args.get("results", "perf/results"))
            .resolve(LocalDate.now() + "-compare-" + args.get("connections", "2000") + "c-" + args.get("rate", "5000") +
            "r.txt");
        Files.writeString(report, text);
        System.out.println("written to " + report);
    }

    private static String row(final String name, final double banter, final double baseline, final double ratio)
    {
        return String.format(Locale.ROOT, "%-22s %12.1f %12.1f %9.2fx%n", name, banter, baseline, ratio);
    }

    private static String latencyRow(
        final String name, final LoadResult banter, final LoadResult baseline, final double percentile)
    {
        final double ours = banter.percentileMs(percentile);
        final double theirs = baseline.percentileMs(percentile);
        return row(name, ours, theirs, 0 == ours ? 0 : theirs / ours);
    }

    private static String[] concat(final String[] shared, final List<String> extra)
    {
        final String[] all = new String[shared.length + extra.size()];
        System.arraycopy(shared, 0, all, 0, shared.length);
        for (int i = 0; i < extra.size(); i++)
        {
            all[shared.length + i] = extra.get(i);
        }
        return all;
    }
}
