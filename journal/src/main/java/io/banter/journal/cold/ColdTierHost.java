package io.banter.journal.cold;

import io.banter.engine.store.MessageStore;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

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
    private volatile WriteBehindMessageStore store;

    private ColdTierHost(final ColdTierContext context)
    {
        this.tier = ColdTier.open(context);
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

    private static IdleStrategy newIdleStrategy()
    {
        return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(1));
    }
}
