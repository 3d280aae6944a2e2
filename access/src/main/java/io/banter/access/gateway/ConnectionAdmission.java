package io.banter.access.gateway;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's connection limits, shared by its Netty threads: how many connections it holds
 * and how many of them have not yet presented a valid login token. A connection is admitted as
 * unauthenticated, becomes authenticated once, and leaves once.
 */
final class ConnectionAdmission
{
    private final int maxConnections;
    private final int maxUnauthenticated;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger unauthenticated = new AtomicInteger();

    ConnectionAdmission(final int maxConnections, final int maxUnauthenticated)
    {
        this.maxConnections = maxConnections;
        this.maxUnauthenticated = maxUnauthenticated;
    }

    /**
     * @return null if the connection is admitted, otherwise why it is not.
     */
    String tryAdmit()
    {
        if (connections.incrementAndGet() > maxConnections)
        {
            connections.decrementAndGet();
            return "the gateway holds its maximum of " + maxConnections + " connections; retry later";
        }
        if (unauthenticated.incrementAndGet() > maxUnauthenticated)
        {
            unauthenticated.decrementAndGet();
            connections.decrementAndGet();
            return "the gateway holds its maximum of " + maxUnauthenticated +
                " connections that have not logged in; retry later";
        }
        return null;
    }

    void authenticated()
    {
        unauthenticated.decrementAndGet();
    }

    void left(final boolean wasAuthenticated)
    {
        if (!wasAuthenticated)
        {
            unauthenticated.decrementAndGet();
        }
        connections.decrementAndGet();
    }

    int connections()
    {
        return connections.get();
    }

    int unauthenticated()
    {
        return unauthenticated.get();
    }
}
