package io.banter.access.cluster;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How Banter processes become clients of the cluster: the gateway and the admin tool. When no
 * Aeron directory is given (a process of its own, not the node's), an embedded media driver is
 * started for the client and closed with it.
 */
public final class ClusterClients
{
    /**
     * The stream, on a gateway's egress channel, of answers a member sends outside its cluster
     * session: cold history pages, read off the service thread, which Aeron Cluster does not let
     * the service offer to a session from its background work.
     */
    public static final int SIDE_REPLY_STREAM_ID = 110;

    private static final AtomicLong NEXT_TAG = new AtomicLong(ProcessHandle.current().pid() << 24);

    private ClusterClients()
    {
    }

    /**
     * Make a client's egress endpoint one a second subscription can share: a UDP egress channel
     * gets a channel tag unique on this host (process id and a counter), since its ephemeral port
     * is not known until it is bound and another subscription to the resolved port would try to
     * bind it again.
     *
     * @return the channel to subscribe to {@link #SIDE_REPLY_STREAM_ID} on.
     */
    public static String tagEgressForSideReplies(final AeronCluster.Context context)
    {
        final String egressChannel = context.egressChannel();
        if (!egressChannel.startsWith("aeron:udp"))
        {
            return egressChannel;
        }
        final long tag = NEXT_TAG.incrementAndGet();
        context.egressChannel(egressChannel + "|tags=" + tag);
        return "aeron:udp?tags=" + tag;
    }

    /**
     * An embedded media driver in SHARED mode for a client-only process.
     */
    public static MediaDriver launchEmbeddedDriver()
    {
        return MediaDriver.launchEmbedded(new MediaDriver.Context()
            .threadingMode(ThreadingMode.SHARED)
            // The default backoff parks up to 1 ms per idle cycle, a millisecond on every hop.
            .sharedIdleStrategy(new BackoffIdleStrategy(64, 16, TimeUnit.MICROSECONDS.toNanos(1),
                TimeUnit.MICROSECONDS.toNanos(250)))
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
    }

    /**
     * A cluster client context over shared memory, for a client on the media driver of the only
     * member of a one-member cluster (which accepts IPC ingress).
     */
    public static AeronCluster.Context ipcContext(final String aeronDirectoryName)
    {
        return new AeronCluster.Context()
            .aeronDirectoryName(aeronDirectoryName)
            .ingressChannel("aeron:ipc?term-length=1m")
            .ingressEndpoints(null)
            .egressChannel("aeron:ipc?term-length=4m");
    }

    /**
     * A cluster client context for the given ingress endpoints ("0=host:port,1=host:port"),
     * answering on an ephemeral UDP port of {@code egressHost}.
     */
    public static AeronCluster.Context context(
        final String aeronDirectoryName, final String ingressEndpoints, final String egressHost)
    {
        return new AeronCluster.Context()
            .aeronDirectoryName(aeronDirectoryName)
            .ingressChannel("aeron:udp?term-length=1m")
            .ingressEndpoints(ingressEndpoints)
            .egressChannel("aeron:udp?term-length=4m|endpoint=" + egressHost + ":0");
    }
}
