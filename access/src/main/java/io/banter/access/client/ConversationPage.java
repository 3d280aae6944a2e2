package io.banter.access.client;

import java.util.List;

public record ConversationPage(List<ConversationSummary> conversations, boolean hasMore)
{
}
