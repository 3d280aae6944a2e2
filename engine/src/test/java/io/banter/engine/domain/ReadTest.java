package io.banter.engine.domain;

import io.banter.codecs.ChangeKind;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.Platform;
import io.banter.engine.EngineContext;
import io.banter.engine.fixture.Events;
import io.banter.engine.fixture.TestEngine;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.banter.engine.domain.World.conn;
import static io.banter.engine.domain.World.id;
import static io.banter.engine.domain.World.none;
import static io.banter.engine.domain.World.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read positions, unread counts and receipts.
 */
final class ReadTest
{
    @Test
    void unreadIsHeadMinusTheReadPositionAndOwnMessagesNeverCount()
    {
        try (World w = new World(2))
        {
            final long direct = only(w.sendDirect(0, 1, "a"), 0, Events.SendAck.class).conversationId();
            w.sendDirect(0, 1, "b");
            w.sendDirect(0, 1, "c");
            assertEquals(3, w.inbox(1).conversations().get(0).unread());
            assertEquals(0, w.inbox(0).conversations().get(0).unread(), "own messages are not unread");

            w.sendDirect(1, 0, "reply");
            final Events.InboxEntry afterReply = w.inbox(1).conversations().get(0);
            assertEquals(4, afterReply.readSeq(), "sending moves the sender's read position to its message");
            assertEquals(0, afterReply.unread());
            assertEquals(1, w.inbox(0).conversations().get(0).unread());
            assertEquals(direct, afterReply.conversationId());
        }
    }

    @Test
    void markReadMovesForwardOnlyAndRefusesBeyondTheHead()
    {
        try (World w = new World(2))
        {
            final long direct = only(w.sendDirect(0, 1, "a"), 0, Events.SendAck.class).conversationId();
            w.sendDirect(0, 1, "b");
            final Events.ReadState read = w.markRead(1, direct, 2);
            assertEquals(2, read.readSeq());
            assertEquals(0, read.unread());
            assertTrue(read.changeSeq() > 0);

            final long before = w.hash();
            final Events.ReadState backwards = w.markRead(1, direct, 1);
            assertEquals(2, backwards.readSeq(), "a lower seq is answered with the position as it is");
            assertEquals(0, backwards.changeSeq(), "and records no change");
            assertEquals(0, w.markRead(1, direct, 2).changeSeq(), "nor does marking the same position again");
            assertEquals(before, w.hash());

            w.refused(1, w.t.commands.markRead(conn(1), w.nextCorrelationId(), direct, 3), ErrorCode.MALFORMED);
            w.refused(1, w.t.commands.markRead(conn(1), w.nextCorrelationId(), 404, 1), ErrorCode.UNKNOWN_CONVERSATION);
        }
    }

    @Test
    void theTotalIsTheSumOfEveryConversationsUnread()
    {
        try (World w = new World(4))
        {
            w.sendDirect(0, 3, "x");
            w.sendDirect(1, 3, "y");
            w.sendDirect(1, 3, "z");
            final long group = w.createGroup(0, "crew", 1, 2, 3);
            w.send(2, group, "g1");
            w.send(1, group, "g2");
            final Events.Inbox inbox = w.inbox(3);
            assertEquals(3, inbox.conversations().size());
            assertEquals(inbox.conversations().stream().mapToLong(Events.InboxEntry::unread).sum(), inbox.totalUnread());
            assertEquals(1 + 2 + 3, inbox.totalUnread());
            assertEquals(group, inbox.conversations().get(0).conversationId(), "newest activity first");

            final Events.ReadState read = w.markRead(3, group, 2);
            assertEquals(1, read.unread());
            assertEquals(1 + 2 + 1, read.totalUnread());
            assertEquals(read.totalUnread(), w.inbox(3).totalUnread());
        }
    }

    @Test
    void theUsersOtherDevicesAreToldAndTheSenderGetsAReceipt()
    {
        try (World w = new World(2))
        {
            w.t.login(500, id(1), 77, Platform.DESKTOP);
            final long direct = only(w.sendDirect(0, 1, "a"), 0, Events.SendAck.class).conversationId();
            final List<Object> events = w.apply(w.t.commands.markRead(conn(1), 9, direct, 1));
            final Events.ReadState answer = only(events, 1, Events.ReadState.class);
            assertEquals(9, answer.correlationId());
            final Events.ReadState pushed = (Events.ReadState)io.banter.engine.fixture.RecordingOutput
                .messagesFor(events, TestEngine.GATEWAY, 500).get(0);
            assertEquals(0, pushed.correlationId());
            assertEquals(answer.changeSeq(), pushed.changeSeq());

            final Events.ReadReceipt receipt = only(events, 0, Events.ReadReceipt.class);
            assertEquals(new Events.ReadReceipt(w.changeHead(0), direct, id(1), 1), receipt);

            final Events.SyncBatch sync = (Events.SyncBatch)w.t.reply(
                w.apply(w.t.commands.sync(conn(0), 1, w.changeHead(0) - 1, 10)));
            final Events.SyncEntry entry = sync.entries().get(0);
            assertEquals(ChangeKind.READ, entry.kind());
            assertEquals(id(1), entry.userId());
            assertEquals(1, entry.message().seq());
        }
    }

    @Test
    void receiptsGoOnlyToMembersWithMessagesAfterTheOldPosition()
    {
        try (World w = new World(4))
        {
            final long group = w.createGroup(0, "crew", 1, 2, 3);
            w.send(1, group, "from one");
            final List<Object> events = w.apply(w.t.commands.markRead(conn(3), w.nextCorrelationId(), group, 2));
            only(events, 1, Events.ReadReceipt.class);
            only(events, 0, Events.ReadReceipt.class); // its creation notice is seq 1
            assertTrue(none(events, 2, Events.ReadReceipt.class), "member 2 sent nothing");
        }
    }

    @Test
    void superGroupsAnswerReceiptsOnlyOnRequest()
    {
        final EngineContext context = TestEngine.smallContext().superGroupThreshold(2);
        try (World w = new World(4, context))
        {
            final long group = w.createGroup(0, "big", 1, 2, 3);
            w.send(1, group, "hello");
            final long senderHead = w.changeHead(1);
            final List<Object> events = w.apply(w.t.commands.markRead(conn(2), w.nextCorrelationId(), group, 2));
            assertTrue(none(events, 1, Events.ReadReceipt.class));
            assertEquals(senderHead, w.changeHead(1), "no change for the sender either");
        }
    }

    @Test
    void receiptCountsAndPagesExcludeTheSender()
    {
        try (World w = new World(6))
        {
            final long group = w.createGroup(0, "crew", 1, 2, 3, 4, 5);
            final long seq = w.sendOk(2, group, "read me").seq();
            w.markRead(4, group, seq);
            w.markRead(5, group, seq);
            final Events.ReceiptPage readers = (Events.ReceiptPage)w.t.reply(
                w.apply(w.t.commands.receipts(conn(0), 1, group, seq, true, 0, 10)));
            assertEquals(2, readers.readCount());
            assertEquals(3, readers.unreadCount());
            assertEquals(List.of(id(4), id(5)), readers.users());

            final Events.ReceiptPage firstUnread = (Events.ReceiptPage)w.t.reply(
                w.apply(w.t.commands.receipts(conn(0), 2, group, seq, false, 0, 2)));
            assertEquals(List.of(id(0), id(1)), firstUnread.users());
            assertTrue(firstUnread.hasMore());
            final Events.ReceiptPage restUnread = (Events.ReceiptPage)w.t.reply(
                w.apply(w.t.commands.receipts(conn(0), 3, group, seq, false, id(1), 2)));
            assertEquals(List.of(id(3)), restUnread.users(), "the sender (2) is neither reader nor non-reader");
            assertFalse(restUnread.hasMore());

            w.refused(0, w.t.commands.receipts(conn(0), 4, group, 99, true, 0, 10), ErrorCode.UNKNOWN_MESSAGE);
        }
    }

    @Test
    void aMemberWhoJoinedAfterAMessageIsNeitherItsReaderNorItsNonReader()
    {
        try (World w = new World(4))
        {
            final long group = w.createGroup(0, "crew", 1, 2);
            final long seq = w.sendOk(0, group, "before dave").seq();
            w.markRead(1, group, seq);
            w.addMembers(0, group, 3); // dave, who starts at the head: nothing unread, nothing read
            final long joinNotice = seq + 1;

            assertReceipts(w, group, seq, 1, 1, List.of(id(1)), List.of(id(2)));
            // Dave is a member for the notice of his own joining and everything after it.
            assertReceipts(w, group, joinNotice, 0, 3, List.of(), List.of(id(1), id(2), id(3)));
            final long after = w.sendOk(0, group, "after dave").seq();
            w.markRead(3, group, after);
            assertReceipts(w, group, after, 1, 2, List.of(id(3)), List.of(id(1), id(2)));
        }
    }

    @Test
    void aRejoinedMemberCountsOnlyForMessagesAfterItsLatestJoin()
    {
        try (World w = new World(3))
        {
            final long group = w.createGroup(0, "crew", 1, 2);
            final long seq = w.sendOk(0, group, "read, then left").seq();
            w.markRead(2, group, seq);
            assertReceipts(w, group, seq, 1, 1, List.of(id(2)), List.of(id(1)));
            w.done(w.apply(w.t.commands.leaveGroup(conn(2), w.nextCorrelationId(), group)), 2);
            w.addMembers(0, group, 2);
            final long rejoined = w.t.engine.state().conversation(group).headSeq();

            assertReceipts(w, group, seq, 0, 1, List.of(), List.of(id(1)));
            assertReceipts(w, group, rejoined, 0, 2, List.of(), List.of(id(1), id(2)));
        }
    }

    @Test
    void joinSeqsTravelInASnapshot()
    {
        final EngineContext context = TestEngine.smallContext();
        try (World w = new World(4, context))
        {
            final long group = w.createGroup(0, "crew", 1, 2);
            final long seq = w.sendOk(0, group, "before dave").seq();
            w.addMembers(0, group, 3);
            w.done(w.apply(w.t.commands.removeMember(conn(0), w.nextCorrelationId(), group, id(3))), 0);
            w.addMembers(0, group, 3);
            // Joined at seq, notice seq + 1, removed at seq + 2 and joined again there.
            assertEquals(seq + 2, w.t.engine.state().conversation(group).joinSeq(
                w.t.engine.state().conversation(group).indexOf(id(3))), "the head when dave last joined");

            try (TestEngine restored = w.t.restoredCopy(context))
            {
                assertEquals(w.hash(), restored.engine.stateHash());
                final Events.ReceiptPage page = (Events.ReceiptPage)restored.reply(
                    restored.apply(restored.commands.receipts(conn(0), 1, group, seq, false, 0, 10)));
                assertEquals(List.of(id(1), id(2)), page.users(), "dave is not a non-reader after the restore");
                assertEquals(2, page.unreadCount());
            }
        }
    }

    /**
     * Receipts of {@code seq} asked by user 0: the counts, and the full reader and non-reader lists.
     */
    private static void assertReceipts(
        final World w, final long group, final long seq, final int readCount, final int unreadCount,
        final List<Long> readers, final List<Long> nonReaders)
    {
        final Events.ReceiptPage read = (Events.ReceiptPage)w.t.reply(
            w.apply(w.t.commands.receipts(conn(0), w.nextCorrelationId(), group, seq, true, 0, 100)));
        final Events.ReceiptPage unread = (Events.ReceiptPage)w.t.reply(
            w.apply(w.t.commands.receipts(conn(0), w.nextCorrelationId(), group, seq, false, 0, 100)));
        assertEquals(readCount, read.readCount(), "read count of " + seq);
        assertEquals(unreadCount, read.unreadCount(), "unread count of " + seq);
        assertEquals(readers, read.users(), "readers of " + seq);
        assertEquals(nonReaders, unread.users(), "non-readers of " + seq);
        assertEquals(read.readCount(), unread.readCount());
        assertEquals(read.unreadCount(), unread.unreadCount());
    }

    @Test
    void receiptsInATenThousandMemberGroupComeFromReadPositions()
    {
        final int members = 10_000;
        final EngineContext context = TestEngine.smallContext().maxUsers(members + 1);
        try (World w = new World(members, context, false))
        {
            w.login(0);
            w.login(1);
            final long group = w.createGroup(0, "town", 1);
            final int batch = 1_000;
            for (int from = 2; from < members; from += batch)
            {
                final int count = Math.min(batch, members - from);
                final long[] ids = new long[count];
                for (int i = 0; i < count; i++)
                {
                    ids[i] = id(from + i);
                }
                w.done(w.apply(w.t.commands.addMembers(conn(0), w.nextCorrelationId(), group, ids)), 0);
            }
            assertEquals(members, w.groupInfo(0, group).memberCount());
            final long seq = w.sendOk(1, group, "to everyone").seq();
            w.markRead(0, group, seq);
            final Events.ReceiptPage page = (Events.ReceiptPage)w.t.reply(
                w.apply(w.t.commands.receipts(conn(1), 1, group, seq, false, 0, 100)));
            assertEquals(1, page.readCount());
            assertEquals(members - 2, page.unreadCount());
            assertEquals(100, page.users().size());
            assertTrue(page.hasMore());
        }
    }
}
