package io.banter.access.client;

import java.nio.charset.StandardCharsets;

/**
 * A message as a client sees it, from a push, a sync page or a history page.
 *
 * @param changeSeq the receiving user's change sequence (0 in history pages and super-group pulls).
 * @param flags     {@link #RECALLED} for a tombstone; {@link #ARCHIVED} for a sync entry whose
 *                  message left the server's hot tier: only conversation and seq are given, and
 *                  {@code history(conversationId, seq + 1, 1)} returns the message from the cold tier.
 */
public record ChatMessage(
    long changeSeq,
    long conversationId,
    long seq,
    long messageId,
    long senderUserId,
    long senderDeviceId,
    long clientMsgId,
    long timestamp,
    int contentType,
    byte[] payload,
    int flags)
{
    /** Flag: the message was recalled; the payload is empty. */
    public static final int RECALLED = 1;
    /** Flag: only the position is given; the message itself is paged from the cold tier by history. */
    public static final int ARCHIVED = 2;
    /** Content type of a group's system message, whose payload is a {@link GroupNotice}. */
    public static final int SYSTEM_CONTENT_TYPE = 0xFFFF;

    public boolean isRecalled()
    {
        return (flags & RECALLED) != 0;
    }

    public boolean isArchived()
    {
        return (flags & ARCHIVED) != 0;
    }

    public boolean isSystem()
    {
        return SYSTEM_CONTENT_TYPE == contentType;
    }

    public String text()
    {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
