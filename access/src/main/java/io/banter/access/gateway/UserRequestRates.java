package io.banter.access.gateway;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * The request budgets of the users logged in on this gateway, one per user whatever the number
 * of its connections. A budget outlives its last connection while it still owes time, so a
 * client that reconnects comes back to the budget it left; idle ones are forgotten, so the map
 * holds at most the users with connections plus those recently over their rate.
 * <p>
 * Taken and given back once per login and close, under a lock: never per frame.
 */
final class UserRequestRates
{
    private static final int SWEEP_EVERY = 1024;

    private final Long2ObjectHashMap<RequestRate> rates = new Long2ObjectHashMap<>();
    private int releasesSinceSweep;

    synchronized RequestRate acquire(final long userId)
    {
        RequestRate rate = rates.get(userId);
        if (null == rate)
        {
            rate = new RequestRate();
            rates.put(userId, rate);
        }
        rate.connections++;
        return rate;
    }

    synchronized void release(final long userId, final RequestRate rate, final long nowNs)
    {
        rate.connections--;
        if (0 == rate.connections && rate.isIdle(nowNs))
        {
            rates.remove(userId);
        }
        if (++releasesSinceSweep >= SWEEP_EVERY)
        {
            releasesSinceSweep = 0;
            rates.values().removeIf(r -> 0 == r.connections && r.isIdle(nowNs));
        }
    }

    synchronized int size()
    {
        return rates.size();
    }
}
