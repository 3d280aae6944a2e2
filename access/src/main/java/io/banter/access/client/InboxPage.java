package io.banter.access.client;

import java.util.List;

/**
 * A page of the inbox, newest activity first.
 *
 * @param totalUnread over all the user's conversations, not only this page's.
 */
public record InboxPage(long totalUnread, boolean hasMore, List<InboxEntry> conversations)
{
}
