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

    /**
     * A change that is not a message (a read position, a recall, a relationship change), in
     * change-sequence order with the messages.
     */
    default void onChange(final Change change)
    {
    }

    /**
     * Another device of this user marked a conversation read: its new unread counts.
     */
    default void onReadState(final ReadState readState)
    {
    }

    /**
     * A friend or a subscribed user came online (first device) or went offline (last device).
     */
    default void onPresence(final Presence presence)
    {
    }

    /**
     * The server ended this session ({@code SESSION_REPLACED}: the device logged in elsewhere;
     * {@code KICKED_BY_POLICY}: a newer session on the same platform). The client is closed and
     * does not log in again by itself.
     *
     * @param reason for people: which login took this session's place, e.g. "this account logged
     *               in on another desktop device (device 2)".
     */
    default void onKicked(final io.banter.codecs.ErrorCode code, final String reason)
    {
    }

    default void onStateChange(final ClientState state, final String reason)
    {
    }

    /**
     * An attempt to connect to {@code endpoint} failed (refused, unknown host, timed out); the
     * client tries the next endpoint after its back-off, as it always does. Lets an application
     * that has never been online tell its user at once that nothing is listening.
     */
    default void onConnectFailed(final java.net.InetSocketAddress endpoint, final Throwable cause)
    {
    }
}
