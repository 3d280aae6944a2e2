package io.banter.replica.local;

import io.banter.replica.node.NodeContext;

import java.io.File;
import java.util.Collections;
import java.util.List;

/**
 * A cluster of N members on this machine, each a child process: where its data lives, its
 * ports, and whether each member runs an embedded gateway.
 */
public final class LocalClusterContext
{
    private int members = 3;
    private File dataDir = new File("data");
    private int basePort = 20_000;
    private int gatewayPort = 7070;
    private boolean gateways = true;
    private long leaderTimeoutMs = 1000;
    private long hotTierEntries = 1_000_000;
    private boolean strangersMayMessage;
    private String[] aeronDirectoryNames;
    private List<String> extraNodeArguments = List.of();

    public int members()
    {
        return members;
    }

    public LocalClusterContext members(final int members)
    {
        this.members = members;
        return this;
    }

    public File dataDir()
    {
        return dataDir;
    }

    public LocalClusterContext dataDir(final File dataDir)
    {
        this.dataDir = dataDir;
        return this;
    }

    public int basePort()
    {
        return basePort;
    }

    public LocalClusterContext basePort(final int basePort)
    {
        this.basePort = basePort;
        return this;
    }

    /**
     * Member i's embedded gateway listens on this port + i.
     */
    public int gatewayPort()
    {
        return gatewayPort;
    }

    public LocalClusterContext gatewayPort(final int gatewayPort)
    {
        this.gatewayPort = gatewayPort;
        return this;
    }

    public boolean gateways()
    {
        return gateways;
    }

    public LocalClusterContext gateways(final boolean gateways)
    {
        this.gateways = gateways;
        return this;
    }

    public long leaderTimeoutMs()
    {
        return leaderTimeoutMs;
    }

    public LocalClusterContext leaderTimeoutMs(final long leaderTimeoutMs)
    {
        this.leaderTimeoutMs = leaderTimeoutMs;
        return this;
    }

    public boolean strangersMayMessage()
    {
        return strangersMayMessage;
    }

    /**
     * Start members with {@code --strangers-may-message}: users who are not friends may message.
     */
    public LocalClusterContext strangersMayMessage(final boolean strangersMayMessage)
    {
        this.strangersMayMessage = strangersMayMessage;
        return this;
    }

    public long hotTierEntries()
    {
        return hotTierEntries;
    }

    public LocalClusterContext hotTierEntries(final long hotTierEntries)
    {
        this.hotTierEntries = hotTierEntries;
        return this;
    }

    /**
     * More {@code banter node} options every member gets (e.g. {@code --heartbeat-timeout-ms 30000}).
     */
    public List<String> extraNodeArguments()
    {
        return extraNodeArguments;
    }

    public LocalClusterContext extraNodeArguments(final List<String> extraNodeArguments)
    {
        this.extraNodeArguments = List.copyOf(extraNodeArguments);
        return this;
    }

    public List<String> memberHosts()
    {
        return Collections.nCopies(members, "localhost");
    }

    /**
     * Member i as its own process sees itself: for status queries and the ingress endpoints.
     */
    public NodeContext nodeContext(final int memberId)
    {
        final NodeContext node = new NodeContext()
            .memberId(memberId)
            .memberHosts(memberHosts())
            .basePort(basePort)
            .dataDir(dataDir);
        if (null != aeronDirectoryNames && memberId < aeronDirectoryNames.length &&
            null != aeronDirectoryNames[memberId])
        {
            node.aeronDirectoryName(aeronDirectoryNames[memberId]);
        }
        return node.conclude();
    }

    /**
     * Take the members, base port and media-driver directories the members recorded under the
     * data directory, except what was set explicitly: {@code explicitMembers} or
     * {@code explicitBasePort} true means the caller's value stands (and recorded driver
     * directories are used only where they belong to the same base port).
     */
    public LocalClusterContext recorded(
        final io.banter.replica.node.RecordedCluster recorded, final boolean explicitMembers,
        final boolean explicitBasePort)
    {
        if (recorded.isEmpty())
        {
            return this;
        }
        if (!explicitMembers)
        {
            members = recorded.members();
        }
        if (!explicitBasePort)
        {
            basePort = recorded.basePort();
        }
        if (basePort == recorded.basePort())
        {
            aeronDirectoryNames = new String[members];
            for (final io.banter.replica.node.MemberRecord record : recorded.records())
            {
                if (record.memberId() < members)
                {
                    aeronDirectoryNames[record.memberId()] = record.aeronDirectoryName();
                }
            }
        }
        return this;
    }

    /**
     * The {@code banter node} arguments that start member i, as an operator would type them.
     */
    public List<String> nodeArguments(final int memberId)
    {
        final List<String> arguments = new java.util.ArrayList<>(List.of("node",
            "--member-id", String.valueOf(memberId),
            "--members", String.join(",", memberHosts()),
            "--base-port", String.valueOf(basePort),
            "--data-dir", dataDir.getPath(),
            "--leader-timeout-ms", String.valueOf(leaderTimeoutMs),
            "--hot-tier-entries", String.valueOf(hotTierEntries)));
        if (strangersMayMessage)
        {
            arguments.add("--strangers-may-message");
        }
        arguments.addAll(extraNodeArguments);
        if (gateways)
        {
            arguments.addAll(List.of("--gateway-port", String.valueOf(gatewayPort + memberId)));
        }
        else
        {
            arguments.add("--no-gateway");
        }
        return arguments;
    }
}
