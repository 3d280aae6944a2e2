package io.banter.perf.load;

import io.banter.codecs.ConversationChangedDecoder;
import io.banter.codecs.DoneDecoder;
import io.banter.codecs.HistoryBatchDecoder;
import io.banter.codecs.BooleanType;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.ErrorDecoder;
import io.banter.codecs.LoginResultDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessagePushDecoder;
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

import java.util.concurrent.TimeUnit;

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

    final long userId;
    private final String token;
    private final LoadStats stats;
    private final LoadFrames frames = new LoadFrames();
    private volatile Channel channel;
    private volatile boolean online;
    private long lastChangeSeq;
    private long nextClientMsgId;
    private volatile ScheduledFuture<?> heartbeat;
    private volatile long groupConversation;
    private long groupSeqSeen;
    private volatile long lastDoneConversation;
    private volatile long lastDoneSeq;
    private volatile int doneCount;

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
                current.writeAndFlush(frames.history(current.alloc(), conversationId, 1), current.voidPromise());
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
        current.writeAndFlush(senderFrames.send(current.alloc(), nextClientMsgId++, toUserId, dueNs, messageNumber),
            current.voidPromise());
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

    public void channelActive(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
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
                    stats.groupRequests.increment();
                    ctx.writeAndFlush(frames.history(ctx.alloc(), conversationId,
                        (int)Math.min(256, headSeq - groupSeqSeen)), ctx.voidPromise());
                }
                break;
            }
            case HistoryBatchDecoder.TEMPLATE_ID:
            {
                final HistoryBatchDecoder batch = d.history.wrap(d.buffer, offset, blockLength, version);
                final long conversationId = batch.conversationId();
                stats.historyBatches.increment();
                final long nowNs = System.nanoTime();
                long newest = groupSeqSeen;
                for (final HistoryBatchDecoder.MessagesDecoder message : batch.messages())
                {
                    final long seq = message.seq();
                    final int contentType = message.contentType();
                    message.wrapPayload(d.payload);
                    if (conversationId == groupConversation && seq > groupSeqSeen && LOAD_CONTENT_TYPE == contentType &&
                        d.payload.capacity() >= 16)
                    {
                        stats.onDelivered(d.payload.getLong(0), d.payload.getLong(8), nowNs);
                    }
                    newest = Math.max(newest, seq);
                }
                if (conversationId == groupConversation)
                {
                    groupSeqSeen = newest;
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
                break;
            case SendRejectedDecoder.TEMPLATE_ID:
                stats.rejected.increment();
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
                onSyncBatch(ctx, d.syncBatch.wrap(d.buffer, offset, blockLength, version));
                break;
            case ErrorDecoder.TEMPLATE_ID:
                stats.protocolErrors.increment();
                break;
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
        final LoginResultDecoder loginResult = new LoginResultDecoder();
        final SyncBatchDecoder syncBatch = new SyncBatchDecoder();
        final ConversationChangedDecoder changed = new ConversationChangedDecoder();
        final HistoryBatchDecoder history = new HistoryBatchDecoder();
        final DoneDecoder done = new DoneDecoder();
    }
}
