package io.banter.replica.service;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.banter.access.cluster.ClusterClients;
import io.banter.journal.cold.ReplySink;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.concurrent.TimeUnit;

/**
 * Answers a member sends a gateway outside the cluster session, from the service thread's
 * background work (where Aeron Cluster refuses session offers): one publication per gateway on
 * the stream {@link ClusterClients#SIDE_REPLY_STREAM_ID} of the gateway's egress channel, which
 * the gateway polls beside its egress. The answers are the engine's own events (a
 * {@code ConnectionDelivery}), so the gateway handles them alike.
 * <p>
 * A new publication needs a moment to connect: an answer waits for it up to
 * {@link #CONNECT_GRACE_NS}, then is dropped and counted (the client's request times out and it
 * asks again), as is one for a gateway whose session is gone.
 */
final class SideReplies implements ReplySink, AutoCloseable
{
    static final long CONNECT_GRACE_NS = TimeUnit.SECONDS.toNanos(2);

    private final Long2ObjectHashMap<ExclusivePublication> publications = new Long2ObjectHashMap<>();
    private final Long2LongHashMap createdNs = new Long2LongHashMap(0);
    private Cluster cluster;
    private long dropped;

    void cluster(final Cluster cluster)
    {
        this.cluster = cluster;
    }

    public boolean offer(final long gatewayId, final DirectBuffer buffer, final int offset, final int length)
    {
        final ClientSession session = null == cluster ? null : cluster.getClientSession(gatewayId);
        if (null == session)
        {
            dropped++;
            return true;
        }
        ExclusivePublication publication = publications.get(gatewayId);
        if (null == publication)
        {
            // The gateway's egress endpoint; its channel tag names a subscription on the gateway's
            // driver, not anything on this one.
            final ChannelUri channel = ChannelUri.parse(session.responseChannel());
            channel.remove(CommonContext.TAGS_PARAM_NAME);
            publication = cluster.aeron().addExclusivePublication(channel.toString(), ClusterClients.SIDE_REPLY_STREAM_ID);
            publications.put(gatewayId, publication);
            createdNs.put(gatewayId, System.nanoTime());
        }
        final long result = publication.offer(buffer, offset, length);
        if (result > 0)
        {
            return true;
        }
        if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION ||
            (result == Publication.NOT_CONNECTED && System.nanoTime() - createdNs.get(gatewayId) < CONNECT_GRACE_NS))
        {
            return false;
        }
        dropped++;
        return true;
    }

    /**
     * The gateway's session closed: so does its publication.
     */
    void onSessionClosed(final long gatewayId)
    {
        CloseHelper.quietClose(publications.remove(gatewayId));
        createdNs.remove(gatewayId);
    }

    long dropped()
    {
        return dropped;
    }

    public void close()
    {
        publications.values().forEach(CloseHelper::quietClose);
        publications.clear();
    }
}
