package io.banter.access.client;

import java.nio.charset.StandardCharsets;

/**
 * A message as a client sees it, from a push, a sync page or a history page.
 *
 * @param changeSeq the receiving user's change sequence (0 in history pages).
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
    byte[] payload)
{
    public String text()
    {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
