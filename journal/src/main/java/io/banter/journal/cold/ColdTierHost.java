package io.banter.journal.cold;

import io.banter.engine.EngineContext;
import io.banter.engine.store.HistoryArchive;
import io.banter.engine.store.MessageStore;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A member's cold tier at run time: the {@link ColdTier} opened (and recovered) in its
 * directory, the ring the engine thread hands stored messages into, and the writer agent on its
 * own thread. {@link #wrap} puts it behind the engine's hot tier.
 */
public final class ColdTierHost implements AutoCloseable
{
    /** Stored messages in flight to the writer: 4 MiB, thousands of messages. */
    public static final int RING_CAPACITY = 4 * 1024 * 1024;
    /** Forced to disk at least this often; before a snapshot at once. */
    public static final long FLUSH_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final ColdTier tier;
    private final OneToOneRingBuffer ring;
    private final ColdTierWriter writer;
    private final AgentRunner runner;
    /** Cold history pages on their way to the service thread: 1 MiB, a dozen full pages. */
    public static final int REPLY_RING_CAPACITY = 1024 * 1024;

    private final ColdTierContext context;
    private final OneToOneRingBuffer replies;
    private final UnsafeBuffer request = new UnsafeBuffer(new byte[ColdHistoryPages.REQUEST_LENGTH]);
    private final ControlledMessageHandler replyHandler = this::onReply;
    private ReplySink replySink;
    private ColdHistoryPages historyPages;
    private volatile WriteBehindMessageStore store;

    private ColdTierHost(final ColdTierContext context)
    {
        this.context = context;
        this.tier = ColdTier.open(context);
        this.replies = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(REPLY_RING_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH)));
        this.ring = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(RING_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH)));
        this.writer = new ColdTierWriter(tier, ring, FLUSH_INTERVAL_NS);
        // The writer idles most of the time on two cores: back off to sleeping quickly.
        this.runner = new AgentRunner(newIdleStrategy(), Throwable::printStackTrace, null, writer);
    }

    /**
     * Open the cold tier and start its writer thread.
     */
    public static ColdTierHost start(final ColdTierContext context)
    {
        final ColdTierHost host = new ColdTierHost(context);
        AgentRunner.startOnThread(host.runner);
        return host;
    }

    /**
     * The engine's store: {@code hot} with the cold tier written behind it.
     */
    public MessageStore wrap(final MessageStore hot)
    {
        final WriteBehindMessageStore writeBehind = new WriteBehindMessageStore(hot, ring, writer, newIdleStrategy());
        store = writeBehind;
        return writeBehind;
    }

    /**
     * The engine's archive: history pages below the hot window are read from the cold tier on
     * the writer's thread and answered through {@link #pollReplies}. Call after {@link #wrap}.
     *
     * @param answering whether this member's answers reach clients (it leads); the others skip
     *                  the read, as their engine's answers go nowhere either.
     */
    public HistoryArchive historyArchive(final EngineContext engineContext, final BooleanSupplier answering)
    {
        final WriteBehindMessageStore writeBehind = store;
        if (null == writeBehind)
        {
            throw new IllegalStateException("wrap the hot tier first: requests travel with its messages");
        }
        historyPages = new ColdHistoryPages(tier, replies, engineContext, context.maxMessageBytes());
        writer.historyPages(historyPages);
        return (gatewayId, connectionId, correlationId, conversationId, beforeSeq, maxEntries, headSeq) ->
        {
            if (answering.getAsBoolean())
            {
                ColdHistoryPages.encodeRequest(
                    request, gatewayId, connectionId, correlationId, conversationId, beforeSeq, maxEntries, headSeq);
                writeBehind.handOver(ColdTierWriter.HISTORY_PAGE, request, 0, ColdHistoryPages.REQUEST_LENGTH);
            }
        };
    }

    /**
     * On the service thread: send the cold history pages answered since the last call, in order;
     * one the sink cannot take yet stays first in line for the next call.
     *
     * @return how many were sent.
     */
    public int pollReplies(final ReplySink sink)
    {
        replySink = sink;
        return replies.controlledRead(replyHandler);
    }

    /**
     * Times the engine thread waited for the writer to make room in the ring.
     */
    public long backPressuredWaits()
    {
        final WriteBehindMessageStore current = store;
        return null == current ? 0 : current.backPressuredWaits();
    }

    /**
     * Cold history answers dropped because the service thread had not taken the earlier ones.
     */
    public long droppedReplies()
    {
        final ColdHistoryPages pages = historyPages;
        return null == pages ? 0 : pages.droppedReplies();
    }

    /**
     * Before a snapshot: wait until the cold tier has on disk every message stored so far.
     */
    public void awaitDurable()
    {
        final WriteBehindMessageStore current = store;
        if (null != current)
        {
            current.awaitDurable();
        }
    }

    /**
     * What opening the tier found (torn tails, damaged records).
     */
    public ColdRecovery recovery()
    {
        return tier.recovery();
    }

    /**
     * Records the writer could not write (see {@link ColdTierWriter#writeErrors()}).
     */
    public long writeErrors()
    {
        return writer.writeErrors();
    }

    public void close()
    {
        // The writer drains the ring and closes the tier when its thread stops.
        runner.close();
        if (writer.writeErrors() > 0)
        {
            System.err.println("banter: the cold tier missed " + writer.writeErrors() + " records, last: " +
                writer.lastWriteError() + "; the log has them");
        }
    }

    private ControlledMessageHandler.Action onReply(
        final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        return replySink.offer(buffer.getLong(index), buffer, index + Long.BYTES, length - Long.BYTES) ?
            ControlledMessageHandler.Action.CONTINUE : ControlledMessageHandler.Action.ABORT;
    }

    private static IdleStrategy newIdleStrategy()
    {
        return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(1));
    }
}
