package io.banter.replica.ops;

import io.aeron.AeronCounters;
import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.cluster.ClusterMember;
import io.aeron.cluster.ClusterMembership;
import io.aeron.cluster.ClusterTool;
import io.aeron.cluster.RecordingLog;
import io.banter.replica.journal.LogReplay;
import io.banter.replica.local.LocalClusterContext;
import io.banter.replica.node.NodeContext;
import io.banter.replica.service.StorageCounters;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.PrintStream;
import java.nio.MappedByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the state of every member of a cluster on this machine without joining it: role, term,
 * state and commit position from the counters in each member's media-driver directory, log
 * positions as the leader sees them (Aeron's ClusterTool query), and the latest snapshot from
 * each member's recording log.
 */
public final class ClusterStatus
{
    private static final long DRIVER_TIMEOUT_MS = 2_000;
    private static final long QUERY_TIMEOUT_MS = 2_000;
    /** How long to watch the commit position of a member whose election counter says it has no leader. */
    private static final long COMMIT_WATCH_MS = 600;

    private ClusterStatus()
    {
    }

    /**
     * Each member's role, state, term, commit position and latest snapshot, read from its files
     * alone: cheap enough to poll while waiting for a leader.
     */
    public static List<MemberStatus> roles(final LocalClusterContext cluster)
    {
        final List<NodeContext> nodes = new ArrayList<>();
        for (int i = 0; i < cluster.members(); i++)
        {
            nodes.add(cluster.nodeContext(i));
        }
        return roles(nodes);
    }

    /**
     * The same for members described by their node contexts (member i at index i).
     */
    public static List<MemberStatus> roles(final List<NodeContext> nodes)
    {
        final List<MemberStatus> members = new ArrayList<>();
        for (final NodeContext node : nodes)
        {
            members.add(member(node));
        }
        return members;
    }

    /**
     * {@link #roles(LocalClusterContext)} plus each member's log position as the leader sees it.
     */
    public static List<MemberStatus> query(final LocalClusterContext cluster)
    {
        final List<MemberStatus> members = roles(cluster);
        final int leader = leaderOf(members);
        if (leader >= 0)
        {
            final ClusterMembership membership = new ClusterMembership();
            if (listMembers(membership, clusterDir(cluster.nodeContext(leader))) &&
                null != membership.activeMembers)
            {
                for (final ClusterMember active : membership.activeMembers)
                {
                    final int id = active.id();
                    if (id >= 0 && id < members.size())
                    {
                        final MemberStatus known = members.get(id);
                        final long logPosition = id == leader ? known.commitPosition() : active.logPosition();
                        members.set(id, new MemberStatus(id, known.running(), known.role(), known.state(),
                            known.leadershipTermId(), known.commitPosition(), logPosition, known.snapshotPosition(),
                            known.snapshotTerm(), known.hotMessages(), known.evicted(), known.coldWriteErrors()));
                    }
                }
            }
        }
        return members;
    }

    private static boolean listMembers(final ClusterMembership membership, final File clusterDir)
    {
        try
        {
            return ClusterTool.listMembers(membership, clusterDir, QUERY_TIMEOUT_MS);
        }
        catch (final RuntimeException ex)
        {
            // The leader went away while asked (DriverTimeoutException and the like): no log positions.
            return false;
        }
    }

    /**
     * @return the id of the member that is LEADER, or -1.
     */
    public static int leaderOf(final List<MemberStatus> members)
    {
        for (final MemberStatus member : members)
        {
            if (member.running() && member.isLeader())
            {
                return member.memberId();
            }
        }
        return -1;
    }

    public static void print(final PrintStream out, final List<MemberStatus> members)
    {
        final int leader = leaderOf(members);
        long leaderCommit = -1;
        for (final MemberStatus member : members)
        {
            if (member.memberId() == leader)
            {
                leaderCommit = member.commitPosition();
            }
        }
        out.println(null == members || members.isEmpty() ? "no members" :
            "leader: " + (leader >= 0 ? "member " + leader : "none"));
        out.printf(Locale.ROOT, "%-6s %-9s %-12s %5s %14s %14s %10s %24s %12s %12s %11s%n",
            "member", "role", "state", "term", "commit pos", "log pos", "lag", "latest snapshot (term@pos)",
            "hot msgs", "evicted", "cold errors");
        for (final MemberStatus member : members)
        {
            final String lag = leaderCommit >= 0 && member.logPosition() >= 0 ?
                String.valueOf(Math.max(0, leaderCommit - member.logPosition())) : "-";
            out.printf(Locale.ROOT, "%-6d %-9s %-12s %5s %14s %14s %10s %24s %12s %12s %11s%n",
                member.memberId(), member.role(), member.state(), known(member.leadershipTermId()),
                known(member.commitPosition()), known(member.logPosition()), lag,
                member.snapshotPosition() >= 0 ? member.snapshotTerm() + "@" + member.snapshotPosition() : "none",
                known(member.hotMessages()), known(member.evicted()), known(member.coldWriteErrors()));
        }
    }

    private static MemberStatus member(final NodeContext node)
    {
        final File clusterDir = clusterDir(node);
        long snapshotPosition = -1;
        long snapshotTerm = -1;
        if (new File(clusterDir, RecordingLog.RECORDING_LOG_FILE_NAME).exists())
        {
            try (RecordingLog recordingLog = new RecordingLog(clusterDir, false))
            {
                final RecordingLog.Entry snapshot = recordingLog.getLatestSnapshot(LogReplay.BANTER_SERVICE_ID);
                if (null != snapshot)
                {
                    snapshotPosition = snapshot.logPosition;
                    snapshotTerm = snapshot.leadershipTermId;
                }
            }
            catch (final RuntimeException ignore)
            {
                // being written right now: report no snapshot rather than fail the whole status
            }
        }

        final File aeronDir = new File(node.aeronDirectoryName());
        if (!CommonContext.isDriverActive(aeronDir, DRIVER_TIMEOUT_MS, message -> { }))
        {
            return new MemberStatus(node.memberId(), false, "DOWN", "-", -1, -1, -1, snapshotPosition, snapshotTerm,
                -1, -1, -1);
        }
        final MappedByteBuffer cnc;
        try
        {
            cnc = IoUtil.mapExistingFile(new File(aeronDir, CncFileDescriptor.CNC_FILE), "cnc");
        }
        catch (final RuntimeException ex)
        {
            // removed between the check and the read: it just stopped
            return new MemberStatus(node.memberId(), false, "DOWN", "-", -1, -1, -1, snapshotPosition, snapshotTerm,
                -1, -1, -1);
        }
        try
        {
            final UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
            final CountersReader counters = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(cnc, metaData),
                CncFileDescriptor.createCountersValuesBuffer(cnc, metaData));
            final long role = counter(counters, AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID);
            final long moduleState = counter(counters, AeronCounters.CLUSTER_CONSENSUS_MODULE_STATE_TYPE_ID);
            final long electionState = counter(counters, AeronCounters.CLUSTER_ELECTION_STATE_TYPE_ID);
            final long commitPosition = counter(counters, AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID);
            final boolean commitAdvanced = MemberState.isInElection(electionState) &&
                MemberState.consumesNoLog(electionState) && commitAdvances(counters, commitPosition);
            return new MemberStatus(node.memberId(), true, MemberState.role(role),
                MemberState.state(moduleState, electionState, commitAdvanced),
                counter(counters, AeronCounters.CLUSTER_LEADERSHIP_TERM_ID_TYPE_ID),
                counter(counters, AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID),
                -1, snapshotPosition, snapshotTerm,
                counter(counters, StorageCounters.HOT_MESSAGES_TYPE_ID),
                counter(counters, StorageCounters.EVICTED_TYPE_ID),
                counter(counters, StorageCounters.COLD_WRITE_ERRORS_TYPE_ID));
        }
        finally
        {
            IoUtil.unmap(cnc);
        }
    }

    /**
     * Whether the commit position moves past {@code first} within a short watch.
     */
    private static boolean commitAdvances(final CountersReader counters, final long first)
    {
        final long deadlineNs = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(COMMIT_WATCH_MS);
        while (System.nanoTime() < deadlineNs)
        {
            if (counter(counters, AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID) > first)
            {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20));
        }
        return false;
    }

    /**
     * The value of the first allocated counter of a type, or -1. Each member has its own media
     * driver, so a type appears once.
     */
    private static long counter(final CountersReader counters, final int typeId)
    {
        final long[] value = {-1};
        counters.forEach((counterId, type, keyBuffer, label) ->
        {
            if (type == typeId && -1 == value[0] &&
                CountersReader.RECORD_ALLOCATED == counters.getCounterState(counterId))
            {
                value[0] = counters.getCounterValue(counterId);
            }
        });
        return value[0];
    }

    public static File clusterDir(final NodeContext node)
    {
        return new File(node.memberDir(), "cluster");
    }

    private static String known(final long value)
    {
        return value < 0 ? "-" : String.valueOf(value);
    }
}
