package io.banter.replica.node;

import io.aeron.CommonContext;
import io.banter.engine.EngineContext;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Configuration of one cluster member, with defaults for the embedded single-member server:
 * member 0 of a one-member cluster on localhost, its data under {@code ./data}.
 * <p>
 * Member {@code i} uses ports {@code basePort + 100 i + 1..5} (ingress, consensus, log,
 * catch-up, archive control), so several members fit on one machine.
 */
public final class NodeContext
{
    public static final int INGRESS_PORT_OFFSET = 1;
    public static final int CONSENSUS_PORT_OFFSET = 2;
    public static final int LOG_PORT_OFFSET = 3;
    public static final int CATCHUP_PORT_OFFSET = 4;
    public static final int ARCHIVE_CONTROL_PORT_OFFSET = 5;

    /**
     * Small terms: a 2-core development machine shares its memory and page cache with everything.
     */
    public static final String TERM_LENGTH = "term-length=1m";

    private int memberId = 0;
    private List<String> memberHosts = List.of("localhost");
    private int basePort = 20_000;
    private File dataDir = new File("data");
    private String aeronDirectoryName;
    private long leaderHeartbeatTimeoutNs = TimeUnit.SECONDS.toNanos(1);
    private long sessionTimeoutNs = TimeUnit.SECONDS.toNanos(5);
    private String idleStrategy = "backoff";
    private Supplier<EngineContext> engineContextSupplier = EngineContext::new;
    private boolean coldTier = true;

    public NodeContext conclude()
    {
        if (memberId < 0 || memberId >= memberHosts.size())
        {
            throw new IllegalStateException("memberId " + memberId + " is not one of " + memberHosts.size() + " members");
        }
        if (null == aeronDirectoryName)
        {
            aeronDirectoryName = CommonContext.getAeronDirectoryName() + "-banter-" + basePort + "-" + memberId;
        }
        return this;
    }

    /**
     * "0=host:port,1=host:port,…": the ingress endpoints a cluster client needs.
     */
    public String ingressEndpoints()
    {
        final StringBuilder endpoints = new StringBuilder();
        for (int i = 0; i < memberHosts.size(); i++)
        {
            if (i > 0)
            {
                endpoints.append(',');
            }
            endpoints.append(i).append('=').append(endpoint(i, INGRESS_PORT_OFFSET));
        }
        return endpoints.toString();
    }

    /**
     * The Aeron cluster members string: id,ingress,consensus,log,catchup,archive|…
     */
    public String clusterMembers()
    {
        final StringBuilder members = new StringBuilder();
        for (int i = 0; i < memberHosts.size(); i++)
        {
            if (i > 0)
            {
                members.append('|');
            }
            members.append(i)
                .append(',').append(endpoint(i, INGRESS_PORT_OFFSET))
                .append(',').append(endpoint(i, CONSENSUS_PORT_OFFSET))
                .append(',').append(endpoint(i, LOG_PORT_OFFSET))
                .append(',').append(endpoint(i, CATCHUP_PORT_OFFSET))
                .append(',').append(endpoint(i, ARCHIVE_CONTROL_PORT_OFFSET));
        }
        return members.toString();
    }

    public String endpoint(final int member, final int portOffset)
    {
        return memberHosts.get(member) + ":" + (basePort + 100 * member + portOffset);
    }

    /**
     * The replicated log's channel: shared memory for a one-member cluster (nothing to replicate
     * to; the archive still records it), otherwise UDP with manual multi-destination control so
     * the leader adds each follower.
     */
    public String logChannel()
    {
        return 1 == memberHosts.size() ?
            "aeron:ipc?" + TERM_LENGTH :
            "aeron:udp?" + TERM_LENGTH + "|control-mode=manual|control=" + endpoint(memberId, LOG_PORT_OFFSET);
    }

    public String host()
    {
        return memberHosts.get(memberId);
    }

    public File memberDir()
    {
        return new File(dataDir, "node-" + memberId);
    }

    /**
     * The idle strategy named by {@link #idleStrategy(String)}: {@code backoff} (default: spin,
     * yield, then park up to 250 µs), {@code sleep} (1 ms sleeps, least CPU) or {@code spin}
     * (lowest latency, only with cores to spare).
     */
    public IdleStrategy newIdleStrategy()
    {
        switch (idleStrategy)
        {
            case "spin":
                return new BusySpinIdleStrategy();
            case "sleep":
                return new SleepingMillisIdleStrategy(1);
            case "backoff":
                return new BackoffIdleStrategy(64, 16, TimeUnit.MICROSECONDS.toNanos(1),
                    TimeUnit.MICROSECONDS.toNanos(250));
            default:
                throw new IllegalStateException("unknown idle strategy " + idleStrategy + " (backoff, sleep, spin)");
        }
    }

    public int memberId()
    {
        return memberId;
    }

    public NodeContext memberId(final int memberId)
    {
        this.memberId = memberId;
        return this;
    }

    public List<String> memberHosts()
    {
        return memberHosts;
    }

    public NodeContext memberHosts(final List<String> memberHosts)
    {
        this.memberHosts = List.copyOf(memberHosts);
        return this;
    }

    public int basePort()
    {
        return basePort;
    }

    public NodeContext basePort(final int basePort)
    {
        this.basePort = basePort;
        return this;
    }

    public File dataDir()
    {
        return dataDir;
    }

    public NodeContext dataDir(final File dataDir)
    {
        this.dataDir = dataDir;
        return this;
    }

    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    public NodeContext aeronDirectoryName(final String aeronDirectoryName)
    {
        this.aeronDirectoryName = aeronDirectoryName;
        return this;
    }

    public long leaderHeartbeatTimeoutNs()
    {
        return leaderHeartbeatTimeoutNs;
    }

    public NodeContext leaderHeartbeatTimeoutNs(final long leaderHeartbeatTimeoutNs)
    {
        this.leaderHeartbeatTimeoutNs = leaderHeartbeatTimeoutNs;
        return this;
    }

    public long sessionTimeoutNs()
    {
        return sessionTimeoutNs;
    }

    public NodeContext sessionTimeoutNs(final long sessionTimeoutNs)
    {
        this.sessionTimeoutNs = sessionTimeoutNs;
        return this;
    }

    public String idleStrategy()
    {
        return idleStrategy;
    }

    public NodeContext idleStrategy(final String idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /**
     * Whether the member writes its cold tier (in {@link #coldTierDir()}) behind the hot tier.
     */
    public boolean coldTier()
    {
        return coldTier;
    }

    public NodeContext coldTier(final boolean coldTier)
    {
        this.coldTier = coldTier;
        return this;
    }

    public File coldTierDir()
    {
        return new File(memberDir(), "cold");
    }

    public Supplier<EngineContext> engineContextSupplier()
    {
        return engineContextSupplier;
    }

    public NodeContext engineContextSupplier(final Supplier<EngineContext> engineContextSupplier)
    {
        this.engineContextSupplier = engineContextSupplier;
        return this;
    }
}
