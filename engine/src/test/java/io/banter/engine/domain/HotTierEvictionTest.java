package io.banter.engine.domain;

import io.banter.codecs.ErrorCode;
import io.banter.engine.EngineContext;
import io.banter.engine.fixture.Events;
import io.banter.engine.fixture.TestEngine;
import io.banter.engine.handler.MessagePoster;
import io.banter.engine.state.Conversation;
import io.banter.engine.store.HistoryArchive;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.banter.engine.domain.World.conn;
import static io.banter.engine.domain.World.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With an archive behind it, the hot tier evicts by count per conversation, by age and by
 * capacity; history below the hot window is handed to the archive, and sync, the inbox, recall
 * and receipts say clearly what left.
 */
final class HotTierEvictionTest
{
    /**
     * The archive's side of the port: the page requests the engine handed over.
     */
    private static final class RecordingArchive implements HistoryArchive
    {
        final List<long[]> requests = new ArrayList<>();

        public void requestPage(
            final long gatewayId,
            final long connectionId,
            final long correlationId,
            final long conversationId,
            final long beforeSeq,
            final int maxEntries,
            final long headSeq)
        {
            requests.add(new long[]{gatewayId, connectionId, correlationId, conversationId, beforeSeq, maxEntries, headSeq});
        }
    }

    private final RecordingArchive archive = new RecordingArchive();

    private EngineContext context()
    {
        return TestEngine.smallContext().historyArchive(archive).changeLogCapacity(256);
    }

    @Test
    void aConversationKeepsItsNewestMessagesHotAndPagesTheRestFromTheArchive()
    {
        try (World w = new World(2, context().hotTierMessagesPerConversation(3)))
        {
            final long conversationId = w.t.ack(w.sendDirect(0, 1, "m1")).conversationId();
            for (int i = 2; i <= 5; i++)
            {
                w.sendOk(0, conversationId, "m" + i);
            }
            final Conversation conversation = w.t.engine.state().conversation(conversationId);
            assertEquals(3, conversation.hotFloorSeq());
            assertEquals(3, w.t.engine.state().messageStore().size());
            assertEquals(2, w.t.engine.state().hotWindow().evictions());

            final Events.HistoryBatch hot = w.history(1, conversationId);
            assertEquals(List.of(5L, 4L, 3L), hot.messages().stream().map(Events.Message::seq).toList());
            assertTrue(hot.hasMore(), "older messages are in the archive");
            assertTrue(archive.requests.isEmpty(), "a hot page does not touch the archive");

            final long correlationId = w.nextCorrelationId();
            final List<Object> events = w.apply(w.t.commands.history(conn(1), correlationId, conversationId, 3, 10));
            assertTrue(events.isEmpty(), "the archive answers, not the engine: " + events);
            assertEquals(1, archive.requests.size());
            final long[] request = archive.requests.get(0);
            assertEquals(TestEngine.GATEWAY, request[0]);
            assertEquals(conn(1), request[1]);
            assertEquals(correlationId, request[2]);
            assertEquals(conversationId, request[3]);
            assertEquals(3, request[4], "before the hot floor");
            assertEquals(10, request[5]);
            assertEquals(5, request[6], "the head the page reports");
        }
    }

    @Test
    void syncNamesAnArchivedMessageWithoutItsBody()
    {
        try (World w = new World(2, context().hotTierMessagesPerConversation(2)))
        {
            final long conversationId = w.t.ack(w.sendDirect(0, 1, "old")).conversationId();
            w.sendOk(0, conversationId, "newer");
            w.sendOk(0, conversationId, "newest");

            final Events.SyncBatch sync = (Events.SyncBatch)w.t.reply(w.apply(w.t.commands.sync(conn(1), 1, 0, 10)));
            assertEquals(3, sync.entries().size());
            final Events.Message archived = sync.entries().get(0).message();
            assertEquals(1, archived.seq());
            assertEquals(conversationId, archived.conversationId());
            assertEquals(MessagePoster.ARCHIVED, archived.flags());
            assertEquals("", archived.payload());
            assertEquals("newer", sync.entries().get(1).message().payload());
            assertEquals(0, sync.entries().get(1).message().flags());
            assertEquals("newest", sync.entries().get(2).message().payload());
            assertFalse(sync.hasMore());
        }
    }

    @Test
    void recallAndReceiptsOfAnArchivedMessageAreRefusedByName()
    {
        try (World w = new World(2, context().hotTierMessagesPerConversation(1)))
        {
            final long conversationId = w.t.ack(w.sendDirect(0, 1, "gone")).conversationId();
            w.sendOk(0, conversationId, "kept");

            final Events.Error recall = w.refused(0,
                w.t.commands.recall(conn(0), w.nextCorrelationId(), conversationId, 1), ErrorCode.ARCHIVED);
            assertTrue(recall.text().contains("cold tier"), recall.text());
            w.refused(0, w.t.commands.receipts(conn(0), w.nextCorrelationId(), conversationId, 1, true, 0, 10),
                ErrorCode.ARCHIVED);
            // The hot one still works.
            assertEquals(2, w.done(w.apply(w.t.commands.recall(conn(0), w.nextCorrelationId(), conversationId, 2)), 0).seq());
        }
    }

    @Test
    void messagesOlderThanTheMaxAgeLeaveWhenNewOnesArrive()
    {
        try (World w = new World(3, context().hotTierMaxAge(50)))
        {
            final long quiet = w.t.ack(w.sendDirect(0, 1, "quiet")).conversationId();
            final long busy = w.t.ack(w.sendDirect(0, 2, "busy 1")).conversationId();
            for (int i = 0; i < 60; i++)
            {
                // Each command moves the test clock one unit on.
                w.apply(w.t.commands.presenceQuery(conn(0), w.nextCorrelationId(), id(1)));
            }
            assertEquals(2, w.t.engine.state().messageStore().size(), "nothing leaves without a new message");
            w.sendOk(0, busy, "busy 2");

            assertTrue(w.t.engine.state().conversation(quiet).isArchived(1));
            assertTrue(w.t.engine.state().conversation(busy).isArchived(1));
            assertFalse(w.t.engine.state().conversation(busy).isArchived(2));
            assertEquals(1, w.t.engine.state().messageStore().size());

            final Events.InboxEntry entry = w.inbox(1).conversations().stream()
                .filter(e -> e.conversationId() == quiet).findFirst().orElseThrow();
            assertEquals(MessagePoster.ARCHIVED, entry.lastFlags(), "the inbox says the preview left the hot tier");
            assertEquals("", entry.preview());
            assertEquals(1, entry.headSeq());
        }
    }

    @Test
    void aFullHotTierEvictsTheShardsOldestMessagesInsteadOfRefusing()
    {
        try (World w = new World(4, context().hotTierEntries(40)))
        {
            final long[] conversations = {
                w.t.ack(w.sendDirect(0, 1, "a")).conversationId(),
                w.t.ack(w.sendDirect(0, 2, "b")).conversationId(),
                w.t.ack(w.sendDirect(0, 3, "c")).conversationId()};
            for (int i = 3; i < 45; i++)
            {
                w.sendOk(0, conversations[i % 3], "message " + i);
            }
            assertEquals(40, w.t.engine.state().messageStore().size());
            assertEquals(5, w.t.engine.state().hotWindow().evictions());
            // Message ids 1..5 went, oldest first: seq 1 and 2 of the first two, seq 1 of the third.
            assertEquals(3, w.t.engine.state().conversation(conversations[0]).hotFloorSeq());
            assertEquals(3, w.t.engine.state().conversation(conversations[1]).hotFloorSeq());
            assertEquals(2, w.t.engine.state().conversation(conversations[2]).hotFloorSeq());
        }
    }

    @Test
    void withoutAnArchiveNothingLeavesAndAFullHotTierRefuses()
    {
        try (World w = new World(2, TestEngine.smallContext().hotTierEntries(3).hotTierMessagesPerConversation(1)))
        {
            final long conversationId = w.t.ack(w.sendDirect(0, 1, "1")).conversationId();
            w.sendOk(0, conversationId, "2");
            w.sendOk(0, conversationId, "3");
            assertEquals(1, w.t.engine.state().conversation(conversationId).hotFloorSeq());
            w.rejected(0, w.t.commands.send(conn(0), 99, conversationId, 0, new byte[]{'4'}), ErrorCode.HOT_TIER_FULL);
            assertEquals(3, w.history(1, conversationId).messages().size());
        }
    }
}
