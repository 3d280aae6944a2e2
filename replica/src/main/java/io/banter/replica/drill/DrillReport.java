package io.banter.replica.drill;

import io.banter.access.client.SendReceipt;
import io.banter.access.gateway.GatewayCounters;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a failover drill proves, computed from every client's own records: each acknowledged
 * message must reach the recipient's device exactly once, and each sender's messages must keep
 * the order they were sent in, both in the sequence the engine gave them and in arrival order.
 */
public final class DrillReport
{
    long sent;
    long acked;
    long failed;
    long unanswered;
    long lost;
    long duplicates;
    long reorders;
    int killedMember = -1;
    int newLeader = -1;
    long timeToNewLeaderMs = -1;
    long timeToFirstAckAfterKillMs = -1; // of a send made after the kill: the new leader taking commands
    long longestPauseMs;
    String gatewaySummary = "";
    long connectionsClosed;
    long clusterReconnects;
    long minLeaderChanges;
    int gateways;
    String parameters = "";
    final DrillLatency ackLatency = new DrillLatency("send -> SendAck");
    final DrillLatency deliveryLatency = new DrillLatency("send -> recipient's push");

    static DrillReport check(final List<DrillParticipant> participants, final long killedAtNs)
    {
        final DrillReport report = new DrillReport();
        final int count = participants.size();
        long firstAckAfterKillNs = Long.MAX_VALUE;
        for (int p = 0; p < count; p++)
        {
            final DrillParticipant sender = participants.get(p);
            final DrillParticipant recipient = participants.get((p + 1) % count);
            report.sent += sender.sent();
            report.failed += sender.failures();

            final Map<Integer, Integer> deliveries = new HashMap<>();
            final Set<Long> messageIds = new HashSet<>();
            final int sent = sender.sent();
            int lastArrivedIndex = -1;
            for (final DrillParticipant.Received message : recipient.received())
            {
                if (message.senderUserId() != sender.userId)
                {
                    continue;
                }
                if (!messageIds.add(message.messageId()))
                {
                    report.duplicates++;
                }
                else if (message.sendIndex() >= 0 && message.sendIndex() < sent &&
                    !deliveries.containsKey(message.sendIndex()))
                {
                    // The first arrival of a send: a duplicate's later arrival is counted above, not timed.
                    final long dueNs = sender.dueAtNs(message.sendIndex());
                    report.deliveryLatency.record(message.arrivedAtNs() - dueNs, dueAfterKill(dueNs, killedAtNs));
                }
                deliveries.merge(message.sendIndex(), 1, Integer::sum);
                if (message.sendIndex() < lastArrivedIndex)
                {
                    report.reorders++;
                }
                lastArrivedIndex = Math.max(lastArrivedIndex, message.sendIndex());
            }

            long lastSeq = -1;
            long lastAckNs = -1;
            for (int i = 0; i < sent; i++)
            {
                final SendReceipt receipt = sender.receipt(i);
                if (null == receipt)
                {
                    continue;
                }
                report.acked++;
                if (!deliveries.containsKey(i))
                {
                    report.lost++;
                }
                if (receipt.seq() <= lastSeq)
                {
                    report.reorders++; // the engine placed a later send before an earlier one
                }
                lastSeq = Math.max(lastSeq, receipt.seq());
                final long ackedAtNs = sender.ackedAtNs(i);
                final long dueNs = sender.dueAtNs(i);
                report.ackLatency.record(ackedAtNs - dueNs, dueAfterKill(dueNs, killedAtNs));
                if (dueAfterKill(dueNs, killedAtNs))
                {
                    firstAckAfterKillNs = Math.min(firstAckAfterKillNs, ackedAtNs);
                }
                if (lastAckNs > 0 && ackedAtNs > lastAckNs)
                {
                    report.longestPauseMs = Math.max(report.longestPauseMs, (ackedAtNs - lastAckNs) / 1_000_000);
                }
                lastAckNs = Math.max(lastAckNs, ackedAtNs);
            }
        }
        report.unanswered = report.sent - report.acked - report.failed;
        if (killedAtNs > 0 && Long.MAX_VALUE != firstAckAfterKillNs)
        {
            report.timeToFirstAckAfterKillMs = (firstAckAfterKillNs - killedAtNs) / 1_000_000;
        }
        return report;
    }

    private static boolean dueAfterKill(final long dueNs, final long killedAtNs)
    {
        return killedAtNs > 0 && dueNs > killedAtNs;
    }

    /**
     * Nothing acknowledged was lost, duplicated or reordered, every send was acknowledged, and a
     * new leader took over.
     */
    public boolean passed()
    {
        return 0 == lost && 0 == duplicates && 0 == reorders && 0 == failed && 0 == unanswered && newLeader >= 0;
    }

    public long lost()
    {
        return lost;
    }

    public long duplicates()
    {
        return duplicates;
    }

    public long reorders()
    {
        return reorders;
    }

    public long acked()
    {
        return acked;
    }

    public long sent()
    {
        return sent;
    }

    /**
     * Acknowledged sends whose ack latency was recorded: all of them.
     */
    public long ackLatencies()
    {
        return ackLatency.all().getTotalCount();
    }

    /**
     * Sends whose first delivery to the recipient was timed: every delivered one.
     */
    public long deliveryLatencies()
    {
        return deliveryLatency.all().getTotalCount();
    }

    public int killedMember()
    {
        return killedMember;
    }

    public int newLeader()
    {
        return newLeader;
    }

    public long timeToNewLeaderMs()
    {
        return timeToNewLeaderMs;
    }

    /**
     * Client connections the drill's gateway saw close before the check: none should.
     */
    public long connectionsClosed()
    {
        return connectionsClosed;
    }

    /**
     * Times the drill's gateway lost its cluster session and connected again: none should.
     */
    public long clusterReconnects()
    {
        return clusterReconnects;
    }

    /**
     * The fewest new leaders any of the drill's gateways followed: each should have followed one.
     */
    public long leaderChanges()
    {
        return minLeaderChanges;
    }

    /**
     * Add one gateway's counters, as they are before the drill closes anything.
     */
    void gateway(final GatewayCounters counters)
    {
        gatewaySummary += (gatewaySummary.isEmpty() ? "" : "\n                            ") + counters;
        connectionsClosed += counters.connectionsClosed();
        clusterReconnects += counters.clusterReconnects();
        minLeaderChanges = gateways++ == 0 ? counters.leaderChanges() : Math.min(minLeaderChanges, counters.leaderChanges());
    }

    public void print(final PrintStream out)
    {
        out.println("banter replica drill: " + parameters);
        out.printf(Locale.ROOT, "  killed leader             member %d (SIGKILL)%n", killedMember);
        out.printf(Locale.ROOT, "  new leader                %s%n", newLeader >= 0 ? "member " + newLeader : "NONE");
        out.printf(Locale.ROOT, "  time to new leader        %d ms%n", timeToNewLeaderMs);
        out.printf(Locale.ROOT, "  first new send acked      %d ms after the kill%n", timeToFirstAckAfterKillMs);
        out.printf(Locale.ROOT, "  longest pause (acks)      %d ms%n", longestPauseMs);
        out.printf(Locale.ROOT, "  sends                     %d sent, %d acknowledged, %d failed, %d unanswered%n",
            sent, acked, failed, unanswered);
        DrillLatency.printHeader(out);
        ackLatency.print(out);
        deliveryLatency.print(out);
        out.printf(Locale.ROOT, "  acknowledged but lost     %d%n", lost);
        out.printf(Locale.ROOT, "  duplicates                %d%n", duplicates);
        out.printf(Locale.ROOT, "  reorders                  %d%n", reorders);
        out.println("  gateways                  " + gatewaySummary);
        out.println(passed() ? "PASSED: nothing acknowledged was lost, duplicated or reordered" :
            "FAILED: see the counts above");
    }
}
