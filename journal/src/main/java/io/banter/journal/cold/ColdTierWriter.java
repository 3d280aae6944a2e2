package io.banter.journal.cold;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent that writes the cold tier, on its own thread: it drains the stored messages the
 * engine's thread handed over (in log order) into the {@link ColdTier}, answers the history
 * pages asked for among them (so a page sees every message stored before it), and forces to disk
 * when asked (before a snapshot) or every {@code flushIntervalNs}, publishing how far the
 * handed-over stream is durable.
 */
public final class ColdTierWriter implements Agent, MessageHandler
{
    static final int APPEND = 1;
    static final int REPLACE = 2;
    static final int HISTORY_PAGE = 3;
    private static final int MAX_MESSAGES_PER_DUTY_CYCLE = 1024;

    private final ColdTier tier;
    private final OneToOneRingBuffer ring;
    private final AtomicLong durablePosition = new AtomicLong();
    private final AtomicLong requestedPosition = new AtomicLong();
    private final long flushIntervalNs;
    private long lastFlushNs;
    private final AtomicLong writeErrors = new AtomicLong();
    private volatile String lastWriteError;
    private volatile boolean closed;
    private boolean unflushed;
    private volatile ColdHistoryPages historyPages;

    /**
     * @param flushIntervalNs how often to force to disk when nobody asks for it.
     */
    public ColdTierWriter(final ColdTier tier, final OneToOneRingBuffer ring, final long flushIntervalNs)
    {
        this.tier = tier;
        this.ring = ring;
        this.flushIntervalNs = flushIntervalNs;
    }

    public String roleName()
    {
        return "banter-cold-tier-writer";
    }

    public int doWork()
    {
        // Read before draining: everything up to here is on disk once this cycle has flushed.
        final long handedOver = ring.producerPosition();
        final int read = ring.read(this, MAX_MESSAGES_PER_DUTY_CYCLE);
        if (read > 0)
        {
            unflushed = true;
            return read;
        }
        // Caught up. Forcing is for snapshots (the log re-delivers anything newer after a crash),
        // so force when one waits, and otherwise only now and then: a force per message would
        // cost the disk and the two cores for nothing.
        final long nowNs = System.nanoTime();
        final boolean requested = requestedPosition.get() > durablePosition.get();
        if (!requested && nowNs - lastFlushNs < flushIntervalNs)
        {
            return 0;
        }
        lastFlushNs = nowNs;
        if (unflushed)
        {
            tier.flush();
            unflushed = false;
        }
        if (ring.consumerPosition() >= handedOver && durablePosition.get() < handedOver)
        {
            durablePosition.set(handedOver);
            return 1;
        }
        return 0;
    }

    /**
     * Who answers history page requests handed over with the messages.
     */
    void historyPages(final ColdHistoryPages historyPages)
    {
        this.historyPages = historyPages;
    }

    /**
     * Ask for everything handed over up to {@code position} to be forced to disk soon.
     */
    public void requestDurable(final long position)
    {
        requestedPosition.accumulateAndGet(position, Math::max);
    }

    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        try
        {
            if (REPLACE == msgTypeId)
            {
                tier.replace(buffer, index, length);
            }
            else if (HISTORY_PAGE == msgTypeId)
            {
                historyPages.onRequest(buffer, index);
            }
            else
            {
                tier.append(buffer, index, length);
            }
        }
        catch (final RuntimeException ex)
        {
            // The record is missing from the cold tier (the log still has it); counted and told,
            // and the writer goes on with the next.
            writeErrors.incrementAndGet();
            lastWriteError = ex.toString();
        }
    }

    /**
     * Records the tier refused or failed to write (a disk error, something not a stored message).
     */
    public long writeErrors()
    {
        return writeErrors.get();
    }

    /**
     * The last of {@link #writeErrors()}, or null.
     */
    public String lastWriteError()
    {
        return lastWriteError;
    }

    /**
     * True once the writer's thread has stopped: nothing handed over becomes durable any more.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * How far into the ring's stream everything is forced to disk.
     */
    public long durablePosition()
    {
        return durablePosition.get();
    }

    public void onClose()
    {
        // Whatever is still handed over is written and forced before the tier closes.
        while (ring.read(this) > 0)
        {
            unflushed = true;
        }
        tier.close();
        durablePosition.set(ring.consumerPosition());
        closed = true;
    }
}
