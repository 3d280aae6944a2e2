package io.banter.engine.domain;

import io.banter.codecs.ChangeKind;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.RelationList;
import io.banter.engine.EngineContext;
import io.banter.engine.fixture.Events;
import io.banter.engine.fixture.TestEngine;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.banter.engine.domain.World.conn;
import static io.banter.engine.domain.World.id;
import static io.banter.engine.domain.World.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relationship chain and the direct-message policy (default: friends only).
 */
final class RelationTest
{
    private static EngineContext friendsOnly()
    {
        return TestEngine.smallContext().strangersMayMessage(false);
    }

    private static Events.RelationsPage list(final World w, final int user, final RelationList list)
    {
        return (Events.RelationsPage)w.t.reply(w.apply(w.t.commands.relations(conn(user), 1, list, 0, 0)));
    }

    @Test
    void aRequestReachesAnOfflineUserThroughItsChangeStream()
    {
        try (World w = new World(2, friendsOnly()))
        {
            w.logout(1);
            w.done(w.apply(w.t.commands.friendRequest(conn(0), 1, id(1), "met at the meetup")), 0);
            w.login(1);
            final Events.SyncBatch sync = (Events.SyncBatch)w.t.reply(w.apply(w.t.commands.sync(conn(1), 1, 0, 10)));
            final Events.SyncEntry entry = sync.entries().get(0);
            assertEquals(ChangeKind.FRIEND_REQUEST, entry.kind());
            assertEquals(id(0), entry.userId());
            assertEquals("met at the meetup", entry.message().payload());
            assertEquals(List.of(new Events.Relation(id(0), false, "met at the meetup")),
                list(w, 1, RelationList.INCOMING).users());
            assertEquals(List.of(new Events.Relation(id(1), false, "met at the meetup")),
                list(w, 0, RelationList.OUTGOING).users());
        }
    }

    @Test
    void strangersAreRefusedUntilTheyAreFriends()
    {
        try (World w = new World(2, friendsOnly()))
        {
            w.rejected(0, w.t.commands.send(conn(0), 1, 0, id(1), new byte[]{ 'h' }), ErrorCode.NOT_FRIENDS);
            w.done(w.apply(w.t.commands.friendRequest(conn(0), 1, id(1), "")), 0);
            final List<Object> accepted = w.apply(w.t.commands.friendRespond(conn(1), 2, id(0), true));
            w.done(accepted, 1);
            final Events.RelationChanged told = only(accepted, 0, Events.RelationChanged.class);
            assertEquals(ChangeKind.FRIEND_ACCEPTED, told.kind());
            assertEquals(id(1), told.userId());
            only(w.sendDirect(0, 1, "now we talk"), 0, Events.SendAck.class);
            final Events.RelationsPage friends = list(w, 0, RelationList.FRIENDS);
            assertEquals(List.of(new Events.Relation(id(1), true, "")), friends.users(), "friends come with presence");
        }
    }

    @Test
    void mutualRequestsMakeFriendsAndDuplicatesAreRefused()
    {
        try (World w = new World(2, friendsOnly()))
        {
            w.done(w.apply(w.t.commands.friendRequest(conn(0), 1, id(1), "a")), 0);
            w.done(w.apply(w.t.commands.friendRequest(conn(1), 2, id(0), "b")), 1);
            assertTrue(w.t.engine.state().user(id(0)).isFriend(id(1)));
            assertEquals(0, list(w, 0, RelationList.OUTGOING).total());
            w.refused(0, w.t.commands.friendRequest(conn(0), 3, id(1), ""), ErrorCode.ALREADY_FRIENDS);
            w.refused(0, w.t.commands.friendRespond(conn(0), 4, id(1), true), ErrorCode.NO_SUCH_REQUEST);
            w.refused(0, w.t.commands.friendRequest(conn(0), 5, id(0), ""), ErrorCode.INVALID_RECIPIENT);
            w.refused(0, w.t.commands.friendRequest(conn(0), 6, 31337, ""), ErrorCode.UNKNOWN_USER);
        }
    }

    @Test
    void declineAndRemoveAreChangesForBothSides()
    {
        try (World w = new World(3, friendsOnly()))
        {
            w.done(w.apply(w.t.commands.friendRequest(conn(0), 1, id(1), "")), 0);
            final List<Object> declined = w.apply(w.t.commands.friendRespond(conn(1), 2, id(0), false));
            assertEquals(ChangeKind.FRIEND_DECLINED, only(declined, 0, Events.RelationChanged.class).kind());
            assertEquals(0, list(w, 1, RelationList.INCOMING).total());

            w.done(w.apply(w.t.commands.friendRequest(conn(0), 3, id(2), "")), 0);
            w.done(w.apply(w.t.commands.friendRespond(conn(2), 4, id(0), true)), 2);
            final List<Object> removed = w.apply(w.t.commands.removeFriend(conn(2), 5, id(0)));
            w.done(removed, 2);
            assertEquals(ChangeKind.FRIEND_REMOVED, only(removed, 0, Events.RelationChanged.class).kind());
            assertFalse(w.t.engine.state().user(id(0)).isFriend(id(2)));
            w.refused(2, w.t.commands.removeFriend(conn(2), 6, id(0)), ErrorCode.NOT_FRIENDS);
            w.rejected(0, w.t.commands.send(conn(0), 9, 0, id(2), new byte[]{ 'x' }), ErrorCode.NOT_FRIENDS);
        }
    }

    @Test
    void aBlockedUserCanNeitherMessageNorBefriendTheBlocker()
    {
        try (World w = new World(2))
        {
            w.done(w.apply(w.t.commands.friendRequest(conn(1), 1, id(0), "pending")), 1);
            w.done(w.apply(w.t.commands.block(conn(0), 2, id(1), true)), 0);
            assertEquals(0, list(w, 0, RelationList.INCOMING).total(), "blocking drops the pending request");
            assertEquals(List.of(id(1)), list(w, 0, RelationList.BLOCKED).users().stream().map(Events.Relation::userId)
                .toList());

            w.rejected(1, w.t.commands.send(conn(1), 1, 0, id(0), new byte[]{ 'h' }), ErrorCode.BLOCKED);
            w.refused(1, w.t.commands.friendRequest(conn(1), 3, id(0), ""), ErrorCode.BLOCKED);
            w.refused(0, w.t.commands.friendRequest(conn(0), 4, id(1), ""), ErrorCode.NOT_PERMITTED);

            w.done(w.apply(w.t.commands.block(conn(0), 5, id(1), false)), 0);
            only(w.sendDirect(1, 0, "hello again"), 1, Events.SendAck.class);
        }
    }

    @Test
    void pendingRequestsAreBounded()
    {
        try (World w = new World(4, friendsOnly().maxPendingFriendRequests(2)))
        {
            w.done(w.apply(w.t.commands.friendRequest(conn(0), 1, id(1), "")), 0);
            w.done(w.apply(w.t.commands.friendRequest(conn(0), 2, id(2), "")), 0);
            w.refused(0, w.t.commands.friendRequest(conn(0), 3, id(3), ""), ErrorCode.LIMIT_REACHED);
            w.refused(0, w.t.commands.friendRequest(conn(0), 4, id(1), "x".repeat(200)), ErrorCode.MALFORMED);
        }
    }
}
