package io.banter.replica.drill;

import io.banter.access.client.SendReceipt;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The drill's latency lines from known times: each latency is measured from the send's intended
 * time, split at the kill, and printed as the percentiles of exactly the latencies fed in.
 */
final class DrillReportTest
{
    private static final long START_NS = 1_000_000_000L;
    private static final long INTERVAL_NS = 1_000_000L;
    private static final int SENDS = 2_000;
    private static final int SENT_BEFORE_KILL = 1_000;

    @Test
    void printsAckAndDeliveryPercentilesFromTheIntendedSendTimeSplitAtTheKill()
    {
        final DrillParticipant alice = new DrillParticipant(0, 1, "alice", SENDS);
        final DrillParticipant bob = new DrillParticipant(1, 2, "bob", SENDS);
        final long[] ackUs = new long[SENDS];
        final long[] deliveryUs = new long[SENDS];
        for (int i = 0; i < SENDS; i++)
        {
            final long dueNs = START_NS + i * INTERVAL_NS;
            final int sendIndex = alice.scheduled(dueNs);
            // Below 2,048 us HdrHistogram (3 digits, in microseconds) holds every value exactly.
            ackUs[i] = i < SENT_BEFORE_KILL ? i + 1 : 2 * (i + 1) - 2 * SENT_BEFORE_KILL + 10;
            deliveryUs[i] = i < SENT_BEFORE_KILL ? 2L * (i + 1) : i + 25 - SENT_BEFORE_KILL / 2;
            alice.acked(sendIndex, new SendReceipt(i, 7, 100 + i, i + 1, i + 1, 0, false), dueNs + ackUs[i] * 1_000);
            bob.received(new DrillParticipant.Received(1, sendIndex, 100 + i, 7, i + 1, dueNs + deliveryUs[i] * 1_000));
        }
        // A duplicate arriving much later is counted as one, not timed as a delivery.
        bob.received(new DrillParticipant.Received(1, 5, 105, 7, 6, START_NS + 60_000_000_000L));
        final long killedAtNs = START_NS + SENT_BEFORE_KILL * INTERVAL_NS - 1;

        final DrillReport report = DrillReport.check(List.of(alice, bob), killedAtNs);
        final String printed = print(report);

        assertEquals(SENDS, report.acked());
        assertEquals(1, report.duplicates());
        assertLine(printed, "send -> SendAck, all", ackUs, 0, SENDS);
        assertLine(printed, "send -> SendAck, sent before the kill", ackUs, 0, SENT_BEFORE_KILL);
        assertLine(printed, "send -> SendAck, sent after the kill", ackUs, SENT_BEFORE_KILL, SENDS);
        assertLine(printed, "send -> recipient's push, all", deliveryUs, 0, SENDS);
        assertLine(printed, "send -> recipient's push, sent before the kill", deliveryUs, 0, SENT_BEFORE_KILL);
        assertLine(printed, "send -> recipient's push, sent after the kill", deliveryUs, SENT_BEFORE_KILL, SENDS);
        // The first send due after the kill was acknowledged 10 + 2 us after it was due, 1 ns after the kill.
        assertEquals(0, report.timeToFirstAckAfterKillMs);
    }

    @Test
    void aDrillWithoutAKillHasNothingAfterIt()
    {
        final DrillLatency latency = new DrillLatency("send -> SendAck");
        latency.record(1_500_000, false);
        latency.record(-5, false); // a clock step cannot make a negative latency
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        latency.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String printed = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(List.of("2", "0.000", "1.500", "1.500", "1.500"), lastFields(line(printed, "send -> SendAck, all")));
        assertEquals(List.of("0", "-", "-", "-", "-"), lastFields(line(printed, "send -> SendAck, sent after the kill")));
    }

    private static String print(final DrillReport report)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * The line for {@code label} shows the count and the nearest-rank p50, p99, p99.9 and max of
     * {@code values[from, to)}, in milliseconds.
     */
    private static void assertLine(final String printed, final String label, final long[] values, final int from, final int to)
    {
        final long[] sorted = Arrays.copyOfRange(values, from, to);
        Arrays.sort(sorted);
        final List<String> expected = List.of(String.valueOf(sorted.length),
            ms(nearestRank(sorted, 50)), ms(nearestRank(sorted, 99)), ms(nearestRank(sorted, 99.9)),
            ms(LongStream.of(sorted).max().orElseThrow()));
        assertEquals(expected, lastFields(line(printed, label)), label + " in\n" + printed);
    }

    private static long nearestRank(final long[] sorted, final double percentile)
    {
        final int rank = (int)Math.ceil(percentile / 100 * sorted.length - 1e-9);
        return sorted[Math.max(1, rank) - 1];
    }

    private static String ms(final long us)
    {
        return String.format(Locale.ROOT, "%.3f", us / 1e3);
    }

    private static String line(final String printed, final String label)
    {
        for (final String line : printed.split("\n"))
        {
            if (line.trim().startsWith(label + " ") && line.trim().substring(label.length()).trim().matches("[0-9].*"))
            {
                return line;
            }
        }
        fail("no line '" + label + "' in\n" + printed);
        return "";
    }

    private static List<String> lastFields(final String line)
    {
        final String[] fields = line.trim().split("\\s+");
        assertTrue(fields.length >= 5, line);
        return Arrays.asList(fields).subList(fields.length - 5, fields.length);
    }
}
