package io.banter.replica.drill;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One kind of drill latency (send -> SendAck, or send -> the recipient's push), each measured
 * from the send's intended time on the open-loop schedule, split by whether the send was due
 * before or after the leader was killed: the two differ by the failover, and one histogram of
 * both would hide which part a percentile comes from.
 */
final class DrillLatency
{
    private static final String EMPTY = String.format(Locale.ROOT, "%9s %9s %9s %9s", "-", "-", "-", "-");

    private final String name;
    // Microseconds, auto-resizing: a send held up by the failover may take seconds, one before it well under a millisecond.
    private final Histogram beforeKill = new Histogram(3);
    private final Histogram afterKill = new Histogram(3);

    DrillLatency(final String name)
    {
        this.name = name;
    }

    /**
     * @param latencyNs how long after its intended send time the send was answered or delivered.
     * @param dueAfterKill the send was due after the leader was killed.
     */
    void record(final long latencyNs, final boolean dueAfterKill)
    {
        (dueAfterKill ? afterKill : beforeKill).recordValue(Math.max(0, latencyNs) / 1_000);
    }

    Histogram all()
    {
        final Histogram all = beforeKill.copy();
        all.add(afterKill);
        return all;
    }

    Histogram beforeKill()
    {
        return beforeKill;
    }

    Histogram afterKill()
    {
        return afterKill;
    }

    static void printHeader(final PrintStream out)
    {
        out.printf(Locale.ROOT, "  %-48s %7s %9s %9s %9s %9s%n",
            "latency (ms, from intended send time)", "count", "p50", "p99", "p99.9", "max");
    }

    void print(final PrintStream out)
    {
        line(out, name + ", all", all());
        line(out, name + ", sent before the kill", beforeKill);
        line(out, name + ", sent after the kill", afterKill);
    }

    private static void line(final PrintStream out, final String label, final Histogram us)
    {
        out.printf(Locale.ROOT, "  %-48s %7d %s%n", label, us.getTotalCount(), 0 == us.getTotalCount() ? EMPTY :
            String.format(Locale.ROOT, "%9.3f %9.3f %9.3f %9.3f",
                us.getValueAtPercentile(50) / 1e3, us.getValueAtPercentile(99) / 1e3,
                us.getValueAtPercentile(99.9) / 1e3, us.getMaxValue() / 1e3));
    }
}
