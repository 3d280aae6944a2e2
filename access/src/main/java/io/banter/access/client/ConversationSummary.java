package io.banter.access.client;

/**
 * One of the user's conversations.
 */
public record ConversationSummary(long conversationId, long peerUserId, long headSeq, long lastTimestamp)
{
}
