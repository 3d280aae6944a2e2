package io.banter.access.gateway;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One sender's budget as a generic cell rate algorithm: the time at which its frames would be
 * due if each took one interval. A frame that would put it more than the burst tolerance ahead
 * of now is over the rate. Shared, lock-free, by every connection of one logged-in user on a
 * gateway, so neither more connections nor reconnecting buys a client more than its rate.
 */
final class RequestRate
{
    private final AtomicLong theoreticalArrivalNs = new AtomicLong(Long.MIN_VALUE / 2);
    /** Connections using this budget; changed only under the owning map's lock. */
    int connections;

    /**
     * @return 0 if a frame costing {@code costNs} is within the rate and counted, otherwise how
     * long to wait until {@code resumeAheadNs} of the tolerance is free again.
     */
    long tryAcquire(final long nowNs, final long costNs, final long toleranceNs, final long resumeAheadNs)
    {
        while (true)
        {
            final long current = theoreticalArrivalNs.get();
            final long arrivalNs = Math.max(current, nowNs) + costNs;
            final long aheadNs = arrivalNs - nowNs;
            if (aheadNs > toleranceNs)
            {
                return Math.max(1, aheadNs - resumeAheadNs);
            }
            if (theoreticalArrivalNs.compareAndSet(current, arrivalNs))
            {
                return 0;
            }
        }
    }

    /**
     * Whether this budget has nothing owed at {@code nowNs}: forgetting it then gives nobody more.
     */
    boolean isIdle(final long nowNs)
    {
        return theoreticalArrivalNs.get() <= nowNs;
    }
}
