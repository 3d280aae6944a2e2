package io.banter.access.client;

/**
 * Where a client's session stands.
 */
public enum ClientState
{
    /** Not connected; a reconnect is scheduled unless the client is closed or was refused for good. */
    DISCONNECTED,
    /** TCP connected, Login sent. */
    LOGGING_IN,
    /** Logged in, pulling changes missed since the last processed change sequence. */
    SYNCING,
    /** Synced; pushes arrive live and sends go straight out. */
    ONLINE,
    /** Closed by the application, or refused for a reason a retry cannot fix. */
    CLOSED
}
