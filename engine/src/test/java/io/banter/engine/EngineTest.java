package io.banter.engine;

import io.banter.codecs.CommandBatchEncoder;
import io.banter.codecs.ConversationKind;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.ListConversationsEncoder;
import io.banter.codecs.LookupUserEncoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.Platform;
import io.banter.codecs.SendEncoder;
import io.banter.codecs.SyncEncoder;
import io.banter.codecs.batch.BatchWriter;
import io.banter.engine.fixture.Events;
import io.banter.engine.fixture.RecordingOutput;
import io.banter.engine.fixture.TestEngine;
import io.banter.engine.snapshot.SnapshotLoader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.banter.engine.fixture.TestEngine.GATEWAY;
import static io.banter.engine.fixture.TestEngine.single;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineTest
{
    static final long ALICE = 0x3F2A_91C4_0B7E_5D11L;
    static final long BOB = 0x7C01_E3A9_5F42_8B02L;
    static final long CAROL = 0x1B9D_46F0_A2C7_3E03L;
    static final long ALICE_PHONE = 101;
    static final long ALICE_LAPTOP = 102;
    static final long BOB_PHONE = 201;
    static final long CAROL_PHONE = 301;
    static final long ALICE_CONN = 11;
    static final long ALICE_LAPTOP_CONN = 12;
    static final long BOB_CONN = 21;
    static final long CAROL_CONN = 31;

    final TestEngine t = new TestEngine();

    @AfterEach
    void close()
    {
        t.close();
    }

    void registerAll()
    {
        assertEquals(ErrorCode.NONE, t.register(ALICE, "alice").code());
        assertEquals(ErrorCode.NONE, t.register(BOB, "bob").code());
        assertEquals(ErrorCode.NONE, t.register(CAROL, "carol").code());
    }

    void loginAll()
    {
        registerAll();
        assertEquals(ErrorCode.NONE, t.login(ALICE_CONN, ALICE, ALICE_PHONE).code());
        assertEquals(ErrorCode.NONE, t.login(BOB_CONN, BOB, BOB_PHONE).code());
    }

    /**
     * Apply a command that must be refused: assert the reply and that the state hash did not move.
     */
    Object refused(final int commandLength)
    {
        final long before = t.engine.stateHash();
        final List<Object> events = t.apply(commandLength);
        assertEquals(before, t.engine.stateHash(), "a refused command changed state");
        final Object event = single(events);
        return event instanceof Events.Delivery delivery ? delivery.message() : event;
    }

    @Nested
    class Registration
    {
        @Test
        void registersUsersWithOpaqueIdsAndUniqueNames()
        {
            final Events.Admin result = t.register(ALICE, "alice");
            assertEquals(new Events.Admin(GATEWAY, ALICE, ErrorCode.NONE, ALICE, "alice"), result);
            assertEquals(1, t.engine.state().userCount());
            assertEquals(ALICE, t.engine.state().userIdByName("alice"));
        }

        @Test
        void refusesTakenIdsAndNames()
        {
            t.register(ALICE, "alice");
            assertEquals(ErrorCode.USER_EXISTS, ((Events.Admin)refused(t.commands.registerUser(1, ALICE, "other"))).code());
            final Events.Admin sameName = (Events.Admin)refused(t.commands.registerUser(2, BOB, "alice"));
            assertEquals(ErrorCode.USER_EXISTS, sameName.code());
            assertEquals("name is taken", sameName.text());
        }

        @Test
        void refusesBadNamesAndTheZeroId()
        {
            assertEquals(ErrorCode.INVALID_NAME, ((Events.Admin)refused(t.commands.registerUser(1, ALICE, ""))).code());
            assertEquals(ErrorCode.INVALID_NAME,
                ((Events.Admin)refused(t.commands.registerUser(1, ALICE, "has space"))).code());
            assertEquals(ErrorCode.INVALID_NAME,
                ((Events.Admin)refused(t.commands.registerUser(1, ALICE, "x".repeat(33)))).code());
            assertEquals(ErrorCode.MALFORMED, ((Events.Admin)refused(t.commands.registerUser(1, 0, "zero"))).code());
            assertEquals(0, t.engine.state().userCount());
        }

        @Test
        void refusesUsersBeyondTheLimit()
        {
            try (TestEngine small = new TestEngine(TestEngine.smallContext().maxUsers(1)))
            {
                assertEquals(ErrorCode.NONE, small.register(ALICE, "alice").code());
                assertEquals(ErrorCode.LIMIT_REACHED, small.register(BOB, "bob").code());
            }
        }
    }

    @Nested
    class Sessions
    {
        @Test
        void loginReportsTheSyncPositionsToResumeFrom()
        {
            registerAll();
            final Events.LoginResult result = t.login(ALICE_CONN, ALICE, ALICE_PHONE);
            assertEquals(new Events.LoginResult(1, ErrorCode.NONE, ALICE, ALICE_PHONE, 0, 0, ""), result);
            assertTrue(t.engine.state().user(ALICE).isOnline());
        }

        @Test
        void refusesUnknownUsersBadPlatformsAndZeroDevice()
        {
            registerAll();
            assertEquals(ErrorCode.UNKNOWN_USER, ((Events.LoginResult)refused(
                t.commands.deviceLogin(ALICE_CONN, 1, 999, ALICE_PHONE, Platform.WEB))).code());
            assertEquals(ErrorCode.MALFORMED, ((Events.LoginResult)refused(
                t.commands.deviceLogin(ALICE_CONN, 1, ALICE, 0, Platform.WEB))).code());
            final int length = t.commands.deviceLogin(ALICE_CONN, 1, ALICE, ALICE_PHONE, Platform.WEB);
            t.commands.buffer().putByte(length - 1, (byte)77); // platform is the last field
            final Events.LoginResult badPlatform = (Events.LoginResult)refused(length);
            assertEquals(ErrorCode.MALFORMED, badPlatform.code());
            assertEquals("platform must be MOBILE (1), DESKTOP (2) or WEB (3), not 77", badPlatform.text());
        }

        @Test
        void refusesASecondLoginOnTheSameConnection()
        {
            loginAll();
            final Events.LoginResult again = (Events.LoginResult)refused(
                t.commands.deviceLogin(ALICE_CONN, 1, ALICE, ALICE_LAPTOP, Platform.DESKTOP));
            assertEquals(ErrorCode.ALREADY_LOGGED_IN, again.code());
        }

        @Test
        void refusesDevicesBeyondTheLimit()
        {
            registerAll();
            for (int i = 1; i <= 4; i++)
            {
                assertEquals(ErrorCode.NONE, t.login(100 + i, ALICE, 1000 + i).code());
            }
            assertEquals(ErrorCode.TOO_MANY_DEVICES, ((Events.LoginResult)refused(
                t.commands.deviceLogin(200, 1, ALICE, 2000, Platform.WEB))).code());
            // A known device may always come back.
            t.apply(t.commands.connectionClosed(101));
            assertEquals(ErrorCode.NONE, t.login(300, ALICE, 1001).code());
        }

        @Test
        void aDeviceLoggingInAgainReplacesItsOldConnection()
        {
            loginAll();
            final List<Object> events = t.apply(t.commands.deviceLogin(99, 5, ALICE, ALICE_PHONE, Platform.MOBILE));
            assertEquals(2, events.size());
            final Events.Delivery toOld = (Events.Delivery)events.get(0);
            assertTrue(toOld.isFor(GATEWAY, ALICE_CONN));
            final Events.Kicked kicked = (Events.Kicked)toOld.message();
            assertEquals(ErrorCode.SESSION_REPLACED, kicked.code());
            assertEquals(ALICE_PHONE, kicked.byDeviceId());
            assertTrue(((Events.Delivery)events.get(1)).isFor(GATEWAY, 99));
            assertEquals(1, t.engine.state().user(ALICE).onlineDevices());
            assertEquals(null, t.engine.state().deviceOn(GATEWAY, ALICE_CONN));
        }

        @Test
        void presenceIsOnlineWhileAnyDeviceIsConnected()
        {
            loginAll();
            t.login(ALICE_LAPTOP_CONN, ALICE, ALICE_LAPTOP, Platform.DESKTOP);
            assertEquals(new Events.Presence(4, ALICE, true, 2), t.reply(t.apply(t.commands.presenceQuery(BOB_CONN, 4, ALICE))));

            t.apply(t.commands.connectionClosed(ALICE_CONN));
            assertEquals(new Events.Presence(5, ALICE, true, 1), t.reply(t.apply(t.commands.presenceQuery(BOB_CONN, 5, ALICE))));

            t.apply(t.commands.logout(ALICE_LAPTOP_CONN, 1));
            assertEquals(new Events.Presence(6, ALICE, false, 0), t.reply(t.apply(t.commands.presenceQuery(BOB_CONN, 6, ALICE))));
        }

        @Test
        void losingAGatewayTakesAllItsDevicesOffline()
        {
            registerAll();
            t.login(ALICE_CONN, ALICE, ALICE_PHONE);
            t.apply(8, t.commands.deviceLogin(BOB_CONN, 1, BOB, BOB_PHONE, Platform.MOBILE));
            t.apply(t.commands.gatewayLost(GATEWAY));
            assertFalse(t.engine.state().user(ALICE).isOnline());
            assertTrue(t.engine.state().user(BOB).isOnline(), "a device on another gateway stays online");
        }

        @Test
        void presenceOfAnUnknownUserIsAnError()
        {
            loginAll();
            final Events.Error error = (Events.Error)refused(t.commands.presenceQuery(BOB_CONN, 3, 12345));
            assertEquals(new Events.Error(3, ErrorCode.UNKNOWN_USER, 15, "no such user"), error);
        }

        @Test
        void requestsFromAConnectionThatIsNotLoggedInAreRefused()
        {
            registerAll();
            assertEquals(ErrorCode.NOT_LOGGED_IN,
                ((Events.SendRejected)refused(t.commands.send(ALICE_CONN, 1, 0, BOB, "hi".getBytes()))).code());
            assertEquals(ErrorCode.NOT_LOGGED_IN, ((Events.Error)refused(t.commands.sync(ALICE_CONN, 2, 0, 10))).code());
            assertEquals(ErrorCode.NOT_LOGGED_IN, ((Events.Error)refused(t.commands.syncAck(ALICE_CONN, 0))).code());
            assertEquals(ErrorCode.NOT_LOGGED_IN,
                ((Events.Error)refused(t.commands.history(ALICE_CONN, 3, 1, 0, 10))).code());
            assertEquals(ErrorCode.NOT_LOGGED_IN, ((Events.Error)refused(t.commands.logout(ALICE_CONN, 4))).code());
        }
    }

    @Nested
    class Sending
    {
        @Test
        void aFirstMessageOpensTheDirectConversationAndIsAckedAndPushed()
        {
            loginAll();
            final List<Object> events = t.sendTo(ALICE_CONN, 1, BOB, "hello bob");
            assertEquals(2, events.size());

            final Events.SendAck ack = t.ack(events);
            assertEquals(new Events.SendAck(1, ack.conversationId(), 1, 1, 1, t.now(), false), ack);
            assertTrue(((Events.Delivery)events.get(0)).isFor(GATEWAY, ALICE_CONN));

            final Events.Delivery push = (Events.Delivery)events.get(1);
            assertArrayEquals(new long[]{ BOB_CONN }, push.connectionIds());
            assertEquals(new Events.Push(1, new Events.Message(ack.conversationId(), 1, 1, ALICE, ALICE_PHONE, 1,
                t.now(), 1, "hello bob")), push.message());
        }

        @Test
        void theUnorderedPairMapsToOneConversationFromEitherSide()
        {
            loginAll();
            final long fromAlice = t.ack(t.sendTo(ALICE_CONN, 1, BOB, "a")).conversationId();
            final long fromBob = t.ack(t.sendTo(BOB_CONN, 1, ALICE, "b")).conversationId();
            assertEquals(fromAlice, fromBob);
            final Events.SendAck second = t.ack(t.sendIn(BOB_CONN, 2, fromAlice, "c"));
            assertEquals(3, second.seq());

            t.login(CAROL_CONN, CAROL, CAROL_PHONE);
            final long aliceCarol = t.ack(t.sendTo(CAROL_CONN, 1, ALICE, "d")).conversationId();
            assertNotEquals(fromAlice, aliceCarol);
            assertEquals(2, t.ack(t.sendIn(ALICE_CONN, 2, aliceCarol, "e")).seq());
        }

        @Test
        void sequencesAreContinuousPerConversationAndChangeSequencesPerUser()
        {
            loginAll();
            t.login(CAROL_CONN, CAROL, CAROL_PHONE);
            long aliceChange = 0;
            for (int i = 1; i <= 5; i++)
            {
                final Events.SendAck toBob = t.ack(t.sendTo(ALICE_CONN, 2 * i, BOB, "b" + i));
                final Events.SendAck toCarol = t.ack(t.sendTo(ALICE_CONN, 2 * i + 1, CAROL, "c" + i));
                assertEquals(i, toBob.seq());
                assertEquals(i, toCarol.seq());
                assertEquals(++aliceChange, toBob.changeSeq());
                assertEquals(++aliceChange, toCarol.changeSeq());
            }
            assertEquals(10, t.engine.state().user(ALICE).changes().head());
            assertEquals(5, t.engine.state().user(BOB).changes().head());
        }

        @Test
        void messageIdsAreUniqueAndMonotonicAcrossConversations()
        {
            loginAll();
            t.login(CAROL_CONN, CAROL, CAROL_PHONE);
            long last = 0;
            for (int i = 1; i <= 6; i++)
            {
                final long to = i % 2 == 0 ? BOB : CAROL;
                final long id = t.ack(t.sendTo(ALICE_CONN, i, to, "m")).messageId();
                assertTrue(id > last);
                last = id;
            }
        }

        @Test
        void theSendersOtherDevicesReceiveTheMessageButNotTheSendingDevice()
        {
            loginAll();
            t.login(ALICE_LAPTOP_CONN, ALICE, ALICE_LAPTOP, Platform.DESKTOP);
            final List<Object> events = t.sendTo(ALICE_CONN, 1, BOB, "sync me");
            assertEquals(3, events.size());
            assertEquals(1, RecordingOutput.messagesFor(events, GATEWAY, BOB_CONN).size());
            final List<Object> toLaptop = RecordingOutput.messagesFor(events, GATEWAY, ALICE_LAPTOP_CONN);
            assertEquals(1, toLaptop.size());
            assertEquals(1, ((Events.Push)toLaptop.get(0)).changeSeq());
            assertEquals(1, RecordingOutput.messagesFor(events, GATEWAY, ALICE_CONN).size(), "the sending device gets the ack only");
        }

        @Test
        void oneEventPerGatewayNamesAllOfItsConnections()
        {
            loginAll();
            t.login(ALICE_LAPTOP_CONN, ALICE, ALICE_LAPTOP, Platform.DESKTOP);
            t.apply(9, t.commands.deviceLogin(55, 1, BOB, 202, Platform.DESKTOP));
            t.apply(9, t.commands.deviceLogin(56, 1, BOB, 203, Platform.WEB));
            final List<Object> events = t.sendTo(ALICE_CONN, 1, BOB, "fan out");
            // ack, Alice's laptop, Bob on gateway 7 (one device), Bob on gateway 9 (two): members
            // in id order, gateways in id order.
            assertEquals(4, events.size());
            assertArrayEquals(new long[]{ ALICE_LAPTOP_CONN }, ((Events.Delivery)events.get(1)).connectionIds());
            final Events.Delivery bobHere = (Events.Delivery)events.get(2);
            final Events.Delivery bobThere = (Events.Delivery)events.get(3);
            assertEquals(GATEWAY, bobHere.gatewayId());
            assertArrayEquals(new long[]{ BOB_CONN }, bobHere.connectionIds());
            assertEquals(9, bobThere.gatewayId());
            assertArrayEquals(new long[]{ 55, 56 }, bobThere.connectionIds());
        }

        @Test
        void offlineRecipientsGetNoPushButTheMessageIsStored()
        {
            registerAll();
            t.login(ALICE_CONN, ALICE, ALICE_PHONE);
            final List<Object> events = t.sendTo(ALICE_CONN, 1, BOB, "later");
            assertEquals(1, events.size());
            assertEquals(1, t.engine.state().messageStore().size());
            assertEquals(1, t.engine.state().user(BOB).changes().head());
        }

        @Test
        void aRetryReturnsTheOriginalAckAndStoresNothing()
        {
            loginAll();
            final Events.SendAck original = t.ack(t.sendTo(ALICE_CONN, 1, BOB, "once"));
            t.sendTo(ALICE_CONN, 2, BOB, "twice");
            final long hash = t.engine.stateHash();

            final List<Object> retry = t.sendTo(ALICE_CONN, 1, BOB, "once");
            assertEquals(1, retry.size(), "a retry is acked only, never pushed again");
            final Events.SendAck again = t.ack(retry);
            assertTrue(again.duplicate());
            assertEquals(original.messageId(), again.messageId());
            assertEquals(original.seq(), again.seq());
            assertEquals(original.changeSeq(), again.changeSeq());
            assertEquals(original.timestamp(), again.timestamp());
            assertEquals(hash, t.engine.stateHash());
            assertEquals(2, t.engine.state().messageStore().size());
        }

        @Test
        void aRetryFromTheSameDeviceOnANewConnectionIsStillDeduplicated()
        {
            loginAll();
            final Events.SendAck original = t.ack(t.sendTo(ALICE_CONN, 9, BOB, "x"));
            t.apply(t.commands.connectionClosed(ALICE_CONN));
            t.login(77, ALICE, ALICE_PHONE);
            final Events.SendAck again = t.ack(t.sendTo(77, 9, BOB, "x"));
            assertTrue(again.duplicate());
            assertEquals(original.messageId(), again.messageId());
        }

        @Test
        void anIdBelowTheLastThatIsNotRememberedIsRefused()
        {
            loginAll();
            t.sendTo(ALICE_CONN, 10, BOB, "ten");
            final Events.SendRejected stale = (Events.SendRejected)refused(
                t.commands.send(ALICE_CONN, 5, 0, BOB, "five".getBytes()));
            assertEquals(ErrorCode.STALE_CLIENT_MSG_ID, stale.code());

            for (int i = 11; i <= 30; i++)
            {
                t.sendTo(ALICE_CONN, i, BOB, "m" + i);
            }
            assertEquals(ErrorCode.STALE_CLIENT_MSG_ID, ((Events.SendRejected)refused(
                t.commands.send(ALICE_CONN, 10, 0, BOB, "ten".getBytes()))).code(),
                "beyond the window of 8 the original ack is forgotten");
        }

        @Test
        void badSendsAreRefusedWithTheirReason()
        {
            loginAll();
            final long conversation = t.ack(t.sendTo(ALICE_CONN, 1, BOB, "hi")).conversationId();
            t.login(CAROL_CONN, CAROL, CAROL_PHONE);

            assertRejected(ErrorCode.MALFORMED, t.commands.send(ALICE_CONN, 0, 0, BOB, "x".getBytes()));
            assertRejected(ErrorCode.MALFORMED, t.commands.send(ALICE_CONN, 5, 0, 0, "x".getBytes()));
            assertRejected(ErrorCode.PAYLOAD_TOO_LARGE, t.commands.send(ALICE_CONN, 5, 0, BOB, new byte[4097]));
            assertRejected(ErrorCode.UNKNOWN_CONVERSATION, t.commands.send(ALICE_CONN, 5, 424242, 0, "x".getBytes()));
            assertRejected(ErrorCode.NOT_A_MEMBER, t.commands.send(CAROL_CONN, 5, conversation, 0, "x".getBytes()));
            assertRejected(ErrorCode.UNKNOWN_USER, t.commands.send(ALICE_CONN, 5, 0, 999, "x".getBytes()));
            assertRejected(ErrorCode.INVALID_RECIPIENT, t.commands.send(ALICE_CONN, 5, 0, ALICE, "x".getBytes()));

            // The device can go on sending with the id the refused sends used.
            assertEquals(2, t.ack(t.sendIn(ALICE_CONN, 5, conversation, "ok")).seq());
        }

        @Test
        void aMaximumSizePayloadIsAccepted()
        {
            loginAll();
            final Events.SendAck ack = t.ack(t.apply(t.commands.send(ALICE_CONN, 1, 0, BOB, new byte[4096])));
            assertEquals(1, ack.seq());
        }

        @Test
        void aFullStoreRefusesSendsAndKeepsWhatItHas()
        {
            try (TestEngine tiny = new TestEngine(TestEngine.smallContext().hotTierEntries(3)))
            {
                tiny.register(ALICE, "alice");
                tiny.register(BOB, "bob");
                tiny.login(ALICE_CONN, ALICE, ALICE_PHONE);
                for (int i = 1; i <= 3; i++)
                {
                    assertInstanceOf(Events.SendAck.class, ((Events.Delivery)tiny.sendTo(ALICE_CONN, i, BOB, "m").get(0)).message());
                }
                final long hash = tiny.engine.stateHash();
                final Object rejected = ((Events.Delivery)single(tiny.sendTo(ALICE_CONN, 4, BOB, "m"))).message();
                assertEquals(ErrorCode.HOT_TIER_FULL, ((Events.SendRejected)rejected).code());
                assertEquals(hash, tiny.engine.stateHash());
            }
        }

        @Test
        void conversationsPerUserAreBounded()
        {
            try (TestEngine small = new TestEngine(TestEngine.smallContext().maxConversationsPerUser(1)))
            {
                small.register(ALICE, "alice");
                small.register(BOB, "bob");
                small.register(CAROL, "carol");
                small.login(ALICE_CONN, ALICE, ALICE_PHONE);
                small.sendTo(ALICE_CONN, 1, BOB, "first");
                final Object rejected = ((Events.Delivery)single(small.sendTo(ALICE_CONN, 2, CAROL, "m"))).message();
                assertEquals(ErrorCode.LIMIT_REACHED, ((Events.SendRejected)rejected).code());
                assertEquals(2, small.ack(small.sendTo(ALICE_CONN, 3, BOB, "still fine")).seq());
            }
        }

        private void assertRejected(final ErrorCode code, final int length)
        {
            final Events.SendRejected rejected = (Events.SendRejected)refused(length);
            assertEquals(code, rejected.code(), rejected.text());
            assertFalse(rejected.text().isEmpty());
        }
    }

    @Nested
    class Syncing
    {
        @Test
        void syncReturnsEverythingAfterAPositionInPages()
        {
            loginAll();
            for (int i = 1; i <= 7; i++)
            {
                t.sendTo(ALICE_CONN, i, BOB, "m" + i);
            }
            final Events.SyncBatch first = (Events.SyncBatch)t.reply(t.apply(t.commands.sync(BOB_CONN, 1, 0, 3)));
            assertEquals(List.of(1L, 2L, 3L), first.entries().stream().map(Events.SyncEntry::changeSeq).toList());
            assertTrue(first.hasMore());
            assertEquals(7, first.headChangeSeq());
            assertEquals("m1", first.entries().get(0).message().payload());

            final Events.SyncBatch last = (Events.SyncBatch)t.reply(t.apply(t.commands.sync(BOB_CONN, 2, 6, 3)));
            assertEquals(1, last.entries().size());
            assertEquals(7, last.entries().get(0).changeSeq());
            assertEquals(7, last.entries().get(0).message().seq());
            assertFalse(last.hasMore());

            final Events.SyncBatch empty = (Events.SyncBatch)t.reply(t.apply(t.commands.sync(BOB_CONN, 3, 7, 3)));
            assertTrue(empty.entries().isEmpty());
            assertFalse(empty.hasMore());
        }

        @Test
        void pagesStopAtTheByteBudget()
        {
            loginAll();
            final byte[] big = new byte[4000];
            for (int i = 1; i <= 20; i++)
            {
                t.apply(t.commands.send(ALICE_CONN, i, 0, BOB, big));
            }
            final Events.SyncBatch page = (Events.SyncBatch)t.reply(t.apply(t.commands.sync(BOB_CONN, 1, 0, 0)));
            assertEquals(15, page.entries().size(), "60 KiB holds 15 messages of 4,000 bytes");
            assertTrue(page.hasMore());
        }

        @Test
        void aDeviceBehindTheRetainedLogIsToldWhereTheLogStarts()
        {
            loginAll();
            for (int i = 1; i <= 70; i++)
            {
                t.sendTo(ALICE_CONN, i, BOB, "m" + i);
            }
            final Events.SyncBatch page = (Events.SyncBatch)t.reply(t.apply(t.commands.sync(BOB_CONN, 1, 0, 0)));
            assertEquals(7, page.oldestChangeSeq(), "64 of 70 changes are retained");
            assertEquals(7, page.entries().get(0).changeSeq());
        }

        @Test
        void syncBeyondTheHeadIsAnError()
        {
            loginAll();
            assertEquals(ErrorCode.MALFORMED, ((Events.Error)refused(t.commands.sync(BOB_CONN, 5, 1, 10))).code());
            assertEquals(ErrorCode.MALFORMED, ((Events.Error)refused(t.commands.sync(BOB_CONN, 5, -1, 10))).code());
        }

        @Test
        void ackIsCumulativeAndNeverMovesBackwards()
        {
            loginAll();
            for (int i = 1; i <= 5; i++)
            {
                t.sendTo(ALICE_CONN, i, BOB, "m" + i);
            }
            assertTrue(t.apply(t.commands.syncAck(BOB_CONN, 4)).isEmpty());
            assertTrue(t.apply(t.commands.syncAck(BOB_CONN, 2)).isEmpty());
            assertEquals(4, t.engine.state().user(BOB).findDevice(BOB_PHONE).ackedChangeSeq());
            assertEquals(ErrorCode.INVALID_ACK, ((Events.Error)refused(t.commands.syncAck(BOB_CONN, 6))).code());
            assertEquals(ErrorCode.MALFORMED, ((Events.Error)refused(t.commands.syncAck(BOB_CONN, -1))).code());

            t.apply(t.commands.connectionClosed(BOB_CONN));
            assertEquals(4, t.login(99, BOB, BOB_PHONE).ackedChangeSeq());
        }

        @Test
        void historyPagesBackwardsFromTheHead()
        {
            loginAll();
            long conversation = 0;
            for (int i = 1; i <= 5; i++)
            {
                conversation = t.ack(t.sendTo(ALICE_CONN, i, BOB, "m" + i)).conversationId();
            }
            final Events.HistoryBatch newest = (Events.HistoryBatch)t.reply(
                t.apply(t.commands.history(BOB_CONN, 1, conversation, 0, 2)));
            assertEquals(List.of(5L, 4L), newest.messages().stream().map(Events.Message::seq).toList());
            assertTrue(newest.hasMore());
            assertEquals(5, newest.headSeq());

            final Events.HistoryBatch older = (Events.HistoryBatch)t.reply(
                t.apply(t.commands.history(BOB_CONN, 2, conversation, 4, 10)));
            assertEquals(List.of(3L, 2L, 1L), older.messages().stream().map(Events.Message::seq).toList());
            assertEquals("m1", older.messages().get(2).payload());
            assertFalse(older.hasMore());
        }

        @Test
        void historyOfAConversationOneIsNotInIsRefused()
        {
            loginAll();
            final long conversation = t.ack(t.sendTo(ALICE_CONN, 1, BOB, "private")).conversationId();
            t.login(CAROL_CONN, CAROL, CAROL_PHONE);
            assertEquals(ErrorCode.NOT_A_MEMBER,
                ((Events.Error)refused(t.commands.history(CAROL_CONN, 1, conversation, 0, 10))).code());
            assertEquals(ErrorCode.UNKNOWN_CONVERSATION,
                ((Events.Error)refused(t.commands.history(CAROL_CONN, 1, 777, 0, 10))).code());
            assertEquals(ErrorCode.MALFORMED,
                ((Events.Error)refused(t.commands.history(BOB_CONN, 1, conversation, -3, 10))).code());
        }
    }

    @Nested
    class Queries
    {
        static final long DAVE = 0x0000_0000_0000_0004L;
        static final long ERIN = 0x7FFF_FFFF_FFFF_FF05L;
        static final int LIST_CONVERSATIONS = ListConversationsEncoder.TEMPLATE_ID;
        static final int LOOKUP_USER = LookupUserEncoder.TEMPLATE_ID;

        /**
         * Apply a query: it must answer exactly the asking connection and leave the state hash alone.
         */
        Object query(final TestEngine engine, final long connectionId, final int commandLength)
        {
            final long before = engine.engine.stateHash();
            final List<Object> events = engine.apply(commandLength);
            assertEquals(before, engine.engine.stateHash(), "a query changed state");
            final Events.Delivery delivery = (Events.Delivery)single(events);
            assertArrayEquals(new long[]{ connectionId }, delivery.connectionIds());
            assertEquals(GATEWAY, delivery.gatewayId());
            return delivery.message();
        }

        Object query(final long connectionId, final int commandLength)
        {
            return query(t, connectionId, commandLength);
        }

        Events.ConversationList list(final long connectionId, final long correlationId, final long after, final int max)
        {
            final Events.ConversationList list = (Events.ConversationList)query(
                connectionId, t.commands.listConversations(connectionId, correlationId, after, max));
            assertEquals(correlationId, list.correlationId());
            return list;
        }

        Events.UserInfo lookup(final long connectionId, final long correlationId, final long userId, final String name)
        {
            return (Events.UserInfo)query(connectionId, t.commands.lookupUser(connectionId, correlationId, userId, name));
        }

        static List<Long> ids(final Events.ConversationList list)
        {
            return list.conversations().stream().map(Events.ConversationEntry::conversationId).toList();
        }

        /**
         * Alice talks to Carol (1), Bob (2), Dave (4) and Erin (5); Bob and Carol have 3. Returns
         * the timestamp of the last message in each of Alice's conversations, by conversation id.
         */
        long[] aliceTalksToEveryone()
        {
            loginAll();
            assertEquals(ErrorCode.NONE, t.register(DAVE, "dave").code());
            assertEquals(ErrorCode.NONE, t.register(ERIN, "erin").code());
            t.login(CAROL_CONN, CAROL, CAROL_PHONE);
            final long[] last = new long[6];
            assertEquals(1, t.ack(t.sendTo(ALICE_CONN, 1, CAROL, "c1")).conversationId());
            last[1] = t.now();
            assertEquals(2, t.ack(t.sendTo(ALICE_CONN, 2, BOB, "b1")).conversationId());
            assertEquals(3, t.ack(t.sendTo(BOB_CONN, 1, CAROL, "bc")).conversationId());
            assertEquals(2, t.ack(t.sendTo(BOB_CONN, 2, ALICE, "b2")).seq());
            last[2] = t.now();
            assertEquals(4, t.ack(t.sendTo(ALICE_CONN, 3, DAVE, "d1")).conversationId());
            assertEquals(5, t.ack(t.sendTo(ALICE_CONN, 4, ERIN, "e1")).conversationId());
            last[5] = t.now();
            assertEquals(2, t.ack(t.sendTo(ALICE_CONN, 5, DAVE, "d2")).seq());
            assertEquals(3, t.ack(t.sendTo(ALICE_CONN, 6, DAVE, "d3")).seq());
            last[4] = t.now();
            return last;
        }

        @Test
        void listsTheUsersConversationsInIdOrderInPages()
        {
            final long[] last = aliceTalksToEveryone();

            final Events.ConversationList first = list(ALICE_CONN, 1, 0, 2);
            assertEquals(List.of(
                new Events.ConversationEntry(1, ConversationKind.DIRECT, CAROL, 1, last[1]),
                new Events.ConversationEntry(2, ConversationKind.DIRECT, BOB, 2, last[2])), first.conversations());
            assertTrue(first.hasMore());

            final Events.ConversationList second = list(ALICE_CONN, 2, 2, 2);
            assertEquals(List.of(
                new Events.ConversationEntry(4, ConversationKind.DIRECT, DAVE, 3, last[4]),
                new Events.ConversationEntry(5, ConversationKind.DIRECT, ERIN, 1, last[5])), second.conversations());
            assertFalse(second.hasMore());

            assertEquals(List.of(2L, 4L, 5L), ids(list(ALICE_CONN, 3, 1, 0)), "0 entries means the configured maximum");
            assertEquals(List.of(4L, 5L), ids(list(ALICE_CONN, 4, 3, 0)), "an id the user is not in is a valid cursor");
            final Events.ConversationList one = list(ALICE_CONN, 5, 4, 1);
            assertEquals(List.of(5L), ids(one));
            assertFalse(one.hasMore(), "nothing is left after the last conversation");

            final Events.ConversationList bobs = list(BOB_CONN, 6, 0, 0);
            assertEquals(List.of(
                new Events.ConversationEntry(2, ConversationKind.DIRECT, ALICE, 2, last[2]),
                new Events.ConversationEntry(3, ConversationKind.DIRECT, CAROL, 1, last[2] - 1)), bobs.conversations());
            assertEquals(List.of(1L, 3L), ids(list(CAROL_CONN, 7, 0, 0)));
        }

        @Test
        void aUserWithNoConversationsGetsAnEmptyList()
        {
            loginAll();
            final Events.ConversationList empty = list(ALICE_CONN, 9, 0, 10);
            assertEquals(new Events.ConversationList(9, false, List.of()), empty);

            t.sendTo(ALICE_CONN, 1, BOB, "hi");
            assertEquals(new Events.ConversationList(10, false, List.of()), list(ALICE_CONN, 10, 1, 10));
            assertEquals(new Events.ConversationList(11, false, List.of()), list(ALICE_CONN, 11, Long.MAX_VALUE, 0));
        }

        @Test
        void aNegativeCursorIsRefused()
        {
            loginAll();
            final Events.Error error = (Events.Error)refused(t.commands.listConversations(ALICE_CONN, 3, -1, 10));
            assertEquals(new Events.Error(3, ErrorCode.MALFORMED, LIST_CONVERSATIONS,
                "afterConversationId must not be negative"), error);
        }

        @Test
        void listPagesAreBoundedByTheSyncMaximumAndTheByteBudget()
        {
            // 272 bytes hold 8 entries of 33 bytes; the sync maximum is 5.
            final int peers = 10;
            for (final int maxSyncEntries : new int[]{ 5, 256 })
            {
                final int expectedPage = Math.min(maxSyncEntries, 272 / 33);
                try (TestEngine small = new TestEngine(TestEngine.smallContext()
                    .maxPayloadLength(8).maxPageBytes(272).maxSyncEntries(maxSyncEntries)))
                {
                    small.register(ALICE, "alice");
                    small.login(ALICE_CONN, ALICE, ALICE_PHONE);
                    for (int i = 1; i <= peers; i++)
                    {
                        small.register(1000 + i, "peer" + i);
                        assertEquals(i, small.ack(small.sendTo(ALICE_CONN, i, 1000 + i, "x")).conversationId());
                    }

                    final List<Long> all = new ArrayList<>();
                    long after = 0;
                    int pages = 0;
                    while (true)
                    {
                        final Events.ConversationList page = (Events.ConversationList)query(
                            small, ALICE_CONN, small.commands.listConversations(ALICE_CONN, pages, after, 1000));
                        pages++;
                        assertEquals(all.size() + expectedPage <= peers ? expectedPage : peers - all.size(),
                            page.conversations().size());
                        for (final Events.ConversationEntry entry : page.conversations())
                        {
                            all.add(entry.conversationId());
                            assertEquals(1000 + entry.conversationId(), entry.peerUserId());
                        }
                        if (!page.hasMore())
                        {
                            break;
                        }
                        after = all.get(all.size() - 1);
                    }
                    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), all);
                    assertEquals((peers + expectedPage - 1) / expectedPage, pages);
                }
            }
        }

        @Test
        void theListSurvivesASnapshot()
        {
            aliceTalksToEveryone();
            final Events.ConversationList original = list(ALICE_CONN, 1, 0, 0);
            final List<byte[]> chunks = new ArrayList<>();
            t.engine.takeSnapshot((buffer, offset, length) ->
            {
                final byte[] chunk = new byte[length];
                buffer.getBytes(offset, chunk);
                chunks.add(chunk);
            });
            try (TestEngine restored = new TestEngine())
            {
                final SnapshotLoader loader = restored.engine.snapshotLoader();
                for (final byte[] chunk : chunks)
                {
                    loader.onChunk(new UnsafeBuffer(chunk), 0, chunk.length);
                }
                assertTrue(loader.isComplete());
                assertEquals(original, query(restored, ALICE_CONN, restored.commands.listConversations(ALICE_CONN, 1, 0, 0)));
            }
        }

        @Test
        void looksUpUsersByIdWithTheirPresence()
        {
            loginAll();
            assertEquals(new Events.UserInfo(1, ErrorCode.NONE, ALICE, true, "alice"), lookup(BOB_CONN, 1, ALICE, ""));
            assertEquals(new Events.UserInfo(2, ErrorCode.NONE, CAROL, false, "carol"), lookup(BOB_CONN, 2, CAROL, ""));
            assertEquals(new Events.UserInfo(3, ErrorCode.NONE, BOB, true, "bob"), lookup(BOB_CONN, 3, BOB, ""));
            assertEquals(new Events.UserInfo(4, ErrorCode.NONE, ALICE, true, "alice"), lookup(BOB_CONN, 4, ALICE, "carol"),
                "a non-zero id wins over the name");

            t.login(CAROL_CONN, CAROL, CAROL_PHONE);
            assertTrue(lookup(BOB_CONN, 5, CAROL, "").online());
            t.apply(t.commands.logout(CAROL_CONN, 1));
            assertFalse(lookup(BOB_CONN, 6, CAROL, "").online());
        }

        @Test
        void looksUpUsersByName()
        {
            loginAll();
            assertEquals(new Events.UserInfo(7, ErrorCode.NONE, CAROL, false, "carol"), lookup(ALICE_CONN, 7, 0, "carol"));
            assertEquals(new Events.UserInfo(8, ErrorCode.NONE, BOB, true, "bob"), lookup(ALICE_CONN, 8, 0, "bob"));
            t.apply(t.commands.connectionClosed(BOB_CONN));
            assertEquals(new Events.UserInfo(9, ErrorCode.NONE, BOB, false, "bob"), lookup(ALICE_CONN, 9, 0, "bob"));
        }

        @Test
        void unknownUsersAndBadNamesAreAnsweredWithACode()
        {
            loginAll();
            assertEquals(new Events.UserInfo(1, ErrorCode.UNKNOWN_USER, 12345, false, ""), lookup(ALICE_CONN, 1, 12345, ""));
            assertEquals(new Events.UserInfo(2, ErrorCode.UNKNOWN_USER, 0, false, ""), lookup(ALICE_CONN, 2, 0, "nobody"));
            assertEquals(new Events.UserInfo(3, ErrorCode.UNKNOWN_USER, 0, false, ""), lookup(ALICE_CONN, 3, 0, "Alice"),
                "names are case-sensitive");
            assertEquals(new Events.UserInfo(4, ErrorCode.INVALID_NAME, 0, false, ""), lookup(ALICE_CONN, 4, 0, ""));
            assertEquals(new Events.UserInfo(5, ErrorCode.INVALID_NAME, 0, false, ""),
                lookup(ALICE_CONN, 5, 0, "a".repeat(33)));
            assertEquals(new Events.UserInfo(6, ErrorCode.INVALID_NAME, 0, false, ""), lookup(ALICE_CONN, 6, 0, "bob!"));
            assertEquals(ErrorCode.UNKNOWN_USER, lookup(ALICE_CONN, 7, 0, "b".repeat(32)).code(),
                "a name of the maximum length is looked up");
        }

        @Test
        void queriesFromAConnectionThatIsNotLoggedInAreRefused()
        {
            registerAll();
            assertEquals(new Events.Error(3, ErrorCode.NOT_LOGGED_IN, LIST_CONVERSATIONS,
                "the connection has no logged-in device"), refused(t.commands.listConversations(ALICE_CONN, 3, 0, 10)));
            assertEquals(new Events.Error(4, ErrorCode.NOT_LOGGED_IN, LOOKUP_USER,
                "the connection has no logged-in device"), refused(t.commands.lookupUser(ALICE_CONN, 4, BOB, "")));
            assertEquals(ErrorCode.NOT_LOGGED_IN, ((Events.Error)refused(t.commands.lookupUser(ALICE_CONN, 5, 0, "bob"))).code());
        }

        @Test
        void truncatedQueriesAreRefused()
        {
            loginAll();
            final UnsafeBuffer request = new UnsafeBuffer(new byte[128]);

            final int listLength = new ListConversationsEncoder().wrapAndApplyHeader(request, 0, new MessageHeaderEncoder())
                .correlationId(1).afterConversationId(0).maxEntries(10).limit();
            assertMalformed(request, listLength - 1, LIST_CONVERSATIONS);
            assertMalformed(request, MessageHeaderEncoder.ENCODED_LENGTH, LIST_CONVERSATIONS);

            final LookupUserEncoder lookup = new LookupUserEncoder().wrapAndApplyHeader(request, 0, new MessageHeaderEncoder())
                .correlationId(1).userId(0);
            final int nameLengthField = lookup.limit();
            final int lookupLength = lookup.name("carol").limit();
            assertMalformed(request, lookupLength - 1, LOOKUP_USER);
            assertMalformed(request, nameLengthField + 1, LOOKUP_USER);
            assertMalformed(request, nameLengthField, LOOKUP_USER);
            request.putShort(nameLengthField, (short)1000);
            assertMalformed(request, lookupLength, LOOKUP_USER);

            assertEquals(ErrorCode.NONE, lookup(ALICE_CONN, 2, 0, "carol").code(), "the connection keeps working");
        }

        private void assertMalformed(final UnsafeBuffer request, final int length, final int templateId)
        {
            final byte[] bytes = new byte[length];
            request.getBytes(0, bytes);
            final Events.Error error = (Events.Error)refused(t.commands.rawRequest(ALICE_CONN, bytes));
            assertEquals(ErrorCode.MALFORMED, error.code());
            assertEquals(templateId, error.requestTemplateId());
        }
    }

    @Nested
    class MalformedInput
    {
        @Test
        void aTruncatedRequestIsRefusedAndTheConnectionKeepsWorking()
        {
            loginAll();
            final UnsafeBuffer request = new UnsafeBuffer(new byte[64]);
            final int length = new SendEncoder().wrapAndApplyHeader(request, 0, new MessageHeaderEncoder())
                .clientMsgId(1).conversationId(0).toUserId(BOB).contentType(1)
                .putPayload(new byte[20], 0, 20).limit();
            final byte[] truncated = new byte[length - 5];
            request.getBytes(0, truncated);
            final Events.Error error = (Events.Error)refused(t.commands.rawRequest(ALICE_CONN, truncated));
            assertEquals(ErrorCode.MALFORMED, error.code());
            assertEquals(SendEncoder.TEMPLATE_ID, error.requestTemplateId());

            assertEquals(1, t.ack(t.sendTo(ALICE_CONN, 1, BOB, "fine")).seq());
        }

        @Test
        void aLyingPayloadLengthIsRefused()
        {
            loginAll();
            final UnsafeBuffer request = new UnsafeBuffer(new byte[64]);
            final SendEncoder send = new SendEncoder().wrapAndApplyHeader(request, 0, new MessageHeaderEncoder())
                .clientMsgId(1).conversationId(0).toUserId(BOB).contentType(1);
            final int lengthField = send.limit();
            final int length = send.putPayload(new byte[4], 0, 4).limit();
            request.putInt(lengthField, 1_000_000);
            final byte[] bytes = new byte[length];
            request.getBytes(0, bytes);
            assertEquals(ErrorCode.MALFORMED, ((Events.Error)refused(t.commands.rawRequest(ALICE_CONN, bytes))).code());
        }

        @Test
        void unknownTemplatesAndSchemasAreRefused()
        {
            loginAll();
            final UnsafeBuffer request = new UnsafeBuffer(new byte[32]);
            new MessageHeaderEncoder().wrap(request, 0).blockLength(8).templateId(99).schemaId(1).version(1);
            final byte[] bytes = new byte[16];
            request.getBytes(0, bytes);
            final Events.Error unknown = (Events.Error)refused(t.commands.rawRequest(ALICE_CONN, bytes));
            assertEquals(new Events.Error(0, ErrorCode.UNKNOWN_TEMPLATE, 99, "unknown request template 99"), unknown);

            new MessageHeaderEncoder().wrap(request, 0).blockLength(SyncEncoder.BLOCK_LENGTH)
                .templateId(SyncEncoder.TEMPLATE_ID).schemaId(42).version(1);
            request.getBytes(0, bytes);
            assertEquals(ErrorCode.UNSUPPORTED_VERSION, ((Events.Error)refused(t.commands.rawRequest(ALICE_CONN, bytes))).code());

            assertEquals(ErrorCode.MALFORMED,
                ((Events.Error)refused(t.commands.rawRequest(ALICE_CONN, new byte[3]))).code());
        }

        @Test
        void aMalformedEngineCommandIsAnsweredToItsGateway()
        {
            registerAll();
            final long before = t.engine.stateHash();
            t.output.drain();
            t.engine.onCommand(GATEWAY, 1, new UnsafeBuffer(new byte[4]), 0, 4);
            final Events.Admin answer = (Events.Admin)single(t.output.drain());
            assertEquals(ErrorCode.MALFORMED, answer.code());

            final int length = t.commands.deviceLogin(ALICE_CONN, 1, ALICE, ALICE_PHONE, Platform.MOBILE);
            final Events.Admin truncated = (Events.Admin)refused(length - 10 > 8 ? length - 10 : length);
            assertEquals(ErrorCode.MALFORMED, truncated.code());
            assertEquals(before, t.engine.stateHash());
        }

        @Test
        void aMalformedBatchIsRefusedWholeAndAppliesNone()
        {
            registerAll();
            final long before = t.engine.stateHash();
            t.output.drain();
            final BatchWriter batch = new BatchWriter(CommandBatchEncoder.TEMPLATE_ID, 4096);
            final int login = t.commands.deviceLogin(ALICE_CONN, 1, ALICE, ALICE_PHONE, Platform.MOBILE);
            batch.append(t.commands.buffer(), 0, login);
            final int secondLogin = t.commands.deviceLogin(BOB_CONN, 2, BOB, BOB_PHONE, Platform.MOBILE);
            batch.append(t.commands.buffer(), 0, secondLogin);
            final int offset = batch.offset();
            final int length = batch.length();

            // The second entry runs past the end: the first, well formed, must not be applied either.
            t.engine.onCommand(GATEWAY, 1, batch.buffer(), offset, length - 1);
            final Events.Admin answer = (Events.Admin)single(t.output.drain());
            assertEquals(ErrorCode.MALFORMED, answer.code());
            assertTrue(answer.text().contains("batch entry 1 of 2"), answer.text());
            assertEquals(before, t.engine.stateHash());

            // The same batch whole logs both in, in order.
            t.engine.onCommand(GATEWAY, 1, batch.buffer(), offset, length);
            final List<Long> loginAnswers = new ArrayList<>();
            for (final Object event : t.output.drain())
            {
                if (((Events.Delivery)event).message() instanceof Events.LoginResult result)
                {
                    assertEquals(ErrorCode.NONE, result.code());
                    loginAnswers.add(result.correlationId());
                }
            }
            assertEquals(List.of(1L, 2L), loginAnswers);
        }
    }
}
