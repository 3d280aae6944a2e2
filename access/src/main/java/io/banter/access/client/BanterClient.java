package io.banter.access.client;

import io.banter.access.framing.SofhFrameDecoder;
import io.banter.codecs.BooleanType;
import io.banter.codecs.ChangeKind;
import io.banter.codecs.ConversationChangedDecoder;
import io.banter.codecs.ConversationKind;
import io.banter.codecs.ConversationListDecoder;
import io.banter.codecs.ConversationsPageDecoder;
import io.banter.codecs.DoneDecoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.ErrorDecoder;
import io.banter.codecs.GroupInfoDecoder;
import io.banter.codecs.GroupRole;
import io.banter.codecs.HeartbeatDecoder;
import io.banter.codecs.HistoryBatchDecoder;
import io.banter.codecs.KickedDecoder;
import io.banter.codecs.LeaderChangedDecoder;
import io.banter.codecs.LoginResultDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessagePushDecoder;
import io.banter.codecs.MessageRecalledDecoder;
import io.banter.codecs.Platform;
import io.banter.codecs.PresenceChangedDecoder;
import io.banter.codecs.PresenceStateDecoder;
import io.banter.codecs.ReadReceiptDecoder;
import io.banter.codecs.ReadStateDecoder;
import io.banter.codecs.ReceiptPageDecoder;
import io.banter.codecs.RelationChangedDecoder;
import io.banter.codecs.RelationList;
import io.banter.codecs.RelationsPageDecoder;
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
import java.util.Locale;
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
    /** A refused sync is asked again after 20–40 ms. */
    private static final long SYNC_RETRY_MIN_MS = 20;

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
    private final Map<Long, Long> deliveredSeq = new HashMap<>();
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
    private long syncCorrelationId;
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
        final BanterException unsendable = checkSendable(payload.length);
        if (null != unsendable)
        {
            // Refused here, never queued: the server would refuse it every time it was resent.
            receipt.completeExceptionally(unsendable);
            return receipt;
        }
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
     * Why the server can never take a send of {@code payloadLength} bytes, or null if it may:
     * the engine refuses a payload over its maximum, and the gateway closes the connection on a
     * frame over its own, which the send's resend after the reconnect would do again, forever.
     */
    private BanterException checkSendable(final int payloadLength)
    {
        if (payloadLength > context.maxPayloadLength())
        {
            return new BanterException(ErrorCode.PAYLOAD_TOO_LARGE, "payload of " + payloadLength +
                " bytes exceeds the maximum of " + context.maxPayloadLength() + " bytes");
        }
        final int frameLength = ClientFrames.sendFrameLength(payloadLength);
        if (frameLength > context.maxFrameLength())
        {
            return tooLargeFrame(frameLength);
        }
        return null;
    }

    private BanterException tooLargeFrame(final int frameLength)
    {
        return new BanterException(ErrorCode.PAYLOAD_TOO_LARGE, "request of " + frameLength +
            " bytes exceeds the gateway's maximum frame of " + context.maxFrameLength() + " bytes");
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
     * The inbox: conversations by latest activity, newest first, strictly before
     * {@code beforeActivity} (0: from the newest; pass the last entry's activity to page on).
     */
    public CompletableFuture<InboxPage> inbox(final long beforeActivity, final int maxEntries)
    {
        return request(correlationId -> frames.conversationsByActivity(channel.alloc(), correlationId, beforeActivity,
            Math.min(maxEntries, MAX_PAGE_ENTRIES)));
    }

    /**
     * Move this user's read position in a conversation forward to {@code seq}; every device of
     * the user sees the new unread counts, and in small conversations the senders are told.
     */
    public CompletableFuture<ReadState> markRead(final long conversationId, final long seq)
    {
        return request(correlationId -> frames.markRead(channel.alloc(), correlationId, conversationId, seq));
    }

    /**
     * Who has ({@code readers}) or has not read the message at {@code seq}, paged by user id.
     */
    public CompletableFuture<ReceiptPage> receipts(
        final long conversationId, final long seq, final boolean readers, final long afterUserId, final int maxEntries)
    {
        return request(correlationId -> frames.receipts(channel.alloc(), correlationId, conversationId, seq, readers,
            afterUserId, maxEntries));
    }

    /**
     * Replace a message by a tombstone for everyone.
     */
    public CompletableFuture<Done> recall(final long conversationId, final long seq)
    {
        return request(correlationId -> frames.recall(channel.alloc(), correlationId, conversationId, seq));
    }

    /**
     * Create a group with this user as owner; {@link Done#conversationId()} is the new group.
     */
    public CompletableFuture<Done> createGroup(final String name, final boolean membersCanInvite, final long... members)
    {
        return request(correlationId -> frames.createGroup(channel.alloc(), correlationId, name, membersCanInvite,
            members));
    }

    public CompletableFuture<Done> addMembers(final long conversationId, final long... members)
    {
        return request(correlationId -> frames.addMembers(channel.alloc(), correlationId, conversationId, members));
    }

    public CompletableFuture<Done> removeMember(final long conversationId, final long userId)
    {
        return request(correlationId -> frames.removeMember(channel.alloc(), correlationId, conversationId, userId));
    }

    public CompletableFuture<Done> leaveGroup(final long conversationId)
    {
        return request(correlationId -> frames.leaveGroup(channel.alloc(), correlationId, conversationId));
    }

    /**
     * Owner only; {@code OWNER} hands ownership over and makes this user an admin.
     */
    public CompletableFuture<Done> setRole(final long conversationId, final long userId, final GroupRole role)
    {
        return request(correlationId -> frames.setRole(channel.alloc(), correlationId, conversationId, userId, role));
    }

    /**
     * Rename ({@code name} empty keeps it) and set whether members may invite.
     */
    public CompletableFuture<Done> updateGroup(final long conversationId, final boolean membersCanInvite, final String name)
    {
        return request(correlationId -> frames.updateGroup(channel.alloc(), correlationId, conversationId,
            membersCanInvite, name));
    }

    public CompletableFuture<GroupInfo> groupInfo(final long conversationId, final long afterUserId, final int maxEntries)
    {
        return request(correlationId -> frames.groupInfo(channel.alloc(), correlationId, conversationId, afterUserId,
            maxEntries));
    }

    /**
     * Ask to be friends; the other user learns of it even if offline. If it already asked, this accepts.
     */
    public CompletableFuture<Done> requestFriend(final long userId, final String note)
    {
        return request(correlationId -> frames.friendRequest(channel.alloc(), correlationId, userId, note));
    }

    public CompletableFuture<Done> respondToFriendRequest(final long fromUserId, final boolean accept)
    {
        return request(correlationId -> frames.friendRespond(channel.alloc(), correlationId, fromUserId, accept));
    }

    public CompletableFuture<Done> removeFriend(final long userId)
    {
        return request(correlationId -> frames.removeFriend(channel.alloc(), correlationId, userId));
    }

    /**
     * Block ({@code true}) or unblock a user: a blocked user can neither message nor befriend this one.
     */
    public CompletableFuture<Done> block(final long userId, final boolean blocked)
    {
        return request(correlationId -> frames.block(channel.alloc(), correlationId, userId, blocked));
    }

    public CompletableFuture<RelationsPage> relations(final RelationList list, final long afterUserId, final int maxEntries)
    {
        return request(correlationId -> frames.relations(channel.alloc(), correlationId, list, afterUserId, maxEntries));
    }

    /**
     * Be told (through {@link MessageListener#onPresence}) when {@code userId} comes online or goes
     * offline, for this session; the future has its presence now.
     */
    public CompletableFuture<Presence> subscribePresence(final long userId, final boolean subscribe)
    {
        return request(correlationId -> frames.subscribePresence(channel.alloc(), correlationId, userId, subscribe));
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
                listener.onConnectFailed(endpoint, future.cause());
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
                    push.contentType(), payloadOf(push), 0);
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
            case ReadStateDecoder.TEMPLATE_ID:
                onReadState(new ReadStateDecoder().wrap(inbound, offset, blockLength, version));
                break;
            case ReadReceiptDecoder.TEMPLATE_ID:
            {
                final ReadReceiptDecoder receipt = new ReadReceiptDecoder().wrap(inbound, offset, blockLength, version);
                final long changeSeq = receipt.changeSeq();
                onChange(changeSeq, new Change(changeSeq, ChangeKind.READ, receipt.conversationId(), receipt.readSeq(),
                    receipt.readerUserId(), ""));
                break;
            }
            case MessageRecalledDecoder.TEMPLATE_ID:
            {
                final MessageRecalledDecoder recalled =
                    new MessageRecalledDecoder().wrap(inbound, offset, blockLength, version);
                final long changeSeq = recalled.changeSeq();
                final Change change = new Change(changeSeq, ChangeKind.RECALL, recalled.conversationId(),
                    recalled.seq(), recalled.byUserId(), "");
                if (0 == changeSeq)
                {
                    listener.onChange(change); // a super group's recall has no change entry
                }
                else
                {
                    onChange(changeSeq, change);
                }
                break;
            }
            case RelationChangedDecoder.TEMPLATE_ID:
            {
                final RelationChangedDecoder changed = new RelationChangedDecoder().wrap(inbound, offset, blockLength, version);
                final long changeSeq = changed.changeSeq();
                final ChangeKind kind = changed.kind();
                final long userId = changed.userId();
                onChange(changeSeq, new Change(changeSeq, kind, 0, 0, userId, changed.note()));
                break;
            }
            case PresenceChangedDecoder.TEMPLATE_ID:
            {
                final PresenceChangedDecoder changed = new PresenceChangedDecoder().wrap(inbound, offset, blockLength, version);
                listener.onPresence(new Presence(changed.userId(), BooleanType.TRUE == changed.online(),
                    changed.onlineDevices()));
                break;
            }
            case ConversationChangedDecoder.TEMPLATE_ID:
            {
                final ConversationChangedDecoder changed =
                    new ConversationChangedDecoder().wrap(inbound, offset, blockLength, version);
                pullSuperGroup(changed.conversationId(), changed.headSeq());
                break;
            }
            case DoneDecoder.TEMPLATE_ID:
            {
                final DoneDecoder done = new DoneDecoder().wrap(inbound, offset, blockLength, version);
                complete(done.correlationId(), new Done(done.conversationId(), done.userId(), done.seq()));
                break;
            }
            case ConversationsPageDecoder.TEMPLATE_ID:
                onInboxPage(new ConversationsPageDecoder().wrap(inbound, offset, blockLength, version));
                break;
            case ReceiptPageDecoder.TEMPLATE_ID:
            {
                final ReceiptPageDecoder page = new ReceiptPageDecoder().wrap(inbound, offset, blockLength, version);
                final long correlationId = page.correlationId();
                final long conversationId = page.conversationId();
                final long seq = page.seq();
                final int readCount = page.readCount();
                final int unreadCount = page.unreadCount();
                final boolean readers = BooleanType.TRUE == page.readers();
                final boolean hasMore = BooleanType.TRUE == page.hasMore();
                final List<Long> users = new ArrayList<>();
                for (final ReceiptPageDecoder.UsersDecoder user : page.users())
                {
                    users.add(user.userId());
                }
                complete(correlationId, new ReceiptPage(conversationId, seq, readCount, unreadCount, readers, hasMore,
                    users));
                break;
            }
            case GroupInfoDecoder.TEMPLATE_ID:
                onGroupInfo(new GroupInfoDecoder().wrap(inbound, offset, blockLength, version));
                break;
            case RelationsPageDecoder.TEMPLATE_ID:
            {
                final RelationsPageDecoder page = new RelationsPageDecoder().wrap(inbound, offset, blockLength, version);
                final long correlationId = page.correlationId();
                final RelationList list = page.list();
                final int total = page.total();
                final boolean hasMore = BooleanType.TRUE == page.hasMore();
                final List<RelationsPage.Relation> users = new ArrayList<>();
                for (final RelationsPageDecoder.UsersDecoder user : page.users())
                {
                    final long userId = user.userId();
                    final boolean online = BooleanType.TRUE == user.online();
                    users.add(new RelationsPage.Relation(userId, online, user.note()));
                }
                complete(correlationId, new RelationsPage(list, total, hasMore, users));
                break;
            }
            case KickedDecoder.TEMPLATE_ID:
            {
                final KickedDecoder kicked = new KickedDecoder().wrap(inbound, offset, blockLength, version);
                final ErrorCode code = kicked.code();
                final long byDeviceId = kicked.byDeviceId();
                final Platform platform = kicked.platform();
                final String reason = sessionEndReason(code, platform, byDeviceId, kicked.text());
                moveTo(ClientState.CLOSED, reason);
                failAll(new BanterException(code, reason), true);
                channel.close();
                listener.onKicked(code, reason);
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

    /**
     * Why the server ended this session, for the person using it: which login took its place.
     */
    private static String sessionEndReason(
        final ErrorCode code, final Platform platform, final long byDeviceId, final String text)
    {
        switch (code)
        {
            case KICKED_BY_POLICY:
                return "this account logged in on another " +
                    (Platform.NULL_VAL == platform ? "" : platform.name().toLowerCase(Locale.ROOT) + " ") +
                    "device (device " + byDeviceId + ")";
            case SESSION_REPLACED:
                return "this device (device " + byDeviceId + ") logged in again on another connection";
            default:
                return text;
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
                // wider than our in-flight limit) but overtaken by a later id: send it again as new,
                // once. Stale again means this client's ids are below the device's last (another
                // instance of the device, or a clock set back): counting up one by one would
                // resend it for as long as that gap is wide, so it fails.
                pendingSends.remove(clientMsgId);
                if (send.renumbered)
                {
                    send.receipt.completeExceptionally(new BanterException(code, text +
                        " (also after taking a new clientMsgId; is another instance of this device running?)"));
                    pumpSends();
                    return;
                }
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
            final ChangeKind kind = entry.kind();
            final long conversationId = entry.conversationId();
            final long seq = entry.seq();
            final long messageId = entry.messageId();
            final long senderUserId = entry.senderUserId();
            final long senderDeviceId = entry.senderDeviceId();
            final long clientMsgId = entry.clientMsgId();
            final long timestamp = entry.timestamp();
            final int contentType = entry.contentType();
            final long userId = entry.userId();
            final short flags = entry.flags();
            final byte[] payload = payloadOf(entry);
            if (ChangeKind.MESSAGE == kind)
            {
                onChange(changeSeq, new ChatMessage(changeSeq, conversationId, seq, messageId, senderUserId,
                    senderDeviceId, clientMsgId, timestamp, contentType, payload, flags));
            }
            else
            {
                onChange(changeSeq, new Change(changeSeq, kind, conversationId, seq, userId,
                    new String(payload, StandardCharsets.UTF_8)));
            }
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
     * One change of this user's stream: a {@link ChatMessage} or another {@link Change} (push or
     * sync entry) or, when {@code change} is null, the change made by one of this device's own
     * acknowledged requests.
     */
    private void onChange(final long changeSeq, final Object change)
    {
        highestSeenChangeSeq = Math.max(highestSeenChangeSeq, changeSeq);
        if (changeSeq <= lastProcessedChangeSeq)
        {
            return;
        }
        if (changeSeq != lastProcessedChangeSeq + 1)
        {
            if (null == change)
            {
                ownChangesAhead.add(changeSeq);
            }
            requestSync();
            return;
        }
        if (change instanceof ChatMessage message)
        {
            noteDelivered(message);
            if (message.senderDeviceId() == context.deviceId() && message.senderUserId() == context.userId() &&
                !message.isSystem())
            {
                onOwnMessageSeen(message);
            }
            else
            {
                listener.onMessage(message);
            }
        }
        else if (change instanceof Change other)
        {
            listener.onChange(other);
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
            final short flags = entry.flags();
            final byte[] payload = new byte[entry.payloadLength()];
            entry.getPayload(payload, 0, payload.length);
            messages.add(new ChatMessage(0, conversationId, seq, messageId, senderUserId, senderDeviceId, clientMsgId,
                timestamp, contentType, payload, flags));
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

    private void onReadState(final ReadStateDecoder decoder)
    {
        final long correlationId = decoder.correlationId();
        final ReadState readState = new ReadState(decoder.changeSeq(), decoder.conversationId(), decoder.readSeq(),
            decoder.unread(), decoder.totalUnread());
        if (0 != correlationId)
        {
            // The answer to this device's markRead; its change entry is this device's own.
            complete(correlationId, readState);
            if (0 != readState.changeSeq())
            {
                onChange(readState.changeSeq(), null);
            }
            return;
        }
        onChange(readState.changeSeq(), new Change(readState.changeSeq(), ChangeKind.READ, readState.conversationId(),
            readState.readSeq(), context.userId(), ""));
        listener.onReadState(readState);
    }

    /**
     * A super group has news: members get no change entries for it, so pull the newest page and
     * hand on the messages after what this client already delivered.
     */
    private void pullSuperGroup(final long conversationId, final long headSeq)
    {
        // A conversation not seen before: the notification is for its newest message.
        final long delivered = deliveredSeq.getOrDefault(conversationId, headSeq - 1);
        if (headSeq <= delivered || !loggedIn())
        {
            return;
        }
        deliveredSeq.put(conversationId, headSeq);
        final int wanted = (int)Math.min(MAX_PAGE_ENTRIES, headSeq - delivered);
        this.<HistoryPage>request(correlationId -> frames.history(channel.alloc(), correlationId, conversationId,
            headSeq + 1, wanted)).whenComplete((page, error) ->
            {
                if (null != error)
                {
                    // Not pulled: the next ConversationChanged (or the inbox) tells of the gap again.
                    deliveredSeq.put(conversationId, delivered);
                    return;
                }
                final List<ChatMessage> newestFirst = page.messages();
                for (int i = newestFirst.size() - 1; i >= 0; i--)
                {
                    final ChatMessage message = newestFirst.get(i);
                    if (message.seq() > delivered && !(message.senderUserId() == context.userId() &&
                        message.senderDeviceId() == context.deviceId() && !message.isSystem()))
                    {
                        listener.onMessage(message);
                    }
                }
            });
    }

    /**
     * Remember the highest seq handed on per conversation, so a super group's pull does not
     * hand on again what a push or a sync page already did.
     */
    private void noteDelivered(final ChatMessage message)
    {
        deliveredSeq.merge(message.conversationId(), message.seq(), Math::max);
    }

    private void onInboxPage(final ConversationsPageDecoder page)
    {
        final long correlationId = page.correlationId();
        final long totalUnread = page.totalUnread();
        final boolean hasMore = BooleanType.TRUE == page.hasMore();
        final List<InboxEntry> entries = new ArrayList<>();
        for (final ConversationsPageDecoder.ConversationsDecoder entry : page.conversations())
        {
            final long conversationId = entry.conversationId();
            final ConversationKind kind = entry.kind();
            final long peerUserId = entry.peerUserId();
            final boolean peerOnline = BooleanType.TRUE == entry.peerOnline();
            final int memberCount = entry.memberCount();
            final GroupRole role = entry.role();
            final long headSeq = entry.headSeq();
            final long readSeq = entry.readSeq();
            final long unread = entry.unread();
            final long activity = entry.activity();
            final long lastTimestamp = entry.lastTimestamp();
            final long lastSenderUserId = entry.lastSenderUserId();
            final int lastContentType = entry.lastContentType();
            final int lastFlags = entry.lastFlags();
            final String name = entry.name();
            final byte[] preview = new byte[entry.previewLength()];
            entry.getPreview(preview, 0, preview.length);
            entries.add(new InboxEntry(conversationId, kind, peerUserId, peerOnline, memberCount, role, headSeq, readSeq,
                unread, activity, lastTimestamp, lastSenderUserId, lastContentType, lastFlags, name, preview));
        }
        complete(correlationId, new InboxPage(totalUnread, hasMore, entries));
    }

    private void onGroupInfo(final GroupInfoDecoder info)
    {
        final long correlationId = info.correlationId();
        final long conversationId = info.conversationId();
        final long ownerUserId = info.ownerUserId();
        final int memberCount = info.memberCount();
        final boolean superGroup = BooleanType.TRUE == info.superGroup();
        final boolean membersCanInvite = BooleanType.TRUE == info.membersCanInvite();
        final long headSeq = info.headSeq();
        final boolean hasMore = BooleanType.TRUE == info.hasMore();
        final List<GroupInfo.Member> members = new ArrayList<>();
        for (final GroupInfoDecoder.MembersDecoder member : info.members())
        {
            members.add(new GroupInfo.Member(member.userId(), member.role(), member.readSeq()));
        }
        complete(correlationId, new GroupInfo(conversationId, info.name(), ownerUserId, memberCount, superGroup,
            membersCanInvite, headSeq, hasMore, members));
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
        if (syncInFlight && correlationId == syncCorrelationId)
        {
            // The sync was refused (BUSY while the gateway cannot reach a leader): without asking
            // again this device would wait for changes it never pulls.
            syncInFlight = false;
            if (ErrorCode.BUSY == code)
            {
                final Channel current = channel;
                final long delayMs = SYNC_RETRY_MIN_MS + ThreadLocalRandom.current().nextLong(SYNC_RETRY_MIN_MS);
                current.eventLoop().schedule(() ->
                {
                    if (current == channel)
                    {
                        requestSync();
                    }
                }, delayMs, TimeUnit.MILLISECONDS);
            }
            return;
        }
        if (0 != correlationId)
        {
            fail(correlationId, new BanterException(code, text, templateId));
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
        syncCorrelationId = nextCorrelationId;
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
            final ByteBuf frame;
            try
            {
                frame = encoder.apply(correlationId);
            }
            catch (final RuntimeException ex)
            {
                // A field that does not fit its encoding (a string over 64 KiB): nothing was written.
                result.completeExceptionally(new BanterException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "the request does not fit a frame: " + ex.getMessage()));
                return;
            }
            if (frame.readableBytes() > context.maxFrameLength())
            {
                // The gateway would close the connection on it, failing everything else in flight.
                final int frameLength = frame.readableBytes();
                frame.release();
                result.completeExceptionally(tooLargeFrame(frameLength));
                return;
            }
            requests.put(correlationId, new PendingRequest<>(result));
            channel.writeAndFlush(frame, channel.voidPromise());
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
        /** It was refused STALE_CLIENT_MSG_ID once and took a new id. */
        boolean renumbered;

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
            final PendingSend renumberedSend =
                new PendingSend(newClientMsgId, conversationId, toUserId, contentType, payload, receipt);
            renumberedSend.renumbered = true;
            return renumberedSend;
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
