package io.banter.engine.store;

/**
 * Where messages that left the hot tier are kept (the cold tier), and who answers for them.
 * Supplying one to the engine turns hot-tier eviction on: a message leaves the hot tier only
 * because the archive holds it.
 * <p>
 * A history page wholly below a conversation's hot window is handed here instead of being read
 * on the engine thread. The call is made at the same log position on every replica and must not
 * block; the archive answers the connection later, from its own thread, with a
 * {@code HistoryBatch} (or an {@code Error}) exactly as the engine would have.
 */
public interface HistoryArchive
{
    /**
     * Answer a history page of messages before {@code beforeSeq}, newest first, all of them
     * below the conversation's hot window.
     *
     * @param headSeq    the conversation's head, which the answer reports.
     * @param maxEntries most messages in the page (already within the engine's limits).
     */
    void requestPage(
        long gatewayId,
        long connectionId,
        long correlationId,
        long conversationId,
        long beforeSeq,
        int maxEntries,
        long headSeq);
}
