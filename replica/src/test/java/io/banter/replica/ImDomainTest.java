package io.banter.replica;

import io.banter.access.client.BanterClient;
import io.banter.access.client.BanterException;
import io.banter.access.client.Change;
import io.banter.access.client.ChatMessage;
import io.banter.access.client.ClientState;
import io.banter.access.client.Done;
import io.banter.access.client.GroupInfo;
import io.banter.access.client.GroupNotice;
import io.banter.access.client.HistoryPage;
import io.banter.access.client.InboxEntry;
import io.banter.access.client.InboxPage;
import io.banter.access.client.Presence;
import io.banter.access.client.ReadState;
import io.banter.access.client.ReceiptPage;
import io.banter.access.client.RelationsPage;
import io.banter.codecs.ChangeKind;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.GroupRole;
import io.banter.codecs.Platform;
import io.banter.codecs.RelationList;
import io.banter.codecs.SystemEvent;
import io.banter.engine.EngineContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IM domain through the SDK, as an application uses it, against a one-member cluster with
 * the default relationship policy and a super-group threshold of 3 members, so both diffusion
 * paths run with a handful of clients.
 */
final class ImDomainTest
{
    private static final long WAIT_S = 10;
    private static final AtomicLong NAMES = new AtomicLong();

    @TempDir
    static File dataDir;

    private static TestCluster cluster;

    @BeforeAll
    static void start() throws InterruptedException
    {
        cluster = TestCluster.start(dataDir, 24_000, 1,
            () -> new EngineContext().hotTierEntries(100_000).superGroupThreshold(3));
    }

    @AfterAll
    static void stop()
    {
        cluster.close();
    }

    private static long user(final String name)
    {
        return cluster.addUser(name + NAMES.incrementAndGet());
    }

    @Test
    void friendsChatWithUnreadReceiptsRecallAndPresence() throws Exception
    {
        final long alice = user("alice");
        final long bob = user("bob");
        final RecordingListener aliceEvents = new RecordingListener();
        final RecordingListener bobPhoneEvents = new RecordingListener();
        final RecordingListener bobDesktopEvents = new RecordingListener();
        final BanterClient aliceClient = cluster.onlineClient(alice, 1, aliceEvents);
        final BanterClient bobPhone = cluster.client(
            cluster.clientContext(bob, 21, bobPhoneEvents).platform(Platform.MOBILE)).awaitOnline(WAIT_S, TimeUnit.SECONDS);

        // Not friends: the send is refused with the reason.
        final ExecutionException refused = assertThrows(ExecutionException.class,
            () -> aliceClient.sendText(bob, "hi").get(WAIT_S, TimeUnit.SECONDS));
        assertEquals(ErrorCode.NOT_FRIENDS, ((BanterException)refused.getCause()).code());

        aliceClient.requestFriend(bob, "from the conference").get(WAIT_S, TimeUnit.SECONDS);
        final Change request = (Change)bobPhoneEvents.await(
            e -> e instanceof Change c && c.kind() == ChangeKind.FRIEND_REQUEST, WAIT_S, TimeUnit.SECONDS);
        assertEquals(alice, request.userId());
        assertEquals("from the conference", request.note());
        final RelationsPage incoming = bobPhone.relations(RelationList.INCOMING, 0, 10).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(List.of(new RelationsPage.Relation(alice, false, "from the conference")), incoming.users());
        bobPhone.respondToFriendRequest(alice, true).get(WAIT_S, TimeUnit.SECONDS);
        aliceEvents.await(e -> e instanceof Change c && c.kind() == ChangeKind.FRIEND_ACCEPTED && c.userId() == bob,
            WAIT_S, TimeUnit.SECONDS);

        // Friends: messages flow, and unread counts follow reads on any device.
        for (int i = 1; i <= 3; i++)
        {
            aliceClient.sendText(bob, "message " + i).get(WAIT_S, TimeUnit.SECONDS);
        }
        bobPhoneEvents.awaitCount(3, WAIT_S, TimeUnit.SECONDS);
        final BanterClient bobDesktop = cluster.client(cluster.clientContext(bob, 22, bobDesktopEvents)
            .platform(Platform.DESKTOP)).awaitOnline(WAIT_S, TimeUnit.SECONDS);
        final InboxPage inbox = bobDesktop.inbox(0, 10).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(3, inbox.totalUnread());
        final InboxEntry direct = inbox.conversations().get(0);
        assertEquals(alice, direct.peerUserId());
        assertTrue(direct.peerOnline(), "the peer's presence is in the inbox");
        assertEquals(3, direct.unread());
        assertEquals("message 3", direct.previewText());

        final ReadState read = bobPhone.markRead(direct.conversationId(), 2).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(1, read.unread());
        assertEquals(1, read.totalUnread());
        final ReadState pushed = (ReadState)bobDesktopEvents.await(e -> e instanceof ReadState, WAIT_S, TimeUnit.SECONDS);
        assertEquals(1, pushed.unread());
        final Change receipt = (Change)aliceEvents.await(
            e -> e instanceof Change c && c.kind() == ChangeKind.READ && c.userId() == bob, WAIT_S, TimeUnit.SECONDS);
        assertEquals(2, receipt.seq());

        // Recall: a tombstone everywhere.
        aliceClient.recall(direct.conversationId(), 3).get(WAIT_S, TimeUnit.SECONDS);
        bobPhoneEvents.await(e -> e instanceof Change c && c.kind() == ChangeKind.RECALL && c.seq() == 3,
            WAIT_S, TimeUnit.SECONDS);
        final HistoryPage history = bobDesktop.history(direct.conversationId(), 0, 10).get(WAIT_S, TimeUnit.SECONDS);
        final ChatMessage tombstone = history.messages().get(0);
        assertEquals(3, tombstone.seq());
        assertTrue(tombstone.isRecalled());
        assertEquals(0, tombstone.payload().length);

        // Presence: friends are told when the last device goes and the first comes.
        bobPhone.close();
        bobDesktop.close();
        final Presence offline = (Presence)aliceEvents.await(
            e -> e instanceof Presence p && p.userId() == bob && !p.online(), WAIT_S, TimeUnit.SECONDS);
        assertFalse(offline.online());
        aliceClient.close();
    }

    @Test
    void groupsPushToSmallGroupsAndNotifySuperGroupsWhichPull() throws Exception
    {
        final long owner = user("owner");
        final long[] members = { user("m"), user("m"), user("m") };
        final RecordingListener ownerEvents = new RecordingListener();
        final BanterClient ownerClient = cluster.onlineClient(owner, 1, ownerEvents);
        final RecordingListener[] memberEvents = new RecordingListener[members.length];
        final BanterClient[] memberClients = new BanterClient[members.length];
        for (int i = 0; i < members.length; i++)
        {
            memberEvents[i] = new RecordingListener();
            memberClients[i] = cluster.onlineClient(members[i], 1, memberEvents[i]);
        }

        // Three members: a small group, every message pushed.
        final Done created = ownerClient.createGroup("crew", false, members[0], members[1])
            .get(WAIT_S, TimeUnit.SECONDS);
        final long group = created.conversationId();
        final ChatMessage notice = memberEvents[0].awaitCount(1, WAIT_S, TimeUnit.SECONDS).get(0);
        final GroupNotice createdNotice = GroupNotice.of(notice);
        assertNotNull(createdNotice);
        assertEquals(SystemEvent.GROUP_CREATED, createdNotice.event());
        assertEquals("owner created the group \"crew\"",
            createdNotice.render(id -> id == owner ? "owner" : String.valueOf(id)));

        final ExecutionException notAllowed = assertThrows(ExecutionException.class,
            () -> memberClients[0].addMembers(group, members[2]).get(WAIT_S, TimeUnit.SECONDS));
        assertEquals(ErrorCode.NOT_PERMITTED, ((BanterException)notAllowed.getCause()).code());

        memberClients[1].send(group, 0, 1, "small group".getBytes(StandardCharsets.UTF_8)).get(WAIT_S, TimeUnit.SECONDS);
        memberEvents[0].await(e -> e instanceof ChatMessage m && m.text().equals("small group"), WAIT_S, TimeUnit.SECONDS);
        ownerEvents.await(e -> e instanceof ChatMessage m && m.text().equals("small group"), WAIT_S, TimeUnit.SECONDS);

        // A fourth member makes it a super group: online members are notified and the SDK pulls.
        ownerClient.addMembers(group, members[2]).get(WAIT_S, TimeUnit.SECONDS);
        final GroupInfo info = ownerClient.groupInfo(group, 0, 10).get(WAIT_S, TimeUnit.SECONDS);
        assertTrue(info.superGroup());
        assertEquals(4, info.memberCount());
        assertEquals(owner, info.ownerUserId());
        memberClients[1].send(group, 0, 1, "super group".getBytes(StandardCharsets.UTF_8)).get(WAIT_S, TimeUnit.SECONDS);
        for (final RecordingListener events : new RecordingListener[]{ memberEvents[0], memberEvents[2], ownerEvents })
        {
            events.await(e -> e instanceof ChatMessage m && m.text().equals("super group"), WAIT_S, TimeUnit.SECONDS);
        }

        // Receipts on request: nobody but the sender has read it yet.
        final long superSeq = info.headSeq() + 1;
        final ReceiptPage receipts = ownerClient.receipts(group, superSeq, false, 0, 10).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(0, receipts.readCount());
        assertEquals(3, receipts.unreadCount());
        ownerClient.markRead(group, superSeq).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(1, ownerClient.receipts(group, superSeq, true, 0, 10).get(WAIT_S, TimeUnit.SECONDS).readCount());

        // Roles: ownership handed over, the old owner becomes an admin; leaving needs no ownership.
        ownerClient.setRole(group, members[0], GroupRole.OWNER).get(WAIT_S, TimeUnit.SECONDS);
        final GroupInfo handedOver = ownerClient.groupInfo(group, 0, 10).get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(members[0], handedOver.ownerUserId());
        ownerClient.leaveGroup(group).get(WAIT_S, TimeUnit.SECONDS);
        final ExecutionException gone = assertThrows(ExecutionException.class,
            () -> ownerClient.history(group, 0, 10).get(WAIT_S, TimeUnit.SECONDS));
        assertEquals(ErrorCode.NOT_A_MEMBER, ((BanterException)gone.getCause()).code());

        ownerClient.close();
        for (final BanterClient client : memberClients)
        {
            client.close();
        }
    }

    @Test
    void aSecondMobileLoginKicksTheFirstWhichStaysClosed() throws Exception
    {
        final long carol = user("carol");
        final RecordingListener firstEvents = new RecordingListener();
        final BanterClient firstPhone = cluster.client(cluster.clientContext(carol, 31, firstEvents)
            .platform(Platform.MOBILE)).awaitOnline(WAIT_S, TimeUnit.SECONDS);
        final BanterClient secondPhone = cluster.client(cluster.clientContext(carol, 32, new RecordingListener())
            .platform(Platform.MOBILE)).awaitOnline(WAIT_S, TimeUnit.SECONDS);

        final RecordingListener.Kicked kicked = (RecordingListener.Kicked)firstEvents.await(
            e -> e instanceof RecordingListener.Kicked, WAIT_S, TimeUnit.SECONDS);
        assertEquals(ErrorCode.KICKED_BY_POLICY, kicked.code());
        assertEquals(ClientState.CLOSED, firstPhone.state());
        Thread.sleep(500); // a client that logged in again would kick the second phone by now
        assertEquals(ClientState.ONLINE, secondPhone.state());
        assertInstanceOf(Presence.class, secondPhone.presence(carol).get(WAIT_S, TimeUnit.SECONDS));
        firstPhone.close();
        secondPhone.close();
    }
}
