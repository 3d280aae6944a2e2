package io.banter.replica.drill;

import java.io.File;

/**
 * What {@code banter replica drill} does: how many clients send how fast for how long, when the
 * leader is killed, and where the cluster runs. Defaults finish in about a minute on 2 cores.
 */
public final class DrillContext
{
    private int members = 3;
    private int clients = 20;
    private int gateways = 2;
    private int rate = 1_000;
    private long durationMs = 20_000;
    private long killAfterMs = 8_000;
    private long settleTimeoutMs = 60_000;
    private File dataDir;
    private boolean keepData;
    private int basePort = 21_000;
    private int gatewayPort = 7_170;
    private long leaderTimeoutMs = 1_000;

    public DrillContext conclude()
    {
        if (members < 3)
        {
            throw new IllegalArgumentException("a failover drill needs at least 3 members, not " + members);
        }
        if (gateways < 1)
        {
            throw new IllegalArgumentException("a drill needs at least one gateway");
        }
        if (clients < 2 || rate < 1 || durationMs < 1 || killAfterMs < 0 || killAfterMs >= durationMs)
        {
            throw new IllegalArgumentException("need clients >= 2, rate >= 1 and 0 <= kill-after < duration");
        }
        return this;
    }

    public int members()
    {
        return members;
    }

    public DrillContext members(final int members)
    {
        this.members = members;
        return this;
    }

    /**
     * Gateways in the drill's process, each its own cluster client; client i uses gateway i mod N.
     */
    public int gateways()
    {
        return gateways;
    }

    public DrillContext gateways(final int gateways)
    {
        this.gateways = gateways;
        return this;
    }

    public int clients()
    {
        return clients;
    }

    public DrillContext clients(final int clients)
    {
        this.clients = clients;
        return this;
    }

    /**
     * Messages per second over all clients, sent on a fixed schedule (open loop).
     */
    public int rate()
    {
        return rate;
    }

    public DrillContext rate(final int rate)
    {
        this.rate = rate;
        return this;
    }

    public long durationMs()
    {
        return durationMs;
    }

    public DrillContext durationMs(final long durationMs)
    {
        this.durationMs = durationMs;
        return this;
    }

    public long killAfterMs()
    {
        return killAfterMs;
    }

    public DrillContext killAfterMs(final long killAfterMs)
    {
        this.killAfterMs = killAfterMs;
        return this;
    }

    /**
     * How long after the last send the drill waits for every ack and every delivery.
     */
    public long settleTimeoutMs()
    {
        return settleTimeoutMs;
    }

    public DrillContext settleTimeoutMs(final long settleTimeoutMs)
    {
        this.settleTimeoutMs = settleTimeoutMs;
        return this;
    }

    /**
     * Where the members keep their data; null for a temporary directory removed afterwards.
     */
    public File dataDir()
    {
        return dataDir;
    }

    public DrillContext dataDir(final File dataDir)
    {
        this.dataDir = dataDir;
        return this;
    }

    public boolean keepData()
    {
        return keepData;
    }

    public DrillContext keepData(final boolean keepData)
    {
        this.keepData = keepData;
        return this;
    }

    public int basePort()
    {
        return basePort;
    }

    public DrillContext basePort(final int basePort)
    {
        this.basePort = basePort;
        return this;
    }

    public int gatewayPort()
    {
        return gatewayPort;
    }

    public DrillContext gatewayPort(final int gatewayPort)
    {
        this.gatewayPort = gatewayPort;
        return this;
    }

    public long leaderTimeoutMs()
    {
        return leaderTimeoutMs;
    }

    public DrillContext leaderTimeoutMs(final long leaderTimeoutMs)
    {
        this.leaderTimeoutMs = leaderTimeoutMs;
        return this;
    }
}
