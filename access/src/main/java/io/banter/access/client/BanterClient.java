package io.banter.access.client;

import io.banter.access.framing.SofhFrameDecoder;
import io.banter.codecs.BooleanType;
import io.banter.codecs.ConversationListDecoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.ErrorDecoder;
import io.banter.codecs.HeartbeatDecoder;
import io.banter.codecs.HistoryBatchDecoder;
import io.banter.codecs.LeaderChangedDecoder;
import io.banter.codecs.LoginResultDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessagePushDecoder;
import io.banter.codecs.PresenceStateDecoder;
import io.banter.codecs.SendAckDecoder;
import io.banter.codecs.SendRejectedDecoder;
import io.banter.codecs.SyncBatchDecoder;
import io.banter.codecs.UserInfoDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Java client SDK: one device session of one user, kept alive across connection loss.
 * <p>
 * It logs in, resyncs from the last change it processed, then receives pushes live. A lost
 * connection is reconnected with jittered exponential back-off over the endpoint list; sends
 * without an ack are resent with the same {@code clientMsgId}, so each takes effect exactly
 * once. Processed changes are acknowledged cumulatively. Every callback and future completion
 * runs on the client's event-loop thread; public methods may be called from any thread.
 */
public final class BanterClient implements AutoCloseable
{
    private static final int MAX_FRAME_LENGTH = 1024 * 1024;
    private static final int MAX_PAGE_ENTRIES = 256;

    private final BanterClientContext context;
    private final MessageListener listener;
    private final boolean ownsEventLoopGroup;
    private final EventLoopGroup eventLoopGroup;
    private final EventLoop eventLoop;
    private final Bootstrap bootstrap;
    private final ClientFrames frames = new ClientFrames();
    private final UnsafeBuffer inbound = new UnsafeBuffer(new byte[MAX_FRAME_LENGTH]);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final LinkedHashMap<Long, PendingSend> pendingSends = new LinkedHashMap<>();
    private final Map<Long, PendingRequest<?>> requests = new HashMap<>();
    private final TreeSet<Long> ownChangesAhead = new TreeSet<>();
    private final CompletableFuture<Void> firstSync = new CompletableFuture<>();

    private ClientState state = ClientState.DISCONNECTED;
    private Channel channel;
    private int endpointIndex;
    private int reconnectAttempts;
    private long nextClientMsgId;
    private long nextCorrelationId = 1;
    private long loginCorrelationId;
    private boolean everLoggedIn;
    private long lastProcessedChangeSeq;
    private long highestSeenChangeSeq;
    private long lastAckSentChangeSeq;
    private boolean syncInFlight;
    private boolean ackScheduled;
    private int inFlightSends;
    private boolean resumeNeeded;
    private long lastHeardNs;
    private ScheduledFuture<?> heartbeatTask;
    private volatile ClientState publishedState = ClientState.DISCONNECTED;
    private volatile long publishedProcessedChangeSeq;

    private BanterClient(final BanterClientContext context)
    {
        this.context = context.conclude();
        this.listener = context.listener();
        this.nextClientMsgId = context.firstClientMsgId();
        this.ownsEventLoopGroup = null == context.eventLoopGroup();
        this.eventLoopGroup = ownsEventLoopGroup ?
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("banter-client", true), NioIoHandler.newFactory()) :
            context.eventLoopGroup();
        this.eventLoop = eventLoopGroup.next();
        this.bootstrap = new Bootstrap()
            .group(eventLoop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3_000)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline()
                        .addLast("framing", new SofhFrameDecoder(MAX_FRAME_LENGTH))
                        .addLast("session", new SessionHandler());
                }
            });
    }

    /**
     * Start connecting; the client keeps reconnecting until closed.
     *
     * @return the client; see {@link #awaitOnline(long, TimeUnit)}.
     */
    public static BanterClient connect(final BanterClientContext context)
    {
        final BanterClient client = new BanterClient(context);
        client.eventLoop.execute(client::openConnection);
        return client;
    }

    /**
     * Completes when the first login and resync are done, or fails if the login is refused for good.
     */
    public CompletableFuture<Void> online()
    {
        return firstSync;
    }

    public BanterClient awaitOnline(final long timeout, final TimeUnit unit)
    {
        try
        {
            firstSync.get(timeout, unit);
            return this;
        }
        catch (final java.util.concurrent.ExecutionException ex)
        {
            throw ex.getCause() instanceof RuntimeException ? (RuntimeException)ex.getCause() :
                new IllegalStateException(ex.getCause());
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("not online after " + timeout + " " + unit + ": " + publishedState, ex);
        }
    }

    public ClientState state()
    {
        return publishedState;
    }

    /**
     * The last change of this user's stream this client has processed: everything up to it was
     * delivered (or was this device's own send).
     */
    public long lastProcessedChangeSeq()
    {
        return publishedProcessedChangeSeq;
    }

    public long userId()
    {
        return context.userId();
    }

    public long deviceId()
    {
        return context.deviceId();
    }

    /**
     * Send a text message to a user (opening the direct conversation on first use).
     */
    public CompletableFuture<SendReceipt> sendText(final long toUserId, final String text)
    {
        return send(0, toUserId, 0, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Send a message; the future completes with the engine's ack once it is committed. The message
     * is resent across reconnects until acknowledged, with its {@code clientMsgId} unchanged.
     *
     * @param conversationId the conversation, or 0 for the direct conversation with {@code toUserId}.
     */
    public CompletableFuture<SendReceipt> send(
        final long conversationId, final long toUserId, final int contentType, final byte[] payload)
    {
        final CompletableFuture<SendReceipt> receipt = new CompletableFuture<>();
        eventLoop.execute(() ->
        {
            if (ClientState.CLOSED == state)
            {
                receipt.completeExceptionally(new BanterException(ErrorCode.NOT_LOGGED_IN, "the client is closed"));
                return;
            }
            if (pendingSends.size() >= context.maxQueuedSends())
            {
                receipt.completeExceptionally(new BanterException(ErrorCode.BUSY,
                    pendingSends.size() + " sends are waiting for an ack; slow down"));
                return;
            }
            final long clientMsgId = nextClientMsgId++;
            pendingSends.put(clientMsgId, new PendingSend(clientMsgId, conversationId, toUserId, contentType, payload, receipt));
            pumpSends();
        });
        return receipt;
    }

    /**
     * A page of a conversation's history, newest first, before {@code beforeSeq} (0: from the head).
     */
    public CompletableFuture<HistoryPage> history(final long conversationId, final long beforeSeq, final int maxEntries)
    {
        return request(correlationId -> frames.history(channel.alloc(), correlationId, conversationId, beforeSeq,
            Math.min(maxEntries, MAX_PAGE_ENTRIES)));
    }

    public CompletableFuture<ConversationPage> conversations(final long afterConversationId, final int maxEntries)
    {
        return request(correlationId -> frames.listConversations(channel.alloc(), correlationId, afterConversationId,
            Math.min(maxEntries, MAX_PAGE_ENTRIES)));
    }

    public CompletableFuture<UserProfile> lookupUser(final String name)
    {
        return request(correlationId -> frames.lookupUser(channel.alloc(), correlationId, 0, name));
    }

    public CompletableFuture<UserProfile> lookupUser(final long userId)
    {
        return request(correlationId -> frames.lookupUser(channel.alloc(), correlationId, userId, ""));
    }

    public CompletableFuture<Presence> presence(final long userId)
    {
        return request(correlationId -> frames.presence(channel.alloc(), correlationId, userId));
    }

    /**
     * Drop the TCP connection as a network fault would; the client reconnects by itself.
     * For tests and drills.
     */
    public void dropConnection()
    {
        eventLoop.execute(() ->
        {
            if (null != channel)
            {
                channel.close();
            }
        });
    }

    public void close()
    {
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        eventLoop.execute(() ->
        {
            sendAck();
            moveTo(ClientState.CLOSED, "closed by the application");
            if (null != channel)
            {
                channel.close();
            }
            failAll(new BanterException(ErrorCode.NOT_LOGGED_IN, "the client is closed"), true);
            closed.complete(null);
        });
        closed.join();
        if (ownsEventLoopGroup)
        {
            eventLoopGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // ------------------------------------------------------------------ connection lifecycle

    private void openConnection()
    {
        if (ClientState.CLOSED == state)
        {
            return;
        }
        final List<InetSocketAddress> endpoints = context.endpoints();
        final InetSocketAddress endpoint = endpoints.get(endpointIndex++ % endpoints.size());
        final ChannelFuture connectFuture = bootstrap.connect(endpoint.getHostString(), endpoint.getPort());
        connectFuture.addListener(future ->
        {
            if (!future.isSuccess())
            {
                scheduleReconnect("connect to " + endpoint + " failed: " + future.cause().getMessage());
            }
        });
    }

    private void scheduleReconnect(final String reason)
    {
        if (ClientState.CLOSED == state)
        {
            return;
        }
        moveTo(ClientState.DISCONNECTED, reason);
        final long ceiling = Math.min(context.reconnectBackoffMaxNs(),
            context.reconnectBackoffMinNs() << Math.min(reconnectAttempts++, 16));
        // Full jitter in [ceiling/2, ceiling): a crowd of clients does not return in lockstep.
        final long delayNs = ceiling / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, ceiling / 2));
        eventLoop.schedule(this::openConnection, delayNs, TimeUnit.NANOSECONDS);
    }

    private void onConnected(final Channel channel)
    {
        this.channel = channel;
        lastHeardNs = System.nanoTime();
        moveTo(ClientState.LOGGING_IN, "connected to " + channel.remoteAddress());
        loginCorrelationId = nextCorrelationId++;
        channel.writeAndFlush(frames.login(channel.alloc(), loginCorrelationId, context.userId(), context.deviceId(),
            context.platform(), context.tokenSupplier().get()), channel.voidPromise());
        final long intervalNs = context.heartbeatIntervalNs();
        heartbeatTask = eventLoop.scheduleAtFixedRate(this::heartbeat, intervalNs, intervalNs, TimeUnit.NANOSECONDS);
    }

    private void onDisconnected()
    {
        channel = null;
        if (null != heartbeatTask)
        {
            heartbeatTask.cancel(false);
            heartbeatTask = null;
        }
        syncInFlight = false;
        inFlightSends = 0;
        resumeNeeded = false;
        for (final PendingSend send : pendingSends.values())
        {
            send.onWire = false;
        }
        failAll(new BanterException(ErrorCode.BUSY, "the connection was lost; retry"), false);
        scheduleReconnect("connection lost");
    }

    private void heartbeat()
    {
        if (null == channel)
        {
            return;
        }
        if (System.nanoTime() - lastHeardNs > 3 * context.heartbeatIntervalNs())
        {
            channel.close();
            return;
        }
        channel.writeAndFlush(frames.heartbeat(channel.alloc(), System.nanoTime()), channel.voidPromise());
    }

    private boolean loggedIn()
    {
        return ClientState.SYNCING == state || ClientState.ONLINE == state;
    }

    private void moveTo(final ClientState newState, final String reason)
    {
        if (state != newState && ClientState.CLOSED != state)
        {
            state = newState;
            publishedState = newState;
            listener.onStateChange(newState, reason);
        }
    }

    // ------------------------------------------------------------------ inbound

    private void onFrame(final ByteBuf frame)
    {
        final int length = frame.readableBytes();
        frame.getBytes(frame.readerIndex(), inbound.byteArray(), 0, length);
        header.wrap(inbound, 0);
        final int offset = MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (header.templateId())
        {
            case MessagePushDecoder.TEMPLATE_ID:
            {
                final MessagePushDecoder push = new MessagePushDecoder().wrap(inbound, offset, blockLength, version);
                final long changeSeq = push.changeSeq();
                final ChatMessage message = new ChatMessage(changeSeq, push.conversationId(), push.seq(),
                    push.messageId(), push.senderUserId(), push.senderDeviceId(), push.clientMsgId(), push.timestamp(),
                    push.contentType(), payloadOf(push));
                onChange(changeSeq, message);
                break;
            }
            case SendAckDecoder.TEMPLATE_ID:
                onSendAck(new SendAckDecoder().wrap(inbound, offset, blockLength, version));
                break;
            case SendRejectedDecoder.TEMPLATE_ID:
                onSendRejected(new SendRejectedDecoder().wrap(inbound, offset, blockLength, version));
                break;
            case SyncBatchDecoder.TEMPLATE_ID:
                onSyncBatch(new SyncBatchDecoder().wrap(inbound, offset, blockLength, version));
                break;
            case LoginResultDecoder.TEMPLATE_ID:
                onLoginResult(new LoginResultDecoder().wrap(inbound, offset, blockLength, version));
                break;
            case HistoryBatchDecoder.TEMPLATE_ID:
                onHistoryBatch(new HistoryBatchDecoder().wrap(inbound, offset, blockLength, version));
                break;
            case ConversationListDecoder.TEMPLATE_ID:
                onConversationList(new ConversationListDecoder().wrap(inbound, offset, blockLength, version));
                break;
            case UserInfoDecoder.TEMPLATE_ID:
            {
                final UserInfoDecoder info = new UserInfoDecoder().wrap(inbound, offset, blockLength, version);
                final long correlationId = info.correlationId();
                final ErrorCode code = info.code();
                final long userId = info.userId();
                final boolean online = BooleanType.TRUE == info.online();
                final String name = info.name();
                if (ErrorCode.NONE == code)
                {
                    complete(correlationId, new UserProfile(userId, name, online));
                }
                else
                {
                    fail(correlationId, new BanterException(code, "no user " + (0 != userId ? userId : "")));
                }
                break;
            }
            case PresenceStateDecoder.TEMPLATE_ID:
            {
                final PresenceStateDecoder presence = new PresenceStateDecoder().wrap(inbound, offset, blockLength, version);
                complete(presence.correlationId(), new Presence(presence.userId(),
                    BooleanType.TRUE == presence.online(), presence.onlineDevices()));
                break;
            }
            case LeaderChangedDecoder.TEMPLATE_ID:
                onLeaderChanged(new LeaderChangedDecoder().wrap(inbound, offset, blockLength, version));
                break;
            case ErrorDecoder.TEMPLATE_ID:
                onError(new ErrorDecoder().wrap(inbound, offset, blockLength, version));
                break;
            case HeartbeatDecoder.TEMPLATE_ID:
            default:
                break;
        }
    }

    private void onLoginResult(final LoginResultDecoder result)
    {
        final ErrorCode code = result.code();
        final long ackedChangeSeq = result.ackedChangeSeq();
        final String text = result.text();
        if (ErrorCode.NONE != code)
        {
            if (ErrorCode.BUSY == code)
            {
                channel.close();
                return;
            }
            final BanterException refusal = new BanterException(code, "login refused: " + text);
            moveTo(ClientState.CLOSED, refusal.getMessage());
            firstSync.completeExceptionally(refusal);
            failAll(refusal, true);
            channel.close();
            return;
        }
        reconnectAttempts = 0;
        if (!everLoggedIn && 0 == lastProcessedChangeSeq)
        {
            // A new instance of a known device resumes where the device last acknowledged.
            lastProcessedChangeSeq = ackedChangeSeq;
            lastAckSentChangeSeq = ackedChangeSeq;
            publishedProcessedChangeSeq = ackedChangeSeq;
        }
        everLoggedIn = true;
        moveTo(ClientState.SYNCING, "logged in");
        requestSync();
        pumpSends();
    }

    private void onSendAck(final SendAckDecoder ack)
    {
        final PendingSend send = pendingSends.remove(ack.clientMsgId());
        final long changeSeq = ack.changeSeq();
        if (null != send)
        {
            if (send.onWire)
            {
                inFlightSends--;
            }
            send.receipt.complete(new SendReceipt(ack.clientMsgId(), ack.conversationId(), ack.messageId(), ack.seq(),
                changeSeq, ack.timestamp(), BooleanType.TRUE == ack.duplicate()));
        }
        onChange(changeSeq, null);
        pumpSends();
    }

    private void onSendRejected(final SendRejectedDecoder rejected)
    {
        final long clientMsgId = rejected.clientMsgId();
        final ErrorCode code = rejected.code();
        final String text = rejected.text();
        final PendingSend send = pendingSends.get(clientMsgId);
        if (null == send)
        {
            return;
        }
        if (send.onWire)
        {
            send.onWire = false;
            inFlightSends--;
        }
        switch (code)
        {
            case BUSY:
                // Not stored, and the gateway refuses this connection's later sends until
                // ResumeSends: once every send on the wire is answered, resume and resend in order.
                resumeNeeded = true;
                eventLoop.schedule(this::pumpSends, 20, TimeUnit.MILLISECONDS);
                return;
            case NOT_LOGGED_IN:
                // Not stored: try again shortly with the same id.
                eventLoop.schedule(this::pumpSends, 20, TimeUnit.MILLISECONDS);
                return;
            case STALE_CLIENT_MSG_ID:
                // Not stored (a stored one would be answered from the engine's window, which is
                // wider than our in-flight limit) but overtaken by a later id: send it again as new.
                pendingSends.remove(clientMsgId);
                final long newId = nextClientMsgId++;
                pendingSends.put(newId, send.withClientMsgId(newId));
                pumpSends();
                return;
            default:
                pendingSends.remove(clientMsgId);
                send.receipt.completeExceptionally(new BanterException(code, text));
                pumpSends();
        }
    }

    /**
     * The cluster changed leader: requests not yet answered may be lost with the old one, and
     * the gateway refuses this connection's sends until ResumeSends. Resend every unanswered
     * send in order (the engine acks one it already has as a duplicate), pull changes again,
     * and fail queries so the application retries them.
     */
    private void onLeaderChanged(final LeaderChangedDecoder leaderChanged)
    {
        final String reason = "the cluster changed leader (member " + leaderChanged.leaderMemberId() + ")";
        if (!loggedIn())
        {
            // The login itself may be lost: log in again on a fresh connection.
            channel.close();
            return;
        }
        for (final PendingSend send : pendingSends.values())
        {
            send.onWire = false;
        }
        inFlightSends = 0;
        resumeNeeded = true;
        failAll(new BanterException(ErrorCode.BUSY, reason + "; retry"), false);
        syncInFlight = false;
        requestSync();
        pumpSends();
    }

    private void onSyncBatch(final SyncBatchDecoder batch)
    {
        syncInFlight = false;
        final long oldest = batch.oldestChangeSeq();
        final long head = batch.headChangeSeq();
        final boolean hasMore = BooleanType.TRUE == batch.hasMore();
        if (oldest > lastProcessedChangeSeq + 1)
        {
            // The engine no longer holds these changes; what they were is in the conversations' history.
            lastProcessedChangeSeq = oldest - 1;
            publishedProcessedChangeSeq = lastProcessedChangeSeq;
        }
        for (final SyncBatchDecoder.EntriesDecoder entry : batch.entries())
        {
            final long changeSeq = entry.changeSeq();
            final ChatMessage message = new ChatMessage(changeSeq, entry.conversationId(), entry.seq(),
                entry.messageId(), entry.senderUserId(), entry.senderDeviceId(), entry.clientMsgId(),
                entry.timestamp(), entry.contentType(), payloadOf(entry));
            onChange(changeSeq, message);
        }
        highestSeenChangeSeq = Math.max(highestSeenChangeSeq, head);
        if (hasMore || highestSeenChangeSeq > lastProcessedChangeSeq)
        {
            requestSync();
        }
        else if (ClientState.SYNCING == state)
        {
            moveTo(ClientState.ONLINE, "synced to change " + lastProcessedChangeSeq);
            sendAck();
            firstSync.complete(null);
        }
    }

    /**
     * One change of this user's stream: a message (push or sync entry) or, when {@code message}
     * is null, the change made by one of this device's own acknowledged sends.
     */
    private void onChange(final long changeSeq, final ChatMessage message)
    {
        highestSeenChangeSeq = Math.max(highestSeenChangeSeq, changeSeq);
        if (changeSeq <= lastProcessedChangeSeq)
        {
            return;
        }
        if (changeSeq != lastProcessedChangeSeq + 1)
        {
            if (null == message)
            {
                ownChangesAhead.add(changeSeq);
            }
            requestSync();
            return;
        }
        if (null != message)
        {
            if (message.senderDeviceId() == context.deviceId() && message.senderUserId() == context.userId())
            {
                onOwnMessageSeen(message);
            }
            else
            {
                listener.onMessage(message);
            }
        }
        lastProcessedChangeSeq = changeSeq;
        while (!ownChangesAhead.isEmpty() && ownChangesAhead.first() <= lastProcessedChangeSeq + 1)
        {
            lastProcessedChangeSeq = Math.max(lastProcessedChangeSeq, ownChangesAhead.pollFirst());
        }
        publishedProcessedChangeSeq = lastProcessedChangeSeq;
        scheduleAck();
    }

    /**
     * A message this device sent shows up in a resync: if its ack was lost with a connection,
     * the sync is the ack.
     */
    private void onOwnMessageSeen(final ChatMessage message)
    {
        final PendingSend send = pendingSends.remove(message.clientMsgId());
        if (null != send)
        {
            if (send.onWire)
            {
                inFlightSends--;
            }
            send.receipt.complete(new SendReceipt(message.clientMsgId(), message.conversationId(), message.messageId(),
                message.seq(), message.changeSeq(), message.timestamp(), true));
        }
    }

    private void onHistoryBatch(final HistoryBatchDecoder batch)
    {
        final long correlationId = batch.correlationId();
        final long conversationId = batch.conversationId();
        final long headSeq = batch.headSeq();
        final boolean hasMore = BooleanType.TRUE == batch.hasMore();
        final List<ChatMessage> messages = new ArrayList<>();
        for (final HistoryBatchDecoder.MessagesDecoder entry : batch.messages())
        {
            final long seq = entry.seq();
            final long messageId = entry.messageId();
            final long senderUserId = entry.senderUserId();
            final long senderDeviceId = entry.senderDeviceId();
            final long clientMsgId = entry.clientMsgId();
            final long timestamp = entry.timestamp();
            final int contentType = entry.contentType();
            final byte[] payload = new byte[entry.payloadLength()];
            entry.getPayload(payload, 0, payload.length);
            messages.add(new ChatMessage(0, conversationId, seq, messageId, senderUserId, senderDeviceId, clientMsgId,
                timestamp, contentType, payload));
        }
        complete(correlationId, new HistoryPage(conversationId, headSeq, hasMore, messages));
    }

    private void onConversationList(final ConversationListDecoder list)
    {
        final long correlationId = list.correlationId();
        final boolean hasMore = BooleanType.TRUE == list.hasMore();
        final List<ConversationSummary> conversations = new ArrayList<>();
        for (final ConversationListDecoder.ConversationsDecoder entry : list.conversations())
        {
            conversations.add(new ConversationSummary(
                entry.conversationId(), entry.peerUserId(), entry.headSeq(), entry.lastTimestamp()));
        }
        complete(correlationId, new ConversationPage(conversations, hasMore));
    }

    private void onError(final ErrorDecoder error)
    {
        final long correlationId = error.correlationId();
        final ErrorCode code = error.code();
        final int templateId = error.requestTemplateId();
        final String text = error.text();
        if (ErrorCode.SESSION_REPLACED == code)
        {
            moveTo(ClientState.CLOSED, "this device logged in elsewhere");
            failAll(new BanterException(code, text), true);
            channel.close();
            return;
        }
        if (0 != correlationId)
        {
            fail(correlationId, new BanterException(code, text + " (request template " + templateId + ")"));
        }
    }

    // ------------------------------------------------------------------ outbound

    private void requestSync()
    {
        if (!loggedIn() || syncInFlight)
        {
            return;
        }
        if (ClientState.ONLINE == state)
        {
            moveTo(ClientState.SYNCING, "gap after change " + lastProcessedChangeSeq);
        }
        syncInFlight = true;
        channel.writeAndFlush(frames.sync(channel.alloc(), nextCorrelationId++, lastProcessedChangeSeq,
            context.syncPageEntries()), channel.voidPromise());
    }

    private void pumpSends()
    {
        if (!loggedIn() || inFlightSends >= context.maxInFlightSends())
        {
            return;
        }
        if (resumeNeeded)
        {
            if (inFlightSends > 0)
            {
                return; // a later answer brings it to zero and pumps again
            }
            resumeNeeded = false;
            channel.writeAndFlush(frames.resumeSends(channel.alloc(), nextCorrelationId++), channel.voidPromise());
        }
        boolean wrote = false;
        final Iterator<PendingSend> iterator = pendingSends.values().iterator();
        while (iterator.hasNext() && inFlightSends < context.maxInFlightSends())
        {
            final PendingSend send = iterator.next();
            if (!send.onWire)
            {
                send.onWire = true;
                inFlightSends++;
                channel.write(frames.send(channel.alloc(), send.clientMsgId, send.conversationId, send.toUserId,
                    send.contentType, send.payload), channel.voidPromise());
                wrote = true;
            }
        }
        if (wrote)
        {
            channel.flush();
        }
    }

    private void scheduleAck()
    {
        if (!ackScheduled && loggedIn())
        {
            ackScheduled = true;
            eventLoop.schedule(() ->
            {
                ackScheduled = false;
                sendAck();
            }, context.ackDelayNs(), TimeUnit.NANOSECONDS);
        }
    }

    private void sendAck()
    {
        if (loggedIn() && lastProcessedChangeSeq > lastAckSentChangeSeq)
        {
            lastAckSentChangeSeq = lastProcessedChangeSeq;
            channel.writeAndFlush(frames.syncAck(channel.alloc(), lastProcessedChangeSeq), channel.voidPromise());
        }
    }

    private <T> CompletableFuture<T> request(final Function<Long, ByteBuf> encoder)
    {
        final CompletableFuture<T> result = new CompletableFuture<>();
        eventLoop.execute(() ->
        {
            if (!loggedIn())
            {
                result.completeExceptionally(new BanterException(ErrorCode.NOT_LOGGED_IN, "not connected: " + state));
                return;
            }
            final long correlationId = nextCorrelationId++;
            requests.put(correlationId, new PendingRequest<>(result));
            channel.writeAndFlush(encoder.apply(correlationId), channel.voidPromise());
        });
        return result;
    }

    @SuppressWarnings("unchecked")
    private <T> void complete(final long correlationId, final T value)
    {
        final PendingRequest<T> request = (PendingRequest<T>)requests.remove(correlationId);
        if (null != request)
        {
            request.result.complete(value);
        }
    }

    private void fail(final long correlationId, final Throwable cause)
    {
        final PendingRequest<?> request = requests.remove(correlationId);
        if (null != request)
        {
            request.result.completeExceptionally(cause);
        }
    }

    private void failAll(final BanterException cause, final boolean includingSends)
    {
        for (final PendingRequest<?> request : requests.values())
        {
            request.result.completeExceptionally(cause);
        }
        requests.clear();
        if (includingSends)
        {
            for (final PendingSend send : pendingSends.values())
            {
                send.receipt.completeExceptionally(cause);
            }
            pendingSends.clear();
        }
    }

    private static byte[] payloadOf(final MessagePushDecoder push)
    {
        final byte[] payload = new byte[push.payloadLength()];
        push.getPayload(payload, 0, payload.length);
        return payload;
    }

    private static byte[] payloadOf(final SyncBatchDecoder.EntriesDecoder entry)
    {
        final byte[] payload = new byte[entry.payloadLength()];
        entry.getPayload(payload, 0, payload.length);
        return payload;
    }

    private static final class PendingSend
    {
        final long clientMsgId;
        final long conversationId;
        final long toUserId;
        final int contentType;
        final byte[] payload;
        final CompletableFuture<SendReceipt> receipt;
        boolean onWire;

        PendingSend(
            final long clientMsgId,
            final long conversationId,
            final long toUserId,
            final int contentType,
            final byte[] payload,
            final CompletableFuture<SendReceipt> receipt)
        {
            this.clientMsgId = clientMsgId;
            this.conversationId = conversationId;
            this.toUserId = toUserId;
            this.contentType = contentType;
            this.payload = payload;
            this.receipt = receipt;
        }

        PendingSend withClientMsgId(final long newClientMsgId)
        {
            return new PendingSend(newClientMsgId, conversationId, toUserId, contentType, payload, receipt);
        }
    }

    private record PendingRequest<T>(CompletableFuture<T> result)
    {
    }

    private final class SessionHandler extends ChannelInboundHandlerAdapter
    {
        public void channelActive(final ChannelHandlerContext ctx)
        {
            onConnected(ctx.channel());
        }

        public void channelInactive(final ChannelHandlerContext ctx)
        {
            onDisconnected();
        }

        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf frame = (ByteBuf)msg;
            try
            {
                lastHeardNs = System.nanoTime();
                onFrame(frame);
            }
            finally
            {
                frame.release();
            }
        }

        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }
}
