package io.banter.access.gateway;

import com.lmax.disruptor.EventPoller;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.codecs.EventCode;
import io.aeron.logbuffer.Header;
import io.banter.access.cluster.ClusterClients;
import io.banter.codecs.AdminResponseDecoder;
import io.banter.codecs.CommandBatchEncoder;
import io.banter.codecs.ConnectionClosedEncoder;
import io.banter.codecs.ConnectionDeliveryDecoder;
import io.banter.codecs.ConnectionRequestEncoder;
import io.banter.codecs.DeviceLoginEncoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.EventBatchDecoder;
import io.banter.codecs.KickedDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.Platform;
import io.banter.codecs.SendDecoder;
import io.banter.codecs.batch.BatchReader;
import io.banter.codecs.batch.BatchWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The only thread that touches {@link AeronCluster}. Each duty cycle it drains the inbound
 * ring into cluster ingress, polls egress and writes each event to the connections it names,
 * and keeps the cluster session alive. It owns the registry of open connections.
 * <p>
 * Every hop batches: the commands drained in one cycle go to the cluster as one
 * {@code CommandBatch} (one log entry, however many commands), egress is polled until it is
 * empty and an {@code EventBatch} is handled as its events, and the writes of a cycle reach each
 * Netty event loop as one task ({@link ChannelWrites}). Per command and per connection nothing
 * changes: each is answered, refused or ordered exactly as if it had travelled alone.
 * <p>
 * Overflow is defined everywhere: a command the cluster will not take after a bounded number
 * of attempts is answered BUSY; a connection whose outbound buffer passes its high-water mark
 * is closed as a slow consumer (it reconnects and resyncs); a lost cluster session closes every
 * client connection, since the engine has marked their devices offline, and the agent connects
 * again.
 * <p>
 * A leader change keeps the session and every client connection: Aeron's client follows the new
 * leader, but commands offered to the old one that it had not replicated are lost, and so are
 * answers it had not sent. So on a new leader the agent tells every connection
 * ({@code LeaderChanged}) and pauses its sends; the client resends whatever is unanswered, in
 * order, after {@code ResumeSends}, and the engine's clientMsgId dedup applies each exactly once.
 * Recent connection closes are offered again, since the engine ignores a close it has seen.
 */
final class ClusterClientAgent implements Agent, EventPoller.Handler<InboundEvent>, EgressListener
{
    private static final int MAX_EVENTS_PER_POLL = 256;
    /**
     * Egress polls per cycle before the cycle's writes are handed on: enough to empty egress under
     * load, bounded so the ring is drained again soon.
     */
    private static final int MAX_EGRESS_POLLS_PER_CYCLE = 16;
    /**
     * A batch of commands is at most this long: well inside the largest message ingress and the log
     * take (an eighth of their 1 MiB terms), and room for hundreds of sends.
     */
    private static final int INGRESS_BATCH_CAPACITY = 64 * 1024;
    private static final long RECONNECT_BACKOFF_NS = TimeUnit.MILLISECONDS.toNanos(500);
    /**
     * Closes offered again after a leader change. Only the last moments before the old leader
     * failed can be lost, so a few thousand covers a mass disconnect at that instant.
     */
    private static final int RECENTLY_CLOSED_CAPACITY = 4096;

    private final GatewayContext context;
    private final EventPoller<InboundEvent> poller;
    private final Supplier<AeronCluster.Context> clusterContextSupplier;
    private final GatewayCounters counters;
    private final Long2ObjectHashMap<Channel> connections = new Long2ObjectHashMap<>();
    private final LongArrayList pendingClosed = new LongArrayList();
    private final long[] deliveryTargets = new long[1024];
    private final MessageHeaderDecoder messageHeaderDecoder = new MessageHeaderDecoder();
    private final LongHashSet sendsPaused = new LongHashSet();
    private final long[] recentlyClosed = new long[RECENTLY_CLOSED_CAPACITY];
    private int recentlyClosedCount;
    private int recentlyClosedNext;

    private final UnsafeBuffer commandBuffer;
    private final BatchWriter ingressBatch;
    private final PendingCommands pendingCommands = new PendingCommands(MAX_EVENTS_PER_POLL);
    private final BatchReader egressBatch = new BatchReader();
    private final ChannelWrites writes;
    private final int largestCommand;
    private static final long NOT_WAITING = Long.MIN_VALUE;
    private long ingressBatchWaitingSinceNs = NOT_WAITING;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final DeviceLoginEncoder deviceLoginEncoder = new DeviceLoginEncoder();
    private final ConnectionRequestEncoder connectionRequestEncoder = new ConnectionRequestEncoder();
    private final ConnectionClosedEncoder connectionClosedEncoder = new ConnectionClosedEncoder();
    private final MessageHeaderDecoder egressHeaderDecoder = new MessageHeaderDecoder();
    private final ConnectionDeliveryDecoder deliveryDecoder = new ConnectionDeliveryDecoder();
    private final AdminResponseDecoder adminResponseDecoder = new AdminResponseDecoder();
    private final UnsafeBuffer messageView = new UnsafeBuffer(0, 0);
    private final OutboundFrames frames = new OutboundFrames();

    private AeronCluster cluster;
    private Subscription sideReplies;
    private String sideReplyChannel;
    private final FragmentAssembler sideReplyAssembler = new FragmentAssembler(this::onSideReply);
    private AeronCluster.AsyncConnect asyncConnect;
    private long nextConnectAttemptNs;
    private long nextKeepAliveNs;
    private int eventsThisPoll;
    private volatile boolean clusterConnected;
    /** The last connection failure printed, so a start prints one line, not one per retry. */
    private String lastConnectFailure;

    ClusterClientAgent(
        final GatewayContext context,
        final EventPoller<InboundEvent> poller,
        final Supplier<AeronCluster.Context> clusterContextSupplier,
        final GatewayCounters counters)
    {
        this.context = context;
        this.poller = poller;
        this.clusterContextSupplier = clusterContextSupplier;
        this.counters = counters;
        this.commandBuffer = new UnsafeBuffer(new byte[context.maxFrameLength() + 128]);
        this.ingressBatch = new BatchWriter(CommandBatchEncoder.TEMPLATE_ID,
            Math.max(INGRESS_BATCH_CAPACITY, 2 * (context.maxFrameLength() + 128)));
        this.writes = new ChannelWrites(counters);
        this.largestCommand = context.maxFrameLength() + 128;
    }

    public String roleName()
    {
        return "banter-gateway-cluster-client";
    }

    public int doWork() throws Exception
    {
        final long nowNs = System.nanoTime();
        int work = 0;
        if (null == cluster)
        {
            work += connect(nowNs);
        }

        // While the cluster refuses the last batch the ring is left alone: it fills, and the Netty
        // threads refuse what does not fit one request at a time, as they would without batching.
        if (offerIngressBatch(nowNs))
        {
            eventsThisPoll = 0;
            if (EventPoller.PollState.PROCESSING == poller.poll(this))
            {
                work++;
            }
            offerIngressBatch(nowNs);
        }

        if (null != cluster)
        {
            for (int polls = 0; polls < MAX_EGRESS_POLLS_PER_CYCLE; polls++)
            {
                final int fragments = cluster.pollEgress();
                if (0 == fragments)
                {
                    break;
                }
                work += fragments;
            }
            work += sideReplies.poll(sideReplyAssembler, 16);
            work += writes.flush();
            if (cluster.isClosed())
            {
                onClusterLost();
            }
            else
            {
                work += retryPendingClosed();
                if (nowNs >= nextKeepAliveNs && cluster.sendKeepAlive())
                {
                    nextKeepAliveNs = nowNs + context.clusterKeepAliveIntervalNs();
                }
            }
        }
        return work;
    }

    public void onClose()
    {
        writes.flush();
        if (null != asyncConnect)
        {
            asyncConnect.close();
        }
        CloseHelper.quietClose(sideReplies);
        if (null != cluster)
        {
            cluster.close();
        }
        for (final Channel channel : connections.values())
        {
            channel.close();
        }
        connections.clear();
    }

    boolean isClusterConnected()
    {
        return clusterConnected;
    }

    // ------------------------------------------------------------------ inbound ring -> ingress

    public boolean onEvent(final InboundEvent event, final long sequence, final boolean endOfBatch)
    {
        switch (event.type)
        {
            case InboundEvent.CONNECTION_OPENED:
                connections.put(event.connectionId, event.channel);
                break;

            case InboundEvent.DEVICE_LOGIN:
                onDeviceLogin(event);
                break;

            case InboundEvent.REQUEST:
                onRequest(event);
                break;

            case InboundEvent.CONNECTION_CLOSED:
                sendsPaused.remove(event.connectionId);
                // A connection that never logged in is unknown to the engine: its close costs the log nothing.
                if (null != connections.remove(event.connectionId) && event.engineKnows)
                {
                    rememberClosed(event.connectionId);
                    final int at = claimCommand(ConnectionClosedEncoder.BLOCK_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH);
                    connectionClosedEncoder.wrapAndApplyHeader(ingressBatch.buffer(), at, headerEncoder)
                        .connectionId(event.connectionId);
                    ingressBatch.commit(connectionClosedEncoder.encodedLength() + MessageHeaderEncoder.ENCODED_LENGTH);
                    pendingCommands.add(event, null);
                }
                break;

            case InboundEvent.RESUME_SENDS:
                sendsPaused.remove(event.connectionId);
                break;

            default:
                break;
        }
        event.clear();
        // Stop while the next command is sure to fit: a batch is never offered in the middle of a poll.
        return ++eventsThisPoll < MAX_EVENTS_PER_POLL && ingressBatch.claim(largestCommand) >= 0;
    }

    private void onDeviceLogin(final InboundEvent event)
    {
        final int at = claimCommand(DeviceLoginEncoder.BLOCK_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH);
        deviceLoginEncoder.wrapAndApplyHeader(ingressBatch.buffer(), at, headerEncoder)
            .connectionId(event.connectionId)
            .correlationId(event.correlationId)
            .userId(event.userId)
            .deviceId(event.deviceId)
            .platform(Platform.get(event.platform));
        ingressBatch.commit(deviceLoginEncoder.encodedLength() + MessageHeaderEncoder.ENCODED_LENGTH);
        pendingCommands.add(event, event.channel);
    }

    private void onRequest(final InboundEvent event)
    {
        final boolean send = SendDecoder.TEMPLATE_ID == event.requestTemplateId;
        if (send && !sendsPaused.isEmpty() && sendsPaused.contains(event.connectionId))
        {
            counters.pausedSendRefusals.increment();
            reply(event.channel, frames.sendRejected(event.channel.alloc(), event.clientMsgId, event.conversationId,
                ErrorCode.BUSY, "sends are paused after a refusal or a leader change; send ResumeSends, then retry in order"));
            return;
        }
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + ConnectionRequestEncoder.BLOCK_LENGTH +
            ConnectionRequestEncoder.requestHeaderLength() + event.requestLength;
        final int at = claimCommand(length);
        connectionRequestEncoder.wrapAndApplyHeader(ingressBatch.buffer(), at, headerEncoder)
            .connectionId(event.connectionId)
            .putRequest(event.request, 0, event.requestLength);
        ingressBatch.commit(connectionRequestEncoder.limit() - at);
        pendingCommands.add(event, event.channel);
    }

    /**
     * Room in the ingress batch for one command of at most {@code length} bytes. The poll stops
     * while the largest command still fits, so there always is.
     */
    private int claimCommand(final int length)
    {
        final int at = ingressBatch.claim(length);
        if (at < 0)
        {
            throw new IllegalStateException("no room for a " + length + " byte command in the ingress batch");
        }
        return at;
    }

    /**
     * Offer the commands gathered as one message. A batch the cluster does not take is kept and
     * offered again on the next cycles, egress still polled in between, for at most
     * {@link GatewayContext#ingressBackPressureTimeoutNs()}; after that each command is refused as
     * it would have been alone.
     *
     * @return true once nothing is waiting to be offered.
     */
    private boolean offerIngressBatch(final long nowNs)
    {
        if (ingressBatch.isEmpty())
        {
            return true;
        }
        final int commands = ingressBatch.count();
        if (tryOfferOnce(ingressBatch.buffer(), ingressBatch.offset(), ingressBatch.length()))
        {
            if (commands > 1)
            {
                counters.ingressBatches.increment();
                counters.commandsBatched.add(commands);
            }
            ingressBatchWaitingSinceNs = NOT_WAITING;
            ingressBatch.reset();
            pendingCommands.clear();
            return true;
        }
        if (NOT_WAITING == ingressBatchWaitingSinceNs)
        {
            ingressBatchWaitingSinceNs = nowNs;
            return false;
        }
        if (clusterConnected && null != cluster && !cluster.isClosed() &&
            nowNs - ingressBatchWaitingSinceNs < context.ingressBackPressureTimeoutNs())
        {
            return false;
        }
        for (int i = 0; i < commands; i++)
        {
            refuseBusy(i);
        }
        ingressBatchWaitingSinceNs = NOT_WAITING;
        ingressBatch.reset();
        pendingCommands.clear();
        return true;
    }

    private boolean tryOfferOnce(final DirectBuffer buffer, final int offset, final int length)
    {
        return null != cluster && clusterConnected && cluster.offer(buffer, offset, length) > 0;
    }

    private void refuseBusy(final int index)
    {
        final PendingCommands pending = pendingCommands;
        final long connectionId = pending.connectionId(index);
        final Channel channel = pending.channel(index);
        switch (pending.type(index))
        {
            case InboundEvent.CONNECTION_CLOSED:
                pendingClosed.addLong(connectionId);
                return;

            case InboundEvent.DEVICE_LOGIN:
                counters.busyRefusals.increment();
                reply(channel, frames.loginRefused(channel.alloc(), pending.correlationId(index), ErrorCode.BUSY,
                    pending.userId(index), pending.deviceId(index), "the cluster is not accepting commands; retry"));
                return;

            default:
                counters.busyRefusals.increment();
                if (SendDecoder.TEMPLATE_ID == pending.requestTemplateId(index))
                {
                    sendsPaused.add(connectionId);
                    reply(channel, frames.sendRejected(channel.alloc(), pending.clientMsgId(index),
                        pending.conversationId(index), ErrorCode.BUSY,
                        "the cluster is not accepting commands; retry with the same clientMsgId"));
                }
                else
                {
                    reply(channel, frames.error(channel.alloc(), pending.correlationId(index), ErrorCode.BUSY,
                        pending.requestTemplateId(index), "the cluster is not accepting commands; retry"));
                }
        }
    }

    private boolean offerConnectionClosed(final long connectionId)
    {
        connectionClosedEncoder.wrapAndApplyHeader(commandBuffer, 0, headerEncoder).connectionId(connectionId);
        return offer(commandBuffer, 0, connectionClosedEncoder.encodedLength() + MessageHeaderEncoder.ENCODED_LENGTH);
    }

    private int retryPendingClosed()
    {
        int work = 0;
        while (!pendingClosed.isEmpty())
        {
            final int last = pendingClosed.size() - 1;
            if (!offerConnectionClosed(pendingClosed.getLong(last)))
            {
                break;
            }
            pendingClosed.removeAt(last);
            work++;
        }
        return work;
    }

    /**
     * Offer one message, polling egress between attempts so the cluster's answers keep flowing
     * while its ingress is back-pressured.
     */
    private boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null == cluster || !clusterConnected)
        {
            return false;
        }
        for (int attempt = 0; attempt < context.maxOfferAttempts(); attempt++)
        {
            final long result = cluster.offer(buffer, offset, length);
            if (result > 0)
            {
                return true;
            }
            if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result || cluster.isClosed())
            {
                return false;
            }
            if (cluster.pollEgress() > 0)
            {
                writes.flush();
            }
            Thread.onSpinWait();
        }
        return false;
    }

    // ------------------------------------------------------------------ egress -> connections

    public void onMessage(
        final long clusterSessionId,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        final MessageHeaderDecoder egressHeader = egressHeaderDecoder.wrap(buffer, offset);
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (egressHeader.templateId())
        {
            case ConnectionDeliveryDecoder.TEMPLATE_ID:
                onDelivery(buffer, bodyOffset, egressHeader.blockLength(), egressHeader.version());
                break;

            case EventBatchDecoder.TEMPLATE_ID:
                if (egressBatch.wrap(buffer, offset, length))
                {
                    while (egressBatch.next())
                    {
                        onMessage(clusterSessionId, timestamp, buffer, egressBatch.entryOffset(),
                            egressBatch.entryLength(), header);
                    }
                }
                else
                {
                    counters.engineRejections.increment();
                    System.err.println("banter gateway: malformed event batch from the cluster: " + egressBatch.refusal());
                }
                break;

            case AdminResponseDecoder.TEMPLATE_ID:
                adminResponseDecoder.wrap(buffer, bodyOffset, egressHeader.blockLength(), egressHeader.version());
                counters.engineRejections.increment();
                System.err.println("banter gateway: engine refused a gateway command: " +
                    adminResponseDecoder.code() + " " + adminResponseDecoder.text());
                break;

            default:
                break;
        }
    }

    /**
     * An engine event sent on the side stream: handled as if it came on egress.
     */
    private void onSideReply(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        onMessage(0, 0, buffer, offset, length, header);
    }

    public void onSessionEvent(
        final long correlationId,
        final long clusterSessionId,
        final long leadershipTermId,
        final int leaderMemberId,
        final EventCode code,
        final String detail)
    {
        if (EventCode.ERROR == code || EventCode.CLOSED == code || EventCode.AUTHENTICATION_REJECTED == code)
        {
            System.err.println("banter gateway: cluster session event " + code + ": " + detail);
        }
    }

    public void onNewLeader(
        final long clusterSessionId,
        final long leadershipTermId,
        final int leaderMemberId,
        final String ingressEndpoints)
    {
        counters.leaderChanges.increment();
        System.err.println("banter gateway: new leader member " + leaderMemberId + " in term " + leadershipTermId +
            "; " + connections.size() + " client connections resend what is unanswered");
        for (final Long2ObjectHashMap<Channel>.EntryIterator it = connections.entrySet().iterator(); it.hasNext(); )
        {
            it.next();
            final Channel channel = it.getValue();
            sendsPaused.add(it.getLongKey());
            reply(channel, frames.leaderChanged(channel.alloc(), leaderMemberId, leadershipTermId));
        }
        for (int i = 0; i < recentlyClosedCount; i++)
        {
            pendingClosed.addLong(recentlyClosed[i]);
        }
    }

    private void rememberClosed(final long connectionId)
    {
        recentlyClosed[recentlyClosedNext] = connectionId;
        recentlyClosedNext = (recentlyClosedNext + 1) % RECENTLY_CLOSED_CAPACITY;
        recentlyClosedCount = Math.min(recentlyClosedCount + 1, RECENTLY_CLOSED_CAPACITY);
    }

    private void onDelivery(final DirectBuffer buffer, final int bodyOffset, final int blockLength, final int version)
    {
        final ConnectionDeliveryDecoder delivery = deliveryDecoder.wrap(buffer, bodyOffset, blockLength, version);
        int targetCount = 0;
        for (final ConnectionDeliveryDecoder.ConnectionsDecoder target : delivery.connections())
        {
            if (targetCount < deliveryTargets.length)
            {
                deliveryTargets[targetCount++] = target.connectionId();
            }
        }
        delivery.wrapMessage(messageView);
        final int messageLength = messageView.capacity();
        // The engine ended these sessions: tell them why, then close, so a kicked client cannot
        // go on as if it were logged in.
        final boolean kicked = messageLength >= MessageHeaderDecoder.ENCODED_LENGTH &&
            KickedDecoder.TEMPLATE_ID == messageHeaderDecoder.wrap(messageView, 0).templateId();
        for (int i = 0; i < targetCount; i++)
        {
            final Channel channel = connections.get(deliveryTargets[i]);
            if (null == channel)
            {
                counters.deliveriesToClosedConnections.increment();
                continue;
            }
            if (SlowConsumers.closeIfOverBound(channel, counters))
            {
                continue;
            }
            counters.deliveries.increment();
            if (kicked)
            {
                writes.writeAndClose(channel, frames.frame(channel.alloc(), messageView, 0, messageLength));
            }
            else
            {
                reply(channel, frames.frame(channel.alloc(), messageView, 0, messageLength));
            }
        }
    }

    /**
     * The agent's own answers (BUSY, LeaderChanged) respect the outbound bound as deliveries do.
     */
    private void reply(final Channel channel, final ByteBuf frame)
    {
        if (SlowConsumers.closeIfOverBound(channel, counters))
        {
            frame.release();
            return;
        }
        writes.write(channel, frame);
    }

    // ------------------------------------------------------------------ cluster session

    private int connect(final long nowNs)
    {
        if (nowNs < nextConnectAttemptNs)
        {
            return 0;
        }
        try
        {
            if (null == asyncConnect)
            {
                final AeronCluster.Context clusterContext = clusterContextSupplier.get().egressListener(this);
                sideReplyChannel = ClusterClients.tagEgressForSideReplies(clusterContext);
                asyncConnect = AeronCluster.asyncConnect(clusterContext);
            }
            final AeronCluster connected = asyncConnect.poll();
            if (null == connected)
            {
                return 1;
            }
            asyncConnect = null;
            try
            {
                // Answers a member sends outside the session (cold history pages) come on a
                // stream of their own on the egress endpoint.
                sideReplies = connected.context().aeron().addSubscription(
                    sideReplyChannel, ClusterClients.SIDE_REPLY_STREAM_ID);
            }
            catch (final RuntimeException ex)
            {
                connected.close();
                throw ex;
            }
            cluster = connected;
            clusterConnected = true;
            if (null != lastConnectFailure)
            {
                System.err.println("banter gateway: connected to the cluster");
                lastConnectFailure = null;
            }
            nextKeepAliveNs = nowNs + context.clusterKeepAliveIntervalNs();
            return 1;
        }
        catch (final RuntimeException ex)
        {
            // Aeron's messages carry whole publication dumps over several lines: one short line per
            // kind of failure unless -Dbanter.verbose (banter --verbose) asks for each in full.
            final String failure = ex.getClass().getSimpleName();
            if (Boolean.getBoolean("banter.verbose"))
            {
                System.err.println("banter gateway: cannot reach the cluster yet (" + ex.getMessage() + "); retrying");
            }
            else if (!failure.equals(lastConnectFailure))
            {
                System.err.println("banter gateway: cannot reach the cluster yet (" + failure + "); retrying " +
                    "until it has a leader");
            }
            lastConnectFailure = failure;
            if (null != asyncConnect)
            {
                asyncConnect.close();
                asyncConnect = null;
            }
            nextConnectAttemptNs = nowNs + RECONNECT_BACKOFF_NS;
            return 0;
        }
    }

    private void onClusterLost()
    {
        System.err.println("banter gateway: cluster session lost; closing " + connections.size() +
            " client connections and reconnecting");
        clusterConnected = false;
        // The connections the batch came from are closed below: their devices are offline.
        ingressBatch.reset();
        pendingCommands.clear();
        ingressBatchWaitingSinceNs = NOT_WAITING;
        writes.flush();
        CloseHelper.quietClose(sideReplies);
        sideReplies = null;
        cluster.close();
        cluster = null;
        counters.clusterReconnects.increment();
        pendingClosed.clear();
        sendsPaused.clear();
        recentlyClosedCount = 0;
        for (final Channel channel : connections.values())
        {
            channel.close();
        }
        connections.clear();
    }
}
