package io.banter.access.client;

import io.banter.codecs.Platform;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Configuration of a {@link BanterClient}.
 */
public final class BanterClientContext
{
    private final List<InetSocketAddress> endpoints = new ArrayList<>();
    private long userId;
    private long deviceId;
    private Platform platform = Platform.DESKTOP;
    private Supplier<String> tokenSupplier;
    private MessageListener listener = message -> { };
    private EventLoopGroup eventLoopGroup;
    private long reconnectBackoffMinNs = TimeUnit.MILLISECONDS.toNanos(50);
    private long reconnectBackoffMaxNs = TimeUnit.SECONDS.toNanos(3);
    private long heartbeatIntervalNs = TimeUnit.SECONDS.toNanos(3);
    private long ackDelayNs = TimeUnit.MILLISECONDS.toNanos(100);
    private int maxInFlightSends = 32;
    private int maxQueuedSends = 10_000;
    private int syncPageEntries = 256;
    private int maxPayloadLength = 4096;
    private int maxFrameLength = 8 * 1024;
    private long firstClientMsgId = System.currentTimeMillis() * 1000;

    public BanterClientContext conclude()
    {
        if (endpoints.isEmpty())
        {
            throw new IllegalStateException("at least one endpoint is required");
        }
        if (0 == userId || 0 == deviceId || null == tokenSupplier)
        {
            throw new IllegalStateException("userId, deviceId and a token are required");
        }
        if (maxPayloadLength <= 0 || maxFrameLength <= 0 || maxFrameLength > ClientFrames.MAX_REQUEST_LENGTH)
        {
            throw new IllegalStateException("maxPayloadLength must be positive and maxFrameLength in 1.." +
                ClientFrames.MAX_REQUEST_LENGTH + ": " + maxPayloadLength + ", " + maxFrameLength);
        }
        return this;
    }

    /**
     * "host:port" endpoints, tried in turn when (re)connecting.
     */
    public BanterClientContext endpoints(final String... hostPorts)
    {
        for (final String hostPort : hostPorts)
        {
            final int colon = hostPort.lastIndexOf(':');
            endpoints.add(InetSocketAddress.createUnresolved(
                hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
        }
        return this;
    }

    public List<InetSocketAddress> endpoints()
    {
        return endpoints;
    }

    public long userId()
    {
        return userId;
    }

    public BanterClientContext userId(final long userId)
    {
        this.userId = userId;
        return this;
    }

    public long deviceId()
    {
        return deviceId;
    }

    public BanterClientContext deviceId(final long deviceId)
    {
        this.deviceId = deviceId;
        return this;
    }

    public Platform platform()
    {
        return platform;
    }

    public BanterClientContext platform(final Platform platform)
    {
        this.platform = platform;
        return this;
    }

    public Supplier<String> tokenSupplier()
    {
        return tokenSupplier;
    }

    public BanterClientContext token(final String token)
    {
        this.tokenSupplier = () -> token;
        return this;
    }

    /**
     * Asked on every (re)login, so a long-lived client can present a fresh token.
     */
    public BanterClientContext tokenSupplier(final Supplier<String> tokenSupplier)
    {
        this.tokenSupplier = tokenSupplier;
        return this;
    }

    public MessageListener listener()
    {
        return listener;
    }

    public BanterClientContext listener(final MessageListener listener)
    {
        this.listener = listener;
        return this;
    }

    /**
     * A shared event loop (many clients in one process); null gives the client one of its own.
     */
    public EventLoopGroup eventLoopGroup()
    {
        return eventLoopGroup;
    }

    public BanterClientContext eventLoopGroup(final EventLoopGroup eventLoopGroup)
    {
        this.eventLoopGroup = eventLoopGroup;
        return this;
    }

    public long reconnectBackoffMinNs()
    {
        return reconnectBackoffMinNs;
    }

    public long reconnectBackoffMaxNs()
    {
        return reconnectBackoffMaxNs;
    }

    public BanterClientContext reconnectBackoff(final long minNs, final long maxNs)
    {
        this.reconnectBackoffMinNs = minNs;
        this.reconnectBackoffMaxNs = maxNs;
        return this;
    }

    /**
     * How often a heartbeat goes out; a connection silent for three intervals is dropped and
     * reconnected.
     */
    public long heartbeatIntervalNs()
    {
        return heartbeatIntervalNs;
    }

    public BanterClientContext heartbeatIntervalNs(final long heartbeatIntervalNs)
    {
        this.heartbeatIntervalNs = heartbeatIntervalNs;
        return this;
    }

    /**
     * Processed changes are acknowledged cumulatively at most this long after the first unacked one.
     */
    public long ackDelayNs()
    {
        return ackDelayNs;
    }

    public BanterClientContext ackDelayNs(final long ackDelayNs)
    {
        this.ackDelayNs = ackDelayNs;
        return this;
    }

    /**
     * Sends on the wire without an ack. Kept below the engine's remembered-sends window (64), so
     * any resend after a reconnect is still recognised as a retry.
     */
    public int maxInFlightSends()
    {
        return maxInFlightSends;
    }

    public BanterClientContext maxInFlightSends(final int maxInFlightSends)
    {
        this.maxInFlightSends = maxInFlightSends;
        return this;
    }

    /**
     * Sends waiting (in flight or queued) beyond which {@code send} fails at once.
     */
    public int maxQueuedSends()
    {
        return maxQueuedSends;
    }

    public BanterClientContext maxQueuedSends(final int maxQueuedSends)
    {
        this.maxQueuedSends = maxQueuedSends;
        return this;
    }

    public int syncPageEntries()
    {
        return syncPageEntries;
    }

    public BanterClientContext syncPageEntries(final int syncPageEntries)
    {
        this.syncPageEntries = syncPageEntries;
        return this;
    }

    /**
     * The largest message payload the server stores: its engine's {@code maxPayloadLength}
     * (4096 bytes by default). A larger {@code send} fails at once with {@code PAYLOAD_TOO_LARGE}.
     */
    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    public BanterClientContext maxPayloadLength(final int maxPayloadLength)
    {
        this.maxPayloadLength = maxPayloadLength;
        return this;
    }

    /**
     * The largest frame the gateway reads, SOFH header included: its {@code maxFrameLength}
     * (8 KiB by default). The gateway closes a connection that sends a larger one, and a send
     * resent after every reconnect would close every connection after it, so a request that
     * would not fit fails at once with {@code PAYLOAD_TOO_LARGE} and is never written.
     */
    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    public BanterClientContext maxFrameLength(final int maxFrameLength)
    {
        this.maxFrameLength = maxFrameLength;
        return this;
    }

    /**
     * The first clientMsgId; later ones count up. Defaults to the wall clock in microseconds so
     * that a restarted device stays above the ids it used before.
     */
    public long firstClientMsgId()
    {
        return firstClientMsgId;
    }

    public BanterClientContext firstClientMsgId(final long firstClientMsgId)
    {
        this.firstClientMsgId = firstClientMsgId;
        return this;
    }
}
