package io.banter.replica.node;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The cluster whose members keep their data under one data directory, as its members recorded
 * themselves there ({@link MemberRecord}): how many members, on which ports, with which
 * media-driver directories. Lets {@code banter replica|journal|admin} find a cluster from its
 * data directory alone, never by guessing default ports that may belong to another cluster.
 */
public final class RecordedCluster
{
    private final File dataDir;
    private final List<MemberRecord> records;

    private RecordedCluster(final File dataDir, final List<MemberRecord> records)
    {
        this.dataDir = dataDir;
        this.records = records;
    }

    /**
     * The records under {@code dataDir} (none if it holds no cluster).
     *
     * @throws IllegalArgumentException if a record is unreadable or the records disagree on the cluster.
     */
    public static RecordedCluster read(final File dataDir)
    {
        final List<MemberRecord> records = new ArrayList<>();
        final File[] memberDirs = dataDir.listFiles((dir, name) -> name.startsWith("node-"));
        if (null != memberDirs)
        {
            Arrays.sort(memberDirs);
            for (final File memberDir : memberDirs)
            {
                final File file = MemberRecord.file(memberDir);
                if (file.isFile())
                {
                    records.add(MemberRecord.read(file));
                }
            }
        }
        records.sort(Comparator.comparingInt(MemberRecord::memberId));
        for (final MemberRecord record : records)
        {
            final MemberRecord first = records.get(0);
            if (record.basePort() != first.basePort() || !record.memberHosts().equals(first.memberHosts()))
            {
                throw new IllegalArgumentException("the members under " + dataDir + " disagree: member " +
                    first.memberId() + " runs with --members " + String.join(",", first.memberHosts()) +
                    " --base-port " + first.basePort() + ", member " + record.memberId() + " with --members " +
                    String.join(",", record.memberHosts()) + " --base-port " + record.basePort() +
                    " (see node-*/" + MemberRecord.FILE_NAME + ")");
            }
        }
        return new RecordedCluster(dataDir, records);
    }

    public boolean isEmpty()
    {
        return records.isEmpty();
    }

    /**
     * The line to print when there is nothing under the data directory.
     */
    public String noClusterMessage()
    {
        return "no Banter cluster in " + dataDir.getPath() + " (no node-*/" + MemberRecord.FILE_NAME +
            "; start one with 'banter server' or 'banter replica start', or give --data-dir)";
    }

    public File dataDir()
    {
        return dataDir;
    }

    public List<MemberRecord> records()
    {
        return records;
    }

    public int members()
    {
        return records.get(0).memberHosts().size();
    }

    public List<String> memberHosts()
    {
        return records.get(0).memberHosts();
    }

    public int basePort()
    {
        return records.get(0).basePort();
    }

    /**
     * Member i's record, or null if it never recorded itself here.
     */
    public MemberRecord member(final int memberId)
    {
        for (final MemberRecord record : records)
        {
            if (record.memberId() == memberId)
            {
                return record;
            }
        }
        return null;
    }

    /**
     * "0=host:port,…": the cluster's ingress endpoints.
     */
    public String ingressEndpoints()
    {
        return new NodeContext().memberHosts(memberHosts()).basePort(basePort()).ingressEndpoints();
    }

    /**
     * The lowest gateway port recorded, minus the member's id: the {@code --gateway-port} that
     * {@code replica start} gave, or -1 when no member recorded a gateway.
     */
    public int firstGatewayPort()
    {
        for (final MemberRecord record : records)
        {
            if (null != record.gateway())
            {
                final String gateway = record.gateway();
                return Integer.parseInt(gateway.substring(gateway.lastIndexOf(':') + 1)) - record.memberId();
            }
        }
        return -1;
    }
}
