package io.banter.access.client;

/**
 * The user's read position in a conversation and its unread counts, after a {@code markRead}
 * from this device or pushed when another device of the user marked read.
 */
public record ReadState(long changeSeq, long conversationId, long readSeq, long unread, long totalUnread)
{
}
