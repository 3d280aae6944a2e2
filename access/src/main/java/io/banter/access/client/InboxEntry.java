package io.banter.access.client;

import io.banter.codecs.ConversationKind;
import io.banter.codecs.GroupRole;

import java.nio.charset.StandardCharsets;

/**
 * One conversation of the inbox.
 *
 * @param peerUserId the other user of a direct conversation, else 0.
 * @param peerOnline the peer's presence, for a direct conversation.
 * @param role       this user's role in a group, {@code NULL_VAL} in a direct conversation.
 * @param activity   the ordering key (the id of the latest message); pass the last entry's to page on.
 * @param preview    the first bytes of the latest message's payload (empty for a tombstone).
 */
public record InboxEntry(
    long conversationId,
    ConversationKind kind,
    long peerUserId,
    boolean peerOnline,
    int memberCount,
    GroupRole role,
    long headSeq,
    long readSeq,
    long unread,
    long activity,
    long lastTimestamp,
    long lastSenderUserId,
    int lastContentType,
    int lastFlags,
    String name,
    byte[] preview)
{
    public boolean lastRecalled()
    {
        return (lastFlags & ChatMessage.RECALLED) != 0;
    }

    /**
     * The latest message left the server's hot tier: no preview; a history page returns it.
     */
    public boolean lastArchived()
    {
        return (lastFlags & ChatMessage.ARCHIVED) != 0;
    }

    public String previewText()
    {
        return new String(preview, StandardCharsets.UTF_8);
    }
}
