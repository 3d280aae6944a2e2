package io.banter.replica.journal;

import org.agrona.DirectBuffer;

/**
 * What a member's log holds, entry by entry, as the clustered service would see it. Each
 * {@code position} is the log position just after the entry.
 */
public interface LogListener
{
    /**
     * A command from a cluster client (a gateway or an admin tool): Banter's SBE message.
     */
    void onSessionMessage(long position, long clusterSessionId, long timestamp, DirectBuffer buffer, int offset, int length);

    /**
     * A cluster client's session ended: the engine marks that gateway's devices offline.
     */
    void onSessionClose(long position, long clusterSessionId, long timestamp, String reason);

    /**
     * Anything else the consensus module logs (session opened, new term, timer, snapshot action).
     */
    default void onClusterEvent(final long position, final long timestamp, final String description)
    {
    }
}
