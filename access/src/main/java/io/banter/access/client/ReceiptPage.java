package io.banter.access.client;

import java.util.List;

/**
 * Who has read a message: counts over all members but its sender, and one page of user ids
 * (readers or non-readers, as asked) ascending; page on from the last id.
 */
public record ReceiptPage(
    long conversationId, long seq, int readCount, int unreadCount, boolean readers, boolean hasMore, List<Long> users)
{
}
