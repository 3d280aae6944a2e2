package io.banter.replica.drill;

import java.util.concurrent.locks.LockSupport;

/**
 * A fixed send schedule: message k is due at start + k / rate, whatever happened to the ones
 * before it. Load that follows it is open loop, so a stalled server cannot slow the offered load
 * down and hide its stall (coordinated omission); latency is measured from the due time.
 */
public final class OpenLoopSchedule
{
    private final long startNs;
    private final double intervalNs;

    public OpenLoopSchedule(final long startNs, final double ratePerSecond)
    {
        this.startNs = startNs;
        this.intervalNs = 1e9 / ratePerSecond;
    }

    /**
     * Wait until message {@code k} is due (at once if it is late).
     *
     * @return the time it was due, in {@link System#nanoTime()} terms.
     */
    public long awaitDue(final long k)
    {
        final long dueNs = dueNs(k);
        long waitNs;
        while ((waitNs = dueNs - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(waitNs);
        }
        return dueNs;
    }

    /**
     * When message {@code k} is due, in {@link System#nanoTime()} terms.
     */
    public long dueNs(final long k)
    {
        return startNs + (long)(k * intervalNs);
    }

    public long startNs()
    {
        return startNs;
    }
}
