package io.banter.engine.domain;

import io.banter.codecs.ConversationKind;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.GroupRole;
import io.banter.codecs.SystemEvent;
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
 * Groups: membership, roles and permissions, system notices in the sequence, limits, and the
 * switch between small-group push and super-group notify-and-pull.
 */
final class GroupTest
{
    /**
     * A system message's notice, as the recording output decodes it.
     */
    record Notice(SystemEvent systemEvent, long actorUserId, long targetUserId)
    {
    }

    static Notice notice(final Events.Message message)
    {
        assertEquals(0xFFFF, message.contentType(), "a system message");
        final String[] words = message.payload().split(" ");
        return new Notice(SystemEvent.valueOf(words[0]), Long.parseLong(words[1].substring("actor=".length())),
            Long.parseLong(words[2].substring("target=".length())));
    }

    @Test
    void creatingAGroupMakesTheCreatorOwnerAndPostsTheFirstNotice()
    {
        try (World w = new World(3))
        {
            final List<Object> events = w.apply(w.t.commands.createGroup(conn(0), 5, "crew", false, id(1), id(2)));
            final Events.Done done = w.done(events, 0);
            assertEquals(5, done.correlationId());
            assertEquals(1, done.seq());
            final long group = done.conversationId();
            for (final int member : new int[]{ 1, 2 })
            {
                final Events.Push push = only(events, member, Events.Push.class);
                assertEquals(group, push.message().conversationId());
                assertEquals(1, push.message().seq());
            }
            assertTrue(none(events, 0, Events.Push.class), "the creating device gets Done, not its own notice");

            final Events.GroupInfo info = w.groupInfo(1, group);
            assertEquals("crew", info.name());
            assertEquals(id(0), info.ownerUserId());
            assertEquals(3, info.memberCount());
            assertFalse(info.superGroup());
            assertEquals(List.of(new Events.GroupMember(id(0), GroupRole.OWNER, 1),
                new Events.GroupMember(id(1), GroupRole.MEMBER, 0), new Events.GroupMember(id(2), GroupRole.MEMBER, 0)),
                info.members());
        }
    }

    @Test
    void theNoticeDecodesToWhatHappened()
    {
        try (World w = new World(2))
        {
            final long group = w.createGroup(0, "crew", 1);
            final Events.Message created = w.history(1, group).messages().get(0);
            final Notice decoded = notice(created);
            assertEquals(SystemEvent.GROUP_CREATED, decoded.systemEvent());
            assertEquals(id(0), decoded.actorUserId());
        }
    }

    @Test
    void messagesInAGroupGetContinuousSeqsAndReachEveryOtherMember()
    {
        try (World w = new World(4))
        {
            final long group = w.createGroup(0, "crew", 1, 2, 3);
            for (int i = 0; i < 6; i++)
            {
                final int sender = i % 4;
                final List<Object> events = w.send(sender, group, "m" + i);
                assertEquals(2 + i, only(events, sender, Events.SendAck.class).seq());
                for (int member = 0; member < 4; member++)
                {
                    if (member != sender)
                    {
                        assertEquals("m" + i, only(events, member, Events.Push.class).message().payload());
                    }
                }
            }
            assertEquals(7, w.history(2, group).headSeq());
        }
    }

    @Test
    void onlyOwnerAndAdminsAddUnlessTheGroupAllowsInvites()
    {
        try (World w = new World(5))
        {
            final long group = w.createGroup(0, "crew", 1, 2);
            w.refused(1, w.t.commands.addMembers(conn(1), w.nextCorrelationId(), group, id(3)), ErrorCode.NOT_PERMITTED);

            w.done(w.apply(w.t.commands.setRole(conn(0), w.nextCorrelationId(), group, id(1), GroupRole.ADMIN)), 0);
            w.addMembers(1, group, 3);

            w.done(w.apply(w.t.commands.updateGroup(conn(0), w.nextCorrelationId(), group, true, "")), 0);
            w.addMembers(2, group, 4);
            assertEquals(5, w.groupInfo(0, group).memberCount());
            assertEquals("crew", w.groupInfo(0, group).name(), "an empty name keeps the name");
        }
    }

    @Test
    void addingRefusesUnknownUsersRepeatsAndMembersWithTheirReasons()
    {
        try (World w = new World(3))
        {
            final long group = w.createGroup(0, "crew", 1);
            w.refused(0, w.t.commands.addMembers(conn(0), w.nextCorrelationId(), group, 424242L), ErrorCode.UNKNOWN_USER);
            w.refused(0, w.t.commands.addMembers(conn(0), w.nextCorrelationId(), group, id(2), id(2)), ErrorCode.MALFORMED);
            w.refused(0, w.t.commands.addMembers(conn(0), w.nextCorrelationId(), group, id(1)), ErrorCode.ALREADY_MEMBER);
            w.refused(0, w.t.commands.addMembers(conn(0), w.nextCorrelationId(), group), ErrorCode.MALFORMED);
            w.refused(0, w.t.commands.createGroup(conn(0), w.nextCorrelationId(), "", false, id(1)), ErrorCode.INVALID_NAME);
            w.refused(0, w.t.commands.addMembers(conn(0), w.nextCorrelationId(), 999, id(2)),
                ErrorCode.UNKNOWN_CONVERSATION);
            w.refused(2, w.t.commands.addMembers(conn(2), w.nextCorrelationId(), group, id(2)), ErrorCode.NOT_A_MEMBER);
        }
    }

    @Test
    void theSizeLimitHolds()
    {
        final EngineContext context = TestEngine.smallContext().maxGroupSize(3);
        try (World w = new World(5, context))
        {
            w.refused(0, w.t.commands.createGroup(conn(0), w.nextCorrelationId(), "big", false, id(1), id(2), id(3)),
                ErrorCode.GROUP_FULL);
            final long group = w.createGroup(0, "crew", 1, 2);
            w.refused(0, w.t.commands.addMembers(conn(0), w.nextCorrelationId(), group, id(3)), ErrorCode.GROUP_FULL);
        }
    }

    @Test
    void ownerRemovesAnyoneAdminsOnlyPlainMembersAndTheRemovedLearnOfIt()
    {
        try (World w = new World(4))
        {
            final long group = w.createGroup(0, "crew", 1, 2, 3);
            w.done(w.apply(w.t.commands.setRole(conn(0), w.nextCorrelationId(), group, id(1), GroupRole.ADMIN)), 0);
            w.done(w.apply(w.t.commands.setRole(conn(0), w.nextCorrelationId(), group, id(2), GroupRole.ADMIN)), 0);
            w.refused(1, w.t.commands.removeMember(conn(1), w.nextCorrelationId(), group, id(2)), ErrorCode.NOT_PERMITTED);
            w.refused(3, w.t.commands.removeMember(conn(3), w.nextCorrelationId(), group, id(2)), ErrorCode.NOT_PERMITTED);
            w.refused(1, w.t.commands.removeMember(conn(1), w.nextCorrelationId(), group, id(1)), ErrorCode.MALFORMED);

            final List<Object> events = w.apply(w.t.commands.removeMember(conn(1), w.nextCorrelationId(), group, id(3)));
            final Events.Push told = only(events, 3, Events.Push.class);
            final Notice removed = notice(told.message());
            assertEquals(SystemEvent.MEMBER_REMOVED, removed.systemEvent());
            assertEquals(id(1), removed.actorUserId());
            assertEquals(id(3), removed.targetUserId());
            w.refused(3, w.t.commands.history(conn(3), w.nextCorrelationId(), group, 0, 0), ErrorCode.NOT_A_MEMBER);
            w.rejected(3, w.t.commands.send(conn(3), 1, group, 0, new byte[]{ 1 }), ErrorCode.NOT_A_MEMBER);

            w.done(w.apply(w.t.commands.removeMember(conn(0), w.nextCorrelationId(), group, id(2))), 0);
            assertEquals(2, w.groupInfo(0, group).memberCount());
        }
    }

    @Test
    void theOwnerLeavesOnlyAfterHandingOwnershipOver()
    {
        try (World w = new World(3))
        {
            final long group = w.createGroup(0, "crew", 1, 2);
            w.refused(0, w.t.commands.leaveGroup(conn(0), w.nextCorrelationId(), group), ErrorCode.OWNER_MUST_TRANSFER);
            w.refused(1, w.t.commands.setRole(conn(1), w.nextCorrelationId(), group, id(2), GroupRole.ADMIN),
                ErrorCode.NOT_PERMITTED);
            w.refused(0, w.t.commands.setRole(conn(0), w.nextCorrelationId(), group, id(0), GroupRole.MEMBER),
                ErrorCode.MALFORMED);

            w.done(w.apply(w.t.commands.setRole(conn(0), w.nextCorrelationId(), group, id(1), GroupRole.OWNER)), 0);
            final Events.GroupInfo info = w.groupInfo(0, group);
            assertEquals(id(1), info.ownerUserId());
            assertEquals(GroupRole.ADMIN, info.members().get(0).role(), "the old owner becomes an admin");

            final List<Object> left = w.apply(w.t.commands.leaveGroup(conn(0), w.nextCorrelationId(), group));
            w.done(left, 0);
            assertEquals(SystemEvent.MEMBER_LEFT, notice(only(left, 2, Events.Push.class).message()).systemEvent());
            assertEquals(2, w.groupInfo(1, group).memberCount());
            assertFalse(w.t.engine.state().user(id(0)).conversations().contains(group), "gone from its list");
        }
    }

    @Test
    void groupRequestsOnADirectConversationAreRefused()
    {
        try (World w = new World(2))
        {
            final long direct = only(w.sendDirect(0, 1, "hi"), 0, Events.SendAck.class).conversationId();
            w.refused(0, w.t.commands.addMembers(conn(0), w.nextCorrelationId(), direct, id(1)), ErrorCode.NOT_PERMITTED);
            w.refused(0, w.t.commands.groupInfo(conn(0), w.nextCorrelationId(), direct, 0, 0),
                ErrorCode.UNKNOWN_CONVERSATION);
            assertEquals(ConversationKind.DIRECT, w.inbox(0).conversations().get(0).kind());
        }
    }

    @Test
    void memberPagesFollowUserIds()
    {
        try (World w = new World(6))
        {
            final long group = w.createGroup(0, "crew", 1, 2, 3, 4, 5);
            final Events.GroupInfo first = (Events.GroupInfo)w.t.reply(
                w.apply(w.t.commands.groupInfo(conn(0), w.nextCorrelationId(), group, 0, 4)));
            assertTrue(first.hasMore());
            assertEquals(4, first.members().size());
            final Events.GroupInfo second = (Events.GroupInfo)w.t.reply(w.apply(w.t.commands.groupInfo(conn(0),
                w.nextCorrelationId(), group, first.members().get(3).userId(), 4)));
            assertFalse(second.hasMore());
            assertEquals(List.of(id(4), id(5)), second.members().stream().map(Events.GroupMember::userId).toList());
        }
    }

    @Test
    void aSuperGroupCostsTheSenderOneChangeAndNotifiesOnlineMembersOnceUntilTheyPull()
    {
        final EngineContext context = TestEngine.smallContext().superGroupThreshold(3);
        try (World w = new World(5, context))
        {
            final List<Object> created = w.apply(w.t.commands.createGroup(conn(0), w.nextCorrelationId(), "big", false,
                id(1), id(2), id(3)));
            final long group = w.done(created, 0).conversationId();
            assertTrue(w.groupInfo(0, group).superGroup(), "4 members > threshold 3");
            assertEquals(new Events.ConversationChanged(group, 1), only(created, 2, Events.ConversationChanged.class),
                "the creation notice is news too");
            w.history(2, group);
            w.logout(3);
            final long offlineHead = w.changeHead(3);
            final long senderHead = w.changeHead(1);

            final List<Object> first = w.send(1, group, "one");
            assertEquals(senderHead + 1, w.changeHead(1), "the sender gets its change entry");
            assertEquals(offlineHead, w.changeHead(3), "no per-member work for an offline member");
            assertEquals(new Events.ConversationChanged(group, 2), only(first, 2, Events.ConversationChanged.class));
            assertTrue(none(first, 2, Events.Push.class), "no push of the body in a super group");

            final List<Object> second = w.send(1, group, "two");
            assertTrue(none(second, 2, Events.ConversationChanged.class), "told once until it pulls");

            w.history(2, group);
            final List<Object> third = w.send(1, group, "three");
            assertEquals(new Events.ConversationChanged(group, 4), only(third, 2, Events.ConversationChanged.class));

            w.markRead(2, group, 4);
            assertEquals(1, w.send(1, group, "four").stream().filter(e -> e instanceof Events.Delivery d &&
                d.isFor(TestEngine.GATEWAY, conn(2)) && d.message() instanceof Events.ConversationChanged).count());

            w.login(3);
            final Events.Inbox inbox = w.inbox(3);
            assertEquals(5, inbox.conversations().get(0).headSeq(), "an offline member pulls from the head it sees");
        }
    }

    @Test
    void crossingTheThresholdSwitchesDiffusionBothWays()
    {
        final EngineContext context = TestEngine.smallContext().superGroupThreshold(3);
        try (World w = new World(5, context))
        {
            final long group = w.createGroup(0, "crew", 1, 2);
            assertEquals(1, only(w.send(0, group, "small"), 2, Events.Push.class).changeSeq() -
                w.changeHead(2) + 1, "a push carries the member's newest change");

            final List<Object> added = w.apply(w.t.commands.addMembers(conn(0), w.nextCorrelationId(), group, id(3)));
            w.done(added, 0);
            assertTrue(w.groupInfo(0, group).superGroup());
            final Events.Push toAdded = only(added, 3, Events.Push.class);
            assertEquals(SystemEvent.MEMBER_ADDED, notice(toAdded.message()).systemEvent(),
                "the added member of a super group is told directly");
            assertEquals(w.changeHead(3), toAdded.changeSeq());

            w.done(w.apply(w.t.commands.removeMember(conn(0), w.nextCorrelationId(), group, id(3))), 0);
            assertFalse(w.groupInfo(0, group).superGroup());
            only(w.send(1, group, "small again"), 2, Events.Push.class);
        }
    }
}
