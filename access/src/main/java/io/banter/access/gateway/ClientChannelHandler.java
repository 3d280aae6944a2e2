package io.banter.access.gateway;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.banter.access.framing.FrameListener;
import io.banter.codecs.AddMembersDecoder;
import io.banter.codecs.BlockDecoder;
import io.banter.codecs.ConversationsQueryDecoder;
import io.banter.codecs.CreateGroupDecoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.FriendRequestDecoder;
import io.banter.codecs.FriendRespondDecoder;
import io.banter.codecs.GroupInfoQueryDecoder;
import io.banter.codecs.HeartbeatDecoder;
import io.banter.codecs.HistoryDecoder;
import io.banter.codecs.LeaveGroupDecoder;
import io.banter.codecs.ListConversationsDecoder;
import io.banter.codecs.LoginDecoder;
import io.banter.codecs.LogoutDecoder;
import io.banter.codecs.LookupUserDecoder;
import io.banter.codecs.MarkReadDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.PresenceQueryDecoder;
import io.banter.codecs.RecallDecoder;
import io.banter.codecs.ReceiptQueryDecoder;
import io.banter.codecs.RelationsQueryDecoder;
import io.banter.codecs.RemoveFriendDecoder;
import io.banter.codecs.RemoveMemberDecoder;
import io.banter.codecs.ResumeSendsDecoder;
import io.banter.codecs.SendDecoder;
import io.banter.codecs.SetRoleDecoder;
import io.banter.codecs.SubscribePresenceDecoder;
import io.banter.codecs.SyncAckDecoder;
import io.banter.codecs.SyncDecoder;
import io.banter.codecs.UpdateGroupDecoder;
import io.banter.codecs.validation.EnumDomain;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection on a Netty thread. It answers heartbeats itself, checks login tokens
 * itself (a bad token never reaches the log), refuses anything that is not a client request,
 * and hands the rest to the cluster-client agent through the inbound ring. A full ring is
 * answered with BUSY at once; nothing waits.
 * <p>
 * A send refused BUSY pauses the connection's sends: every later one is refused BUSY too until
 * the client says {@code ResumeSends}, so a retried send can never be applied behind a message
 * the device sent after it.
 * <p>
 * What one client can take is bounded: it is admitted only while the gateway is under its
 * connection limits, it must present a valid token within the login timeout, every frame it
 * sends counts against its rate (its own until it logs in, then its user's, shared by all the
 * user's connections here) (past the burst its reads pause until it is back within the
 * rate, so TCP pushes back on it and nobody else waits), and every write to it, the gateway's
 * own answers included, respects its outbound high-water mark: a client that does not read is
 * closed, not buffered for.
 */
final class ClientChannelHandler extends ChannelInboundHandlerAdapter implements TimerTask, FrameListener
{
    private static final int MAX_TOKEN_LENGTH = 512;
    private static final int SBE_HEADER = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final long NO_SLOT = -1;
    /**
     * A paused sender resumes with this much of its rate free, not half its burst: what it sent
     * meanwhile then reaches the cluster in small slices, not a burst that others queue behind.
     */
    private static final long RESUME_SLACK_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int TEMPLATE_ID_OFFSET = MessageHeaderDecoder.templateIdEncodingOffset();
    /**
     * What a request answered with a page costs the connection's rate, in frames.
     */
    static final int PAGE_REQUEST_COST = 16;

    private final RingBuffer<InboundEvent> ring;
    private final FastThreadLocal<NettyThreadState> threadState;
    private final Timer timer;
    private final long heartbeatTimeoutNs;
    private final long loginTimeoutNs;
    private final long frameIntervalNs;
    private final long burstToleranceNs;
    private final long resumeAheadNs;
    private final ConnectionAdmission admission;
    private final GatewayCounters counters;
    private final long connectionId;
    private final Runnable resumeReading = this::resumeReading;

    private Channel channel;
    private volatile long lastHeardNs;
    private long openedNs;
    private Timeout heartbeatTimeout;
    private boolean admitted;
    private volatile boolean authenticated;
    private boolean registered;
    /** Whether a login went to the engine: only then does the engine have anything to forget at close. */
    private boolean loginPublished;
    private boolean sendsPaused;
    private final UserRequestRates userRates;
    /** The connection's own budget until it logs in, then its user's, shared with its other connections. */
    private RequestRate rate = new RequestRate();
    private long rateUserId;
    private boolean paused;

    ClientChannelHandler(
        final RingBuffer<InboundEvent> ring,
        final FastThreadLocal<NettyThreadState> threadState,
        final Timer timer,
        final GatewayContext context,
        final ConnectionAdmission admission,
        final UserRequestRates userRates,
        final GatewayCounters counters,
        final AtomicLong connectionIds)
    {
        this.userRates = userRates;
        this.ring = ring;
        this.threadState = threadState;
        this.timer = timer;
        this.heartbeatTimeoutNs = context.heartbeatTimeoutNs();
        this.loginTimeoutNs = context.loginTimeoutNs();
        this.frameIntervalNs = Math.max(1, TimeUnit.SECONDS.toNanos(1) / context.requestsPerSecond());
        this.burstToleranceNs = frameIntervalNs * context.requestBurst();
        this.resumeAheadNs = burstToleranceNs - Math.min(burstToleranceNs / 2, RESUME_SLACK_NS);
        this.admission = admission;
        this.counters = counters;
        this.connectionId = connectionIds.incrementAndGet();
    }

    public void channelActive(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
        lastHeardNs = System.nanoTime();
        openedNs = lastHeardNs;
        final String refusal = admission.tryAdmit();
        if (null != refusal)
        {
            counters.refusedConnections.increment();
            final NettyThreadState state = threadState.get();
            ctx.writeAndFlush(state.frames.error(ctx.alloc(), 0, ErrorCode.BUSY, 0, refusal))
                .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        admitted = true;
        final long sequence = claimSlot();
        if (NO_SLOT == sequence)
        {
            ctx.close();
            return;
        }
        final InboundEvent event = ring.get(sequence);
        event.type = InboundEvent.CONNECTION_OPENED;
        event.connectionId = connectionId;
        event.channel = channel;
        ring.publish(sequence);
        registered = true;
        counters.connectionsOpened.increment();
        heartbeatTimeout = timer.newTimeout(this, Math.min(heartbeatTimeoutNs, loginTimeoutNs), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (null != heartbeatTimeout)
        {
            heartbeatTimeout.cancel();
        }
        if (admitted)
        {
            admitted = false;
            admission.left(authenticated);
        }
        if (0 != rateUserId)
        {
            userRates.release(rateUserId, rate, System.nanoTime());
            rateUserId = 0;
        }
        if (registered)
        {
            registered = false;
            counters.connectionsClosed.increment();
            // The engine must learn of every close, or the device stays online forever: claim
            // a slot even if that means waiting for the agent to drain the ring.
            final long sequence = ring.next();
            final InboundEvent event = ring.get(sequence);
            event.type = InboundEvent.CONNECTION_CLOSED;
            event.connectionId = connectionId;
            event.channel = null;
            event.engineKnows = loginPublished;
            ring.publish(sequence);
        }
        ctx.fireChannelInactive();
    }

    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof DecoderException)
        {
            counters.malformedFrames.increment();
        }
        ctx.close();
    }

    /**
     * Heartbeat and login check on the timer wheel: close if silent too long or not logged in
     * in time, otherwise look again when the connection would next be overdue.
     */
    public void run(final Timeout timeout)
    {
        if (!channel.isActive())
        {
            return;
        }
        final long nowNs = System.nanoTime();
        final long silentNs = nowNs - lastHeardNs;
        if (silentNs >= heartbeatTimeoutNs)
        {
            counters.heartbeatTimeouts.increment();
            channel.close();
            return;
        }
        long nextCheckNs = heartbeatTimeoutNs - silentNs;
        if (!authenticated)
        {
            final long unauthenticatedNs = nowNs - openedNs;
            if (unauthenticatedNs >= loginTimeoutNs)
            {
                counters.loginTimeouts.increment();
                channel.close();
                return;
            }
            nextCheckNs = Math.min(nextCheckNs, loginTimeoutNs - unauthenticatedNs);
        }
        heartbeatTimeout = timer.newTimeout(this, nextCheckNs, TimeUnit.NANOSECONDS);
    }

    /**
     * A frame as its own buffer (a decoder without a listener, or a test writing frames).
     */
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf frame = (ByteBuf)msg;
        try
        {
            if (admitted && channel.isActive())
            {
                lastHeardNs = System.nanoTime();
                onMessage(ctx, frame, frame.readerIndex(), frame.readableBytes());
            }
        }
        finally
        {
            frame.release();
        }
    }

    /**
     * A frame in place in the decoder's buffer: the gateway's path, no object per frame.
     */
    public boolean onFrame(final ChannelHandlerContext ctx, final ByteBuf buffer, final int index, final int length)
    {
        if (!admitted || !channel.isActive())
        {
            // Refused or already closed (e.g. as a slow consumer by an earlier frame of this read).
            return true;
        }
        final long nowNs = System.nanoTime();
        if (!withinRate(nowNs, cost(buffer.getUnsignedShortLE(index + TEMPLATE_ID_OFFSET))))
        {
            return false;
        }
        lastHeardNs = nowNs;
        onMessage(ctx, buffer, index, length);
        return true;
    }

    private void onMessage(final ChannelHandlerContext ctx, final ByteBuf buffer, final int index, final int length)
    {
        final NettyThreadState state = threadState.get();
        buffer.getBytes(index, state.scratch.byteArray(), 0, length);
        final MessageHeaderDecoder header = state.headerDecoder.wrap(state.scratch, 0);
        final int templateId = header.templateId();
        final int blockLength = header.blockLength();
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            reply(ctx, state.frames.error(ctx.alloc(), 0, ErrorCode.UNSUPPORTED_VERSION, templateId,
                "unknown schema id " + header.schemaId()));
            return;
        }

        switch (templateId)
        {
            case HeartbeatDecoder.TEMPLATE_ID:
                if (blockLength < HeartbeatDecoder.BLOCK_LENGTH || length < SBE_HEADER + blockLength)
                {
                    malformed(ctx, state, templateId);
                    return;
                }
                reply(ctx, state.frames.heartbeat(ctx.alloc(), state.scratch.getLong(SBE_HEADER)));
                return;

            case LoginDecoder.TEMPLATE_ID:
                onLogin(ctx, state, length, blockLength, header.version());
                return;

            case ResumeSendsDecoder.TEMPLATE_ID:
                if (blockLength < ResumeSendsDecoder.BLOCK_LENGTH || length < SBE_HEADER + blockLength)
                {
                    malformed(ctx, state, templateId);
                    return;
                }
                onResumeSends();
                return;

            case SendDecoder.TEMPLATE_ID:
            case SyncDecoder.TEMPLATE_ID:
            case SyncAckDecoder.TEMPLATE_ID:
            case HistoryDecoder.TEMPLATE_ID:
            case LogoutDecoder.TEMPLATE_ID:
            case PresenceQueryDecoder.TEMPLATE_ID:
            case ListConversationsDecoder.TEMPLATE_ID:
            case LookupUserDecoder.TEMPLATE_ID:
            case ConversationsQueryDecoder.TEMPLATE_ID:
            case MarkReadDecoder.TEMPLATE_ID:
            case ReceiptQueryDecoder.TEMPLATE_ID:
            case RecallDecoder.TEMPLATE_ID:
            case CreateGroupDecoder.TEMPLATE_ID:
            case AddMembersDecoder.TEMPLATE_ID:
            case RemoveMemberDecoder.TEMPLATE_ID:
            case LeaveGroupDecoder.TEMPLATE_ID:
            case SetRoleDecoder.TEMPLATE_ID:
            case UpdateGroupDecoder.TEMPLATE_ID:
            case GroupInfoQueryDecoder.TEMPLATE_ID:
            case FriendRequestDecoder.TEMPLATE_ID:
            case FriendRespondDecoder.TEMPLATE_ID:
            case RemoveFriendDecoder.TEMPLATE_ID:
            case BlockDecoder.TEMPLATE_ID:
            case RelationsQueryDecoder.TEMPLATE_ID:
            case SubscribePresenceDecoder.TEMPLATE_ID:
                // The engine validates the body; the gateway only needs the ids to answer BUSY.
                onRequest(ctx, state, templateId, length);
                return;

            default:
                reply(ctx, state.frames.error(ctx.alloc(), 0, ErrorCode.UNKNOWN_TEMPLATE, templateId,
                    "template " + templateId + " is not a client request"));
        }
    }

    private void onLogin(
        final ChannelHandlerContext ctx,
        final NettyThreadState state,
        final int length,
        final int blockLength,
        final int version)
    {
        final int varOffset = SBE_HEADER + blockLength;
        if (blockLength < LoginDecoder.BLOCK_LENGTH || length < varOffset + 2 ||
            length < varOffset + 2 + state.scratch.getShort(varOffset) ||
            (state.scratch.getShort(varOffset) & 0xFFFF) > MAX_TOKEN_LENGTH)
        {
            malformed(ctx, state, LoginDecoder.TEMPLATE_ID);
            return;
        }
        final LoginDecoder login = state.loginDecoder.wrap(state.scratch, SBE_HEADER, blockLength, version);
        final long correlationId = login.correlationId();
        final long userId = login.userId();
        final long deviceId = login.deviceId();
        final short platform = login.platformRaw();
        final String token = login.token();
        if (!EnumDomain.PLATFORM.isDefined(platform))
        {
            reply(ctx, state.frames.loginRefused(ctx.alloc(), correlationId, ErrorCode.MALFORMED, userId, deviceId,
                EnumDomain.PLATFORM.refusal("platform", platform)));
            return;
        }
        if (0 == deviceId || 0 == userId)
        {
            reply(ctx, state.frames.loginRefused(ctx.alloc(), correlationId, ErrorCode.MALFORMED, userId, deviceId,
                "userId and deviceId are required"));
            return;
        }
        final ErrorCode verdict = state.tokenAuthority.verify(token, userId, System.currentTimeMillis());
        if (ErrorCode.NONE != verdict)
        {
            counters.refusedLogins.increment();
            reply(ctx, state.frames.loginRefused(ctx.alloc(), correlationId, verdict, userId, deviceId,
                ErrorCode.TOKEN_EXPIRED == verdict ? "the token has expired" : "the token does not verify for this user"));
            return;
        }
        if (!authenticated)
        {
            authenticated = true;
            admission.authenticated();
            rate = userRates.acquire(userId);
            rateUserId = userId;
        }

        final long sequence = claimSlot();
        if (NO_SLOT == sequence)
        {
            reply(ctx, state.frames.loginRefused(ctx.alloc(), correlationId, ErrorCode.BUSY, userId, deviceId,
                "the gateway is busy; retry"));
            return;
        }
        final InboundEvent event = ring.get(sequence);
        loginPublished = true;
        event.type = InboundEvent.DEVICE_LOGIN;
        event.connectionId = connectionId;
        event.channel = channel;
        event.correlationId = correlationId;
        event.userId = userId;
        event.deviceId = deviceId;
        event.platform = platform;
        ring.publish(sequence);
    }

    private void onRequest(
        final ChannelHandlerContext ctx, final NettyThreadState state, final int templateId, final int length)
    {
        // Send starts with clientMsgId then conversationId; the other requests with a correlationId.
        final long firstField = length >= SBE_HEADER + 8 ? state.scratch.getLong(SBE_HEADER) : 0;
        final long secondField = length >= SBE_HEADER + 16 ? state.scratch.getLong(SBE_HEADER + 8) : 0;
        if (!authenticated)
        {
            // Nothing a connection without a valid token asks for may cost the log an entry.
            counters.notLoggedInRefusals.increment();
            if (SendDecoder.TEMPLATE_ID == templateId)
            {
                reply(ctx, state.frames.sendRejected(ctx.alloc(), firstField, secondField, ErrorCode.NOT_LOGGED_IN,
                    "log in first"));
            }
            else
            {
                reply(ctx, state.frames.error(ctx.alloc(), SyncAckDecoder.TEMPLATE_ID == templateId ? 0 : firstField,
                    ErrorCode.NOT_LOGGED_IN, templateId, "log in first"));
            }
            return;
        }
        if (sendsPaused && SendDecoder.TEMPLATE_ID == templateId)
        {
            counters.pausedSendRefusals.increment();
            reply(ctx, state.frames.sendRejected(ctx.alloc(), firstField, secondField, ErrorCode.BUSY,
                "an earlier send was refused; send ResumeSends, then retry in order"));
            return;
        }
        final long sequence = claimSlot();
        if (NO_SLOT == sequence)
        {
            if (SendDecoder.TEMPLATE_ID == templateId)
            {
                sendsPaused = true;
                reply(ctx, state.frames.sendRejected(ctx.alloc(), firstField, secondField, ErrorCode.BUSY,
                    "the gateway is busy; retry with the same clientMsgId"));
            }
            else
            {
                final long correlationId = SyncAckDecoder.TEMPLATE_ID == templateId ? 0 : firstField;
                reply(ctx, state.frames.error(ctx.alloc(), correlationId, ErrorCode.BUSY, templateId,
                    "the gateway is busy; retry"));
            }
            return;
        }
        final InboundEvent event = ring.get(sequence);
        event.type = InboundEvent.REQUEST;
        event.connectionId = connectionId;
        event.channel = channel;
        event.requestTemplateId = templateId;
        final boolean send = SendDecoder.TEMPLATE_ID == templateId;
        event.clientMsgId = send ? firstField : 0;
        event.conversationId = send ? secondField : 0;
        event.correlationId = send || SyncAckDecoder.TEMPLATE_ID == templateId ? 0 : firstField;
        event.request.putBytes(0, state.scratch, 0, length);
        event.requestLength = length;
        ring.publish(sequence);
    }

    /**
     * The client resends in order from here: lift this connection's pause, and the agent's. If
     * the ring is full the pause stays, so the sends that follow are refused and the client
     * resumes again once they are answered.
     */
    private void onResumeSends()
    {
        final long sequence = claimSlot();
        if (NO_SLOT == sequence)
        {
            sendsPaused = true;
            return;
        }
        sendsPaused = false;
        final InboundEvent event = ring.get(sequence);
        event.type = InboundEvent.RESUME_SENDS;
        event.connectionId = connectionId;
        event.channel = channel;
        ring.publish(sequence);
    }

    /**
     * A ring slot, or {@link #NO_SLOT} when the ring is full: the caller answers BUSY at once.
     */
    private long claimSlot()
    {
        try
        {
            return ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            counters.busyRefusals.increment();
            return NO_SLOT;
        }
    }

    private void malformed(final ChannelHandlerContext ctx, final NettyThreadState state, final int templateId)
    {
        counters.malformedRequests.increment();
        reply(ctx, state.frames.error(ctx.alloc(), 0, ErrorCode.MALFORMED, templateId,
            "template " + templateId + " does not fit its frame"));
    }

    /**
     * A frame past the burst is not taken: reading pauses until half the burst is free again, and
     * the frame and whatever follows it wait in the decoder's buffer and the sender's socket, so
     * TCP pushes back on the sender and it costs the gateway nothing meanwhile.
     */
    private boolean withinRate(final long nowNs, final int cost)
    {
        if (paused)
        {
            return false;
        }
        final long waitNs = rate.tryAcquire(nowNs, frameIntervalNs * cost, burstToleranceNs, resumeAheadNs);
        if (0 != waitNs)
        {
            paused = true;
            counters.rateLimitPauses.increment();
            channel.config().setAutoRead(false);
            channel.eventLoop().schedule(resumeReading, waitNs, TimeUnit.NANOSECONDS);
            return false;
        }
        return true;
    }

    /**
     * A request answered with a page (up to hundreds of entries the engine reads and encodes)
     * costs the rate what {@link #PAGE_REQUEST_COST} frames do; everything else one.
     */
    private static int cost(final int templateId)
    {
        switch (templateId)
        {
            case SyncDecoder.TEMPLATE_ID:
            case HistoryDecoder.TEMPLATE_ID:
            case ListConversationsDecoder.TEMPLATE_ID:
            case ConversationsQueryDecoder.TEMPLATE_ID:
            case GroupInfoQueryDecoder.TEMPLATE_ID:
            case ReceiptQueryDecoder.TEMPLATE_ID:
            case RelationsQueryDecoder.TEMPLATE_ID:
                return PAGE_REQUEST_COST;
            default:
                return 1;
        }
    }

    private void resumeReading()
    {
        paused = false;
        if (channel.isActive())
        {
            channel.config().setAutoRead(true);
            // The frames left in the decoder's buffer are decoded again by an empty read.
            channel.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER);
        }
    }

    /**
     * Every answer the gateway writes itself respects the outbound bound, as deliveries do: a
     * client whose unread output passed the high-water mark is closed, not buffered for.
     */
    private void reply(final ChannelHandlerContext ctx, final ByteBuf frame)
    {
        if (SlowConsumers.closeIfOverBound(channel, counters))
        {
            frame.release();
            return;
        }
        ctx.writeAndFlush(frame, ctx.voidPromise());
    }
}
