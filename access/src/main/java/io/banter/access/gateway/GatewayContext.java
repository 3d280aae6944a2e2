package io.banter.access.gateway;

import java.util.concurrent.TimeUnit;

/**
 * Configuration of a gateway, with the defaults of the embedded single-node server.
 */
public final class GatewayContext
{
    private String bindHost = "127.0.0.1";
    private int port = 7070;
    private int maxFrameLength = 8 * 1024;
    private int inboundRingSize = 4096;
    private long heartbeatTimeoutNs = TimeUnit.SECONDS.toNanos(15);
    private int writeBufferLowWaterMark = 256 * 1024;
    private int writeBufferHighWaterMark = 4 * 1024 * 1024;
    private int maxOfferAttempts = 10_000;
    private long ingressBackPressureTimeoutNs = TimeUnit.MILLISECONDS.toNanos(50);
    private long clusterKeepAliveIntervalNs = TimeUnit.SECONDS.toNanos(1);
    private String ingressEndpoints = "0=localhost:20001";
    private String egressHost = "localhost";
    private boolean ipcToCluster;
    private String aeronDirectoryName;
    private byte[] secret;
    private boolean preferEpoll = true;
    private int ioThreads = 1;
    private int maxConnections = 20_000;
    private int maxAcceptsPerSecond = 5_000;
    private int maxUnauthenticatedConnections = 4_096;
    private long loginTimeoutNs = TimeUnit.SECONDS.toNanos(5);
    private int requestsPerSecond = 1_000;
    private int requestBurst = 200;

    public GatewayContext conclude()
    {
        if (null == secret || secret.length < 16)
        {
            throw new IllegalStateException("a server secret of at least 16 bytes is required to check tokens");
        }
        if (Integer.bitCount(inboundRingSize) != 1)
        {
            throw new IllegalStateException("inboundRingSize must be a power of two: " + inboundRingSize);
        }
        if (maxFrameLength < 64)
        {
            throw new IllegalStateException("maxFrameLength too small: " + maxFrameLength);
        }
        if (maxConnections < 1 || maxUnauthenticatedConnections < 1)
        {
            throw new IllegalStateException("maxConnections and maxUnauthenticatedConnections must be positive");
        }
        if (requestsPerSecond < 1 || requestBurst < 1)
        {
            throw new IllegalStateException("requestsPerSecond and requestBurst must be positive");
        }
        return this;
    }

    public String bindHost()
    {
        return bindHost;
    }

    public GatewayContext bindHost(final String bindHost)
    {
        this.bindHost = bindHost;
        return this;
    }

    /**
     * The TCP port for clients; 0 picks a free one (see {@link Gateway#port()}).
     */
    public int port()
    {
        return port;
    }

    public GatewayContext port(final int port)
    {
        this.port = port;
        return this;
    }

    /**
     * The largest frame a client may send, SOFH header included; a larger one closes the connection.
     */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    public GatewayContext maxFrameLength(final int maxFrameLength)
    {
        this.maxFrameLength = maxFrameLength;
        return this;
    }

    /**
     * Slots of the inbound ring from the Netty threads to the cluster-client agent; when it is
     * full, requests are refused with BUSY at once.
     */
    public int inboundRingSize()
    {
        return inboundRingSize;
    }

    public GatewayContext inboundRingSize(final int inboundRingSize)
    {
        this.inboundRingSize = inboundRingSize;
        return this;
    }

    /**
     * A connection from which nothing (heartbeat or request) arrives for this long is closed.
     */
    public long heartbeatTimeoutNs()
    {
        return heartbeatTimeoutNs;
    }

    public GatewayContext heartbeatTimeoutNs(final long heartbeatTimeoutNs)
    {
        this.heartbeatTimeoutNs = heartbeatTimeoutNs;
        return this;
    }

    public int writeBufferLowWaterMark()
    {
        return writeBufferLowWaterMark;
    }

    /**
     * Outbound bytes queued for one connection above which it counts as a slow consumer and is
     * closed; it reconnects and resyncs, so nothing is lost and the gateway's memory stays bounded.
     */
    public int writeBufferHighWaterMark()
    {
        return writeBufferHighWaterMark;
    }

    public GatewayContext writeBufferWaterMarks(final int low, final int high)
    {
        this.writeBufferLowWaterMark = low;
        this.writeBufferHighWaterMark = high;
        return this;
    }

    /**
     * Attempts to offer one command to a back-pressured cluster (polling egress between them)
     * before the client is told BUSY.
     */
    /**
     * How long a batch of commands the cluster's ingress will not take is offered again before
     * each of its commands is refused BUSY. Meanwhile the inbound ring fills and the Netty threads
     * refuse what does not fit: back-pressure is answered per request, never by the batch.
     */
    public long ingressBackPressureTimeoutNs()
    {
        return ingressBackPressureTimeoutNs;
    }

    public GatewayContext ingressBackPressureTimeoutNs(final long ingressBackPressureTimeoutNs)
    {
        this.ingressBackPressureTimeoutNs = ingressBackPressureTimeoutNs;
        return this;
    }

    public int maxOfferAttempts()
    {
        return maxOfferAttempts;
    }

    public GatewayContext maxOfferAttempts(final int maxOfferAttempts)
    {
        this.maxOfferAttempts = maxOfferAttempts;
        return this;
    }

    public long clusterKeepAliveIntervalNs()
    {
        return clusterKeepAliveIntervalNs;
    }

    public GatewayContext clusterKeepAliveIntervalNs(final long clusterKeepAliveIntervalNs)
    {
        this.clusterKeepAliveIntervalNs = clusterKeepAliveIntervalNs;
        return this;
    }

    public String ingressEndpoints()
    {
        return ingressEndpoints;
    }

    public GatewayContext ingressEndpoints(final String ingressEndpoints)
    {
        this.ingressEndpoints = ingressEndpoints;
        return this;
    }

    public String egressHost()
    {
        return egressHost;
    }

    public GatewayContext egressHost(final String egressHost)
    {
        this.egressHost = egressHost;
        return this;
    }

    /**
     * The Aeron directory of a running media driver (the node's when embedded); null starts an
     * embedded driver for this gateway.
     */
    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    public GatewayContext aeronDirectoryName(final String aeronDirectoryName)
    {
        this.aeronDirectoryName = aeronDirectoryName;
        return this;
    }

    /**
     * Talk to the cluster over shared memory (Aeron IPC) instead of UDP. Only for a gateway that
     * shares the media driver of the single member of a one-member cluster: IPC reaches only the
     * local consensus module, which must be the leader. Saves two UDP hops per command.
     */
    public boolean ipcToCluster()
    {
        return ipcToCluster;
    }

    public GatewayContext ipcToCluster(final boolean ipcToCluster)
    {
        this.ipcToCluster = ipcToCluster;
        return this;
    }

    public byte[] secret()
    {
        return secret;
    }

    public GatewayContext secret(final byte[] secret)
    {
        this.secret = secret;
        return this;
    }

    public boolean preferEpoll()
    {
        return preferEpoll;
    }

    public GatewayContext preferEpoll(final boolean preferEpoll)
    {
        this.preferEpoll = preferEpoll;
        return this;
    }

    /**
     * Netty event-loop threads serving client connections; one serves thousands of them.
     */
    public int ioThreads()
    {
        return ioThreads;
    }

    public GatewayContext ioThreads(final int ioThreads)
    {
        this.ioThreads = ioThreads;
        return this;
    }

    /**
     * Client connections the gateway holds at once; one more is answered BUSY and closed, so file
     * descriptors and per-connection memory have a bound that does not depend on the process's
     * file limit.
     */
    public int maxConnections()
    {
        return maxConnections;
    }

    public GatewayContext maxConnections(final int maxConnections)
    {
        this.maxConnections = maxConnections;
        return this;
    }

    /**
     * Connections accepted per second at most; past it the kernel's backlog holds the rest, so a
     * storm of connections cannot take the event loops from the clients already connected.
     */
    public int maxAcceptsPerSecond()
    {
        return maxAcceptsPerSecond;
    }

    public GatewayContext maxAcceptsPerSecond(final int maxAcceptsPerSecond)
    {
        this.maxAcceptsPerSecond = maxAcceptsPerSecond;
        return this;
    }

    /**
     * Connections that have not yet presented a valid login token, held at once: a flood of
     * connections that never log in cannot take the places of those that do.
     */
    public int maxUnauthenticatedConnections()
    {
        return maxUnauthenticatedConnections;
    }

    public GatewayContext maxUnauthenticatedConnections(final int maxUnauthenticatedConnections)
    {
        this.maxUnauthenticatedConnections = maxUnauthenticatedConnections;
        return this;
    }

    /**
     * How long a connection may stay without a valid login token before it is closed.
     */
    public long loginTimeoutNs()
    {
        return loginTimeoutNs;
    }

    public GatewayContext loginTimeoutNs(final long loginTimeoutNs)
    {
        this.loginTimeoutNs = loginTimeoutNs;
        return this;
    }

    /**
     * Frames per second one user may send on average over all its connections to this gateway
     * (a connection that has not logged in has a budget of its own). Every frame counts: requests,
     * logins, heartbeats; a request answered with a page counts as 16. Past {@link #requestBurst()}
     * above that rate the gateway stops reading the sender until it is back within the rate, so
     * TCP pushes back on it and one client cannot take the capacity every other client shares.
     */
    public int requestsPerSecond()
    {
        return requestsPerSecond;
    }

    /**
     * Frames one connection may send at once above its rate before its reads pause.
     */
    public int requestBurst()
    {
        return requestBurst;
    }

    public GatewayContext requestRate(final int requestsPerSecond, final int requestBurst)
    {
        this.requestsPerSecond = requestsPerSecond;
        this.requestBurst = requestBurst;
        return this;
    }
}
