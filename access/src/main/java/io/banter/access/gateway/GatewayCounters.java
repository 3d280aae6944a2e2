package io.banter.access.gateway;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a gateway has seen, for operators and tests. Written by the Netty threads and the agent.
 */
public final class GatewayCounters
{
    final LongAdder connectionsOpened = new LongAdder();
    final LongAdder connectionsClosed = new LongAdder();
    final LongAdder malformedFrames = new LongAdder();
    final LongAdder malformedRequests = new LongAdder();
    final LongAdder refusedLogins = new LongAdder();
    final LongAdder busyRefusals = new LongAdder();
    final LongAdder heartbeatTimeouts = new LongAdder();
    final LongAdder slowConsumerCloses = new LongAdder();
    final LongAdder deliveries = new LongAdder();
    final LongAdder deliveriesToClosedConnections = new LongAdder();
    final LongAdder engineRejections = new LongAdder();
    final LongAdder clusterReconnects = new LongAdder();
    final LongAdder leaderChanges = new LongAdder();
    final LongAdder pausedSendRefusals = new LongAdder();
    final LongAdder refusedConnections = new LongAdder();
    final LongAdder loginTimeouts = new LongAdder();
    final LongAdder rateLimitPauses = new LongAdder();
    final LongAdder acceptPauses = new LongAdder();
    final LongAdder notLoggedInRefusals = new LongAdder();
    final LongAdder ingressBatches = new LongAdder();
    final LongAdder commandsBatched = new LongAdder();
    final LongAdder writeBatches = new LongAdder();
    final LongAdder writesBatched = new LongAdder();

    public long connectionsOpened()
    {
        return connectionsOpened.sum();
    }

    public long connectionsClosed()
    {
        return connectionsClosed.sum();
    }

    public long malformedFrames()
    {
        return malformedFrames.sum();
    }

    public long malformedRequests()
    {
        return malformedRequests.sum();
    }

    public long refusedLogins()
    {
        return refusedLogins.sum();
    }

    public long busyRefusals()
    {
        return busyRefusals.sum();
    }

    public long heartbeatTimeouts()
    {
        return heartbeatTimeouts.sum();
    }

    public long slowConsumerCloses()
    {
        return slowConsumerCloses.sum();
    }

    public long deliveries()
    {
        return deliveries.sum();
    }

    public long deliveriesToClosedConnections()
    {
        return deliveriesToClosedConnections.sum();
    }

    public long engineRejections()
    {
        return engineRejections.sum();
    }

    public long clusterReconnects()
    {
        return clusterReconnects.sum();
    }

    public long leaderChanges()
    {
        return leaderChanges.sum();
    }

    /**
     * Sends refused BUSY because an earlier send of the same connection was refused or may have
     * been lost, and the client had not yet said ResumeSends.
     */
    public long pausedSendRefusals()
    {
        return pausedSendRefusals.sum();
    }

    public String toString()
    {
        return "connections opened=" + connectionsOpened() + " closed=" + connectionsClosed() +
            " malformedFrames=" + malformedFrames() + " malformedRequests=" + malformedRequests() +
            " refusedLogins=" + refusedLogins() + " busy=" + busyRefusals() +
            " heartbeatTimeouts=" + heartbeatTimeouts() + " slowConsumerCloses=" + slowConsumerCloses() +
            " deliveries=" + deliveries() + " toClosed=" + deliveriesToClosedConnections() +
            " engineRejections=" + engineRejections() + " clusterReconnects=" + clusterReconnects() +
            " leaderChanges=" + leaderChanges() + " pausedSendRefusals=" + pausedSendRefusals();
    }

    /**
     * Connections answered BUSY and closed at once: the gateway was at one of its connection limits.
     */
    public long refusedConnections()
    {
        return refusedConnections.sum();
    }

    /**
     * Connections closed for presenting no valid login token within the login timeout.
     */
    public long loginTimeouts()
    {
        return loginTimeouts.sum();
    }

    /**
     * Times a connection sent past its rate and burst, and its reads paused.
     */
    public long rateLimitPauses()
    {
        return rateLimitPauses.sum();
    }

    /**
     * Times the listening socket stopped accepting for the rest of a window, at its accept rate.
     */
    public long acceptPauses()
    {
        return acceptPauses.sum();
    }

    /**
     * Requests answered NOT_LOGGED_IN by the gateway: the connection had shown no valid token.
     */
    public long notLoggedInRefusals()
    {
        return notLoggedInRefusals.sum();
    }

    /**
     * Ingress messages offered with more than one command, and the commands they carried.
     */
    public long ingressBatches()
    {
        return ingressBatches.sum();
    }

    public long commandsBatched()
    {
        return commandsBatched.sum();
    }

    /**
     * Tasks handed to the Netty event loops with the agent's writes, and the frames they wrote.
     */
    public long writeBatches()
    {
        return writeBatches.sum();
    }

    public long writesBatched()
    {
        return writesBatched.sum();
    }
}
