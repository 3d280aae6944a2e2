package io.banter.access.client;

import java.util.List;

/**
 * One page of a conversation's history, newest first.
 */
public record HistoryPage(long conversationId, long headSeq, boolean hasMore, List<ChatMessage> messages)
{
}
