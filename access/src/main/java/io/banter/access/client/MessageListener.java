package io.banter.access.client;

/**
 * Receives what the server pushes, on the client's event-loop thread: keep callbacks short.
 */
public interface MessageListener
{
    /**
     * A message from another user or another of this user's devices, in change-sequence order,
     * each exactly once per client instance (live pushes and resync pages alike).
     */
    void onMessage(ChatMessage message);

    default void onStateChange(final ClientState state, final String reason)
    {
    }
}
