package io.banter.perf.load;

import io.banter.codecs.ConversationChangedDecoder;
import io.banter.codecs.DoneDecoder;
import io.banter.codecs.HistoryBatchDecoder;
import io.banter.codecs.HistoryDecoder;
import io.banter.codecs.BooleanType;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.ErrorDecoder;
import io.banter.codecs.LoginResultDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessagePushDecoder;
import io.banter.codecs.ReadStateDecoder;
import io.banter.codecs.SendAckDecoder;
import io.banter.codecs.SendRejectedDecoder;
import io.banter.codecs.SyncBatchDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated device over its own TCP connection, speaking the client protocol directly (the
 * SDK keeps a megabyte of buffers per client; ten thousand of these share one per thread). It
 * logs in, syncs from the last change it saw, then counts acks and measures each push's latency
 * from the intended send time carried in the payload.
 * <p>
 * Sharable only in the sense that a reconnect adds it to the next channel: the device has one
 * channel at a time, and events of a channel it has left are ignored.
 */
@ChannelHandler.Sharable
final class LoadConnection extends ChannelInboundHandlerAdapter
{
    private static final FastThreadLocal<Decoders> DECODERS = new FastThreadLocal<>()
    {
        protected Decoders initialValue()
        {
            return new Decoders();
        }
    };
    private static final long HEARTBEAT_INTERVAL_S = 5;
    /** The content type of the harness's own messages; anything else (group notices) is not measured. */
    private static final int LOAD_CONTENT_TYPE = 0;
    private static final int PULL_PAGE = 256;
    private static final int MIXED_HISTORY_PAGE = 20;
    private static final long BUSY_RETRY_MIN_US = 1_000;
    private static final long BUSY_RETRY_MAX_US = 20_000;

    final long userId;
    private final String token;
    private final LoadStats stats;
    private final LoadFrames frames = new LoadFrames();
    private volatile Channel channel;
    private volatile boolean online;
    private volatile long lastChangeSeq;
    private long nextClientMsgId;
    private volatile ScheduledFuture<?> heartbeat;
    private volatile long groupConversation;
    private long groupSeqSeen;
    private long toldHeadSeq;
    /** A gap being filled: messages above the floor and below the ceiling are still to be counted. */
    private long gapFloor;
    private long gapCeiling;
    private volatile long lastDoneConversation;
    private volatile long lastDoneSeq;
    private volatile int doneCount;
    /** The newest message pushed to this device, which the mixed scenario reads and pages back from. */
    private volatile long lastPushConversation;
    private volatile long lastPushSeq;
    /**
     * Sends written (the generator's thread) and answered (this connection's event loop). After a
     * send refused BUSY the gateway refuses this connection's later sends until ResumeSends, which
     * may follow only once every earlier send is answered: the harness then resumes, as the SDK does
     * (it does not resend: a refused send is counted as an error). Without this one refusal used
     * to refuse every later send of the connection, and a long run's errors grew without end.
     */
    private final AtomicLong sendsWritten = new AtomicLong();
    private long sendsAnswered;
    private boolean resumeWanted;

    LoadConnection(final long userId, final String token, final LoadStats stats, final long firstClientMsgId)
    {
        this.userId = userId;
        this.token = token;
        this.stats = stats;
        this.nextClientMsgId = firstClientMsgId;
    }

    boolean isOnline()
    {
        return online;
    }

    /**
     * From now on count this group's messages, pulling a super group's when told of news; the
     * messages up to {@code seenSeq} (setup notices) are not counted.
     */
    void followGroup(final long conversationId, final long seenSeq)
    {
        final Channel current = channel;
        if (null != current)
        {
            current.eventLoop().execute(() ->
            {
                groupSeqSeen = seenSeq;
                groupConversation = conversationId;
                // A pull now clears any "told" mark left from the setup's notices.
                current.writeAndFlush(
                    frames.history(current.alloc(), LoadFrames.PULL_NEWEST, conversationId, 0, 1), current.voidPromise());
            });
        }
    }

    long lastDoneConversation()
    {
        return lastDoneConversation;
    }

    long lastDoneSeq()
    {
        return lastDoneSeq;
    }

    int doneCount()
    {
        return doneCount;
    }

    /**
     * Write a request built by the caller (group setup), from the generator's thread.
     */
    void request(final java.util.function.Function<ByteBufAllocator, ByteBuf> frame)
    {
        final Channel current = channel;
        if (null != current)
        {
            current.writeAndFlush(frame.apply(current.alloc()), current.voidPromise());
        }
    }

    /**
     * Send one message into a group, from the load generator's scheduling thread.
     */
    void sendToGroup(final LoadFrames senderFrames, final long conversationId, final long dueNs, final long messageNumber)
    {
        final Channel current = channel;
        if (!online || null == current)
        {
            stats.notConnected.increment();
            return;
        }
        stats.sent.increment();
        sendsWritten.incrementAndGet();
        current.writeAndFlush(senderFrames.groupSend(current.alloc(), nextClientMsgId++, conversationId, dueNs,
            messageNumber), current.voidPromise());
    }

    /**
     * Send one message, from the load generator's scheduling thread (the only caller).
     */
    void send(final LoadFrames senderFrames, final long toUserId, final long dueNs, final long messageNumber)
    {
        final Channel current = channel;
        if (!online || null == current)
        {
            stats.notConnected.increment();
            return;
        }
        stats.sent.increment();
        sendsWritten.incrementAndGet();
        current.writeAndFlush(senderFrames.send(current.alloc(), nextClientMsgId++, toUserId, dueNs, messageNumber),
            current.voidPromise());
    }

    /**
     * A mixed-scenario request, from the load generator's scheduling thread: mark the newest
     * message pushed here read, sync from the last change seen, or page the history of that
     * conversation. False when there is nothing to ask about yet or the device is offline.
     */
    boolean mixedRequest(final LoadFrames senderFrames, final int kind, final long dueNs, final int hotPerConversation)
    {
        final Channel current = channel;
        final long conversationId = lastPushConversation;
        if (!online || null == current || (MixedRequest.SYNC != kind && 0 == conversationId))
        {
            return false;
        }
        // Below the hot window: the newest seq seen less the conversation's hot messages and one.
        final long olderThan = lastPushSeq - hotPerConversation - 1;
        if (MixedRequest.OLDER_HISTORY == kind && olderThan < 2)
        {
            return false;
        }
        final long correlationId = MixedRequest.correlationId(kind, dueNs);
        final ByteBuf frame;
        switch (kind)
        {
            case MixedRequest.MARK_READ:
                frame = senderFrames.markRead(current.alloc(), correlationId, conversationId, lastPushSeq);
                break;
            case MixedRequest.SYNC:
                frame = senderFrames.sync(current.alloc(), correlationId, lastChangeSeq);
                break;
            case MixedRequest.OLDER_HISTORY:
                frame = senderFrames.history(current.alloc(), correlationId, conversationId, olderThan, MIXED_HISTORY_PAGE);
                break;
            default:
                frame = senderFrames.history(current.alloc(), correlationId, conversationId, 0, MIXED_HISTORY_PAGE);
                break;
        }
        current.writeAndFlush(frame, current.voidPromise());
        return true;
    }

    /**
     * Drop the connection, as a network failure would (the generator reconnects it).
     */
    void drop()
    {
        online = false;
        final ScheduledFuture<?> beat = heartbeat;
        if (null != beat)
        {
            beat.cancel(false);
        }
        final Channel current = channel;
        if (null != current)
        {
            current.close();
        }
    }

    private void onSendAnswered(final ChannelHandlerContext ctx)
    {
        sendsAnswered++;
        if (resumeWanted && sendsAnswered >= sendsWritten.get())
        {
            resumeWanted = false;
            stats.resumes.increment();
            ctx.writeAndFlush(frames.resumeSends(ctx.alloc()), ctx.voidPromise());
        }
    }

    public void channelActive(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
        // A new connection is not paused, and the old one's unanswered sends never will be answered.
        resumeWanted = false;
        sendsAnswered = sendsWritten.get();
        ctx.writeAndFlush(frames.login(ctx.alloc(), userId, 1, token), ctx.voidPromise());
        heartbeat = ctx.executor().scheduleAtFixedRate(
            () -> ctx.writeAndFlush(frames.heartbeat(ctx.alloc()), ctx.voidPromise()),
            HEARTBEAT_INTERVAL_S, HEARTBEAT_INTERVAL_S, TimeUnit.SECONDS);
    }

    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (ctx.channel() != channel)
        {
            return; // the channel this device left when it reconnected
        }
        online = false;
        if (null != heartbeat)
        {
            heartbeat.cancel(false);
        }
    }

    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        stats.protocolErrors.increment();
        ctx.close();
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf frame = (ByteBuf)msg;
        final Decoders d = DECODERS.get();
        try
        {
            final int length = frame.readableBytes();
            frame.getBytes(frame.readerIndex(), d.buffer.byteArray(), 0, length);
        }
        finally
        {
            frame.release();
        }
        final MessageHeaderDecoder header = d.header.wrap(d.buffer, 0);
        final int offset = MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (header.templateId())
        {
            case MessagePushDecoder.TEMPLATE_ID:
            {
                final MessagePushDecoder push = d.push.wrap(d.buffer, offset, blockLength, version);
                lastChangeSeq = Math.max(lastChangeSeq, push.changeSeq());
                final long conversationId = push.conversationId();
                final long seq = push.seq();
                final int contentType = push.contentType();
                push.wrapPayload(d.payload);
                lastPushConversation = conversationId;
                lastPushSeq = seq;
                if (LOAD_CONTENT_TYPE == contentType && d.payload.capacity() >= 16)
                {
                    if (conversationId == groupConversation)
                    {
                        groupSeqSeen = Math.max(groupSeqSeen, seq);
                    }
                    stats.onDelivered(d.payload.getLong(0), d.payload.getLong(8), System.nanoTime());
                }
                break;
            }
            case ConversationChangedDecoder.TEMPLATE_ID:
            {
                final ConversationChangedDecoder changed = d.changed.wrap(d.buffer, offset, blockLength, version);
                final long conversationId = changed.conversationId();
                final long headSeq = changed.headSeq();
                if (conversationId == groupConversation && headSeq > groupSeqSeen)
                {
                    // Just the news; if the head moves on before the pull is served, the page's
                    // oldest entry is above what was seen and the gap is filled going back.
                    toldHeadSeq = headSeq;
                    stats.groupRequests.increment();
                    ctx.writeAndFlush(newestPull(ctx), ctx.voidPromise());
                }
                break;
            }
            case HistoryBatchDecoder.TEMPLATE_ID:
            {
                final HistoryBatchDecoder batch = d.history.wrap(d.buffer, offset, blockLength, version);
                stats.historyBatches.increment();
                onAnswer(batch.correlationId());
                if (batch.conversationId() == groupConversation)
                {
                    onGroupPage(ctx, batch, d);
                }
                break;
            }
            case DoneDecoder.TEMPLATE_ID:
            {
                final DoneDecoder done = d.done.wrap(d.buffer, offset, blockLength, version);
                lastDoneConversation = done.conversationId();
                lastDoneSeq = done.seq();
                doneCount++;
                break;
            }
            case SendAckDecoder.TEMPLATE_ID:
                lastChangeSeq = Math.max(lastChangeSeq, d.ack.wrap(d.buffer, offset, blockLength, version).changeSeq());
                stats.acked.increment();
                onSendAnswered(ctx);
                break;
            case SendRejectedDecoder.TEMPLATE_ID:
                stats.rejected.increment();
                resumeWanted |= ErrorCode.BUSY == d.rejected.wrap(d.buffer, offset, blockLength, version).code();
                onSendAnswered(ctx);
                break;
            case LoginResultDecoder.TEMPLATE_ID:
                if (ErrorCode.NONE == d.loginResult.wrap(d.buffer, offset, blockLength, version).code())
                {
                    ctx.writeAndFlush(frames.sync(ctx.alloc(), lastChangeSeq), ctx.voidPromise());
                }
                else
                {
                    stats.loginFailures.increment();
                    ctx.close();
                }
                break;
            case SyncBatchDecoder.TEMPLATE_ID:
            {
                final SyncBatchDecoder batch = d.syncBatch.wrap(d.buffer, offset, blockLength, version);
                onAnswer(batch.correlationId());
                onSyncBatch(ctx, batch);
                break;
            }
            case ReadStateDecoder.TEMPLATE_ID:
                onAnswer(d.readState.wrap(d.buffer, offset, blockLength, version).correlationId());
                break;
            case ErrorDecoder.TEMPLATE_ID:
            {
                final ErrorDecoder error = d.error.wrap(d.buffer, offset, blockLength, version);
                if (ErrorCode.BUSY == error.code() && HistoryDecoder.TEMPLATE_ID == error.requestTemplateId() &&
                    0 != groupConversation)
                {
                    retryPull(ctx, error.correlationId());
                    break;
                }
                stats.protocolErrors.increment();
                if (null == stats.firstError)
                {
                    stats.firstError = error.code() + " to template " + error.requestTemplateId() + ": " + error.text();
                }
                break;
            }
            default:
                break;
        }
    }

    private void onSyncBatch(final ChannelHandlerContext ctx, final SyncBatchDecoder batch)
    {
        final boolean hasMore = BooleanType.TRUE == batch.hasMore();
        for (final SyncBatchDecoder.EntriesDecoder entry : batch.entries())
        {
            lastChangeSeq = Math.max(lastChangeSeq, entry.changeSeq());
            entry.skipPayload();
        }
        if (hasMore)
        {
            ctx.writeAndFlush(frames.sync(ctx.alloc(), lastChangeSeq), ctx.voidPromise());
        }
        else if (!online)
        {
            online = true;
            stats.onOnline(System.nanoTime());
        }
    }

    private void onAnswer(final long correlationId)
    {
        if (MixedRequest.isMixed(correlationId))
        {
            stats.onAnswered(MixedRequest.kind(correlationId), MixedRequest.dueNs(correlationId), System.nanoTime());
        }
    }

    private ByteBuf newestPull(final ChannelHandlerContext ctx)
    {
        return frames.history(ctx.alloc(), LoadFrames.PULL_NEWEST, groupConversation, 0,
            (int)Math.max(1, Math.min(PULL_PAGE, toldHeadSeq - groupSeqSeen)));
    }

    /**
     * A pull refused BUSY (the cluster's ingress was full: every member of a super group pulls at
     * once) is asked again after a jittered pause, as a client should; nothing was lost.
     */
    private void retryPull(final ChannelHandlerContext ctx, final long correlationId)
    {
        stats.busyRetries.increment();
        final long conversationId = groupConversation;
        final long delayUs = ThreadLocalRandom.current().nextLong(BUSY_RETRY_MIN_US, BUSY_RETRY_MAX_US);
        ctx.executor().schedule(() ->
        {
            if (LoadFrames.PULL_GAP == correlationId)
            {
                ctx.writeAndFlush(frames.history(ctx.alloc(), LoadFrames.PULL_GAP, conversationId, gapCeiling,
                    (int)Math.min(PULL_PAGE, gapCeiling - 1 - gapFloor)), ctx.voidPromise());
            }
            else
            {
                ctx.writeAndFlush(newestPull(ctx), ctx.voidPromise());
            }
        }, delayUs, TimeUnit.MICROSECONDS);
    }

    /**
     * Count the harness's messages in a page of the followed group once each. A pull returns the
     * newest page; when the head ran more than a page ahead of what this member has seen, the
     * messages in between are fetched page by page going back, so none is missed or counted twice.
     */
    private void onGroupPage(final ChannelHandlerContext ctx, final HistoryBatchDecoder batch, final Decoders d)
    {
        final boolean gapPage = LoadFrames.PULL_GAP == batch.correlationId();
        final long floor = gapPage ? gapFloor : groupSeqSeen;
        final long ceiling = gapPage ? gapCeiling : Long.MAX_VALUE;
        final long conversationId = batch.conversationId();
        final boolean hasMore = batch.hasMore() == BooleanType.TRUE;
        final long nowNs = System.nanoTime();
        long newest = floor;
        long oldest = Long.MAX_VALUE;
        for (final HistoryBatchDecoder.MessagesDecoder message : batch.messages())
        {
            final long seq = message.seq();
            final int contentType = message.contentType();
            message.wrapPayload(d.payload);
            if (seq > floor && seq < ceiling && LOAD_CONTENT_TYPE == contentType && d.payload.capacity() >= 16)
            {
                stats.onDelivered(d.payload.getLong(0), d.payload.getLong(8), nowNs);
            }
            newest = Math.max(newest, seq);
            oldest = Math.min(oldest, seq);
        }
        if (!gapPage)
        {
            groupSeqSeen = Math.max(groupSeqSeen, newest);
        }
        if (hasMore && oldest != Long.MAX_VALUE && oldest > floor + 1)
        {
            gapFloor = floor;
            gapCeiling = oldest;
            stats.groupRequests.increment();
            ctx.writeAndFlush(frames.history(ctx.alloc(), LoadFrames.PULL_GAP, conversationId, oldest,
                (int)Math.min(PULL_PAGE, oldest - 1 - floor)), ctx.voidPromise());
        }
    }

    /**
     * Decoders and a frame buffer per event-loop thread, shared by its connections.
     */
    private static final class Decoders
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
        final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final MessagePushDecoder push = new MessagePushDecoder();
        final SendAckDecoder ack = new SendAckDecoder();
        final SendRejectedDecoder rejected = new SendRejectedDecoder();
        final LoginResultDecoder loginResult = new LoginResultDecoder();
        final SyncBatchDecoder syncBatch = new SyncBatchDecoder();
        final ConversationChangedDecoder changed = new ConversationChangedDecoder();
        final HistoryBatchDecoder history = new HistoryBatchDecoder();
        final ErrorDecoder error = new ErrorDecoder();
        final ReadStateDecoder readState = new ReadStateDecoder();
        final DoneDecoder done = new DoneDecoder();
    }
}
