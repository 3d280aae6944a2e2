package io.banter.engine.domain;

import io.banter.codecs.ChangeKind;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.GroupRole;
import io.banter.engine.fixture.Events;
import io.banter.engine.fixture.TestEngine;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.banter.engine.domain.World.conn;
import static io.banter.engine.domain.World.id;
import static io.banter.engine.domain.World.none;
import static io.banter.engine.domain.World.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recall: who may, until when, and the tombstone everywhere.
 */
final class RecallTest
{
    @Test
    void theSenderRecallsWithinTheWindowAndEveryoneSeesATombstone()
    {
        try (World w = new World(2))
        {
            final Events.SendAck ack = only(w.sendDirect(0, 1, "oops"), 0, Events.SendAck.class);
            final List<Object> events = w.apply(w.t.commands.recall(conn(0), 7, ack.conversationId(), ack.seq()));
            final Events.Done done = w.done(events, 0);
            assertEquals(ack.seq(), done.seq());
            final Events.MessageRecalled pushed = only(events, 1, Events.MessageRecalled.class);
            assertEquals(new Events.MessageRecalled(w.changeHead(1), ack.conversationId(), ack.seq(), id(0)), pushed);
            assertTrue(none(events, 0, Events.MessageRecalled.class), "the recalling device gets Done");

            final Events.Message inHistory = w.history(1, ack.conversationId()).messages().get(0);
            assertTrue(inHistory.isRecalled());
            assertEquals("", inHistory.payload());

            final Events.SyncBatch sync = (Events.SyncBatch)w.t.reply(w.apply(w.t.commands.sync(conn(1), 1, 0, 10)));
            final Events.SyncEntry message = sync.entries().get(0);
            assertEquals(ChangeKind.MESSAGE, message.kind());
            assertTrue(message.message().isRecalled(), "sync serves the tombstone");
            assertEquals(ChangeKind.RECALL, sync.entries().get(1).kind());

            final Events.InboxEntry entry = w.inbox(1).conversations().get(0);
            assertEquals(1, entry.lastFlags());
            assertEquals("", entry.preview());

            w.refused(0, w.t.commands.recall(conn(0), 8, ack.conversationId(), ack.seq()), ErrorCode.ALREADY_RECALLED);
        }
    }

    @Test
    void afterTheWindowOnlyModeratorsMayRecall()
    {
        try (World w = new World(3, TestEngine.smallContext().recallWindow(5)))
        {
            final long group = w.createGroup(0, "crew", 1, 2);
            final long seq = w.sendOk(1, group, "old").seq();
            for (int i = 0; i < 6; i++)
            {
                w.send(2, group, "time passes " + i); // every command is one clock tick
            }
            // The window is in cluster time, milliseconds: the reason says so.
            assertEquals("messages may be recalled up to 5 ms after sending",
                w.refused(1, w.t.commands.recall(conn(1), 1, group, seq), ErrorCode.RECALL_WINDOW_PASSED).text());
            w.refused(2, w.t.commands.recall(conn(2), 2, group, seq), ErrorCode.NOT_PERMITTED);
            w.done(w.apply(w.t.commands.setRole(conn(0), 3, group, id(2), GroupRole.ADMIN)), 0);
            w.done(w.apply(w.t.commands.recall(conn(2), 4, group, seq)), 2);
            assertTrue(w.history(0, group).messages().stream().filter(m -> m.seq() == seq).findFirst().orElseThrow()
                .isRecalled());
        }
    }

    @Test
    void aPlainMemberCannotRecallAnothersMessageNorASystemMessage()
    {
        try (World w = new World(3))
        {
            final long group = w.createGroup(0, "crew", 1, 2);
            final long seq = w.sendOk(1, group, "mine").seq();
            w.refused(2, w.t.commands.recall(conn(2), 1, group, seq), ErrorCode.NOT_PERMITTED);
            w.refused(0, w.t.commands.recall(conn(0), 2, group, 1), ErrorCode.NOT_PERMITTED);
            w.refused(0, w.t.commands.recall(conn(0), 3, group, 42), ErrorCode.UNKNOWN_MESSAGE);
            w.refused(0, w.t.commands.recall(conn(0), 4, 4242, 1), ErrorCode.UNKNOWN_CONVERSATION);
        }
    }
}
