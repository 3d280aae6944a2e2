package io.banter.replica;

import io.banter.access.auth.ServerSecret;
import io.banter.access.auth.TokenAuthority;
import io.banter.access.client.BanterClient;
import io.banter.access.client.BanterClientContext;
import io.banter.access.client.ChatMessage;
import io.banter.access.client.HistoryPage;
import io.banter.access.client.SendReceipt;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.StoredMessageDecoder;
import io.banter.journal.cold.ColdTier;
import io.banter.journal.cold.ColdTierContext;
import io.banter.replica.admin.AdminClient;
import io.banter.replica.local.MemberProcess;
import io.banter.replica.server.BanterServer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restarted server, after a clean stop or SIGKILL, keeps every acknowledged message and every
 * device's sync position, and shows nobody online who is not.
 */
final class RestartTest
{
    /** The killed server keeps this many messages per conversation hot; the rest are in its cold tier. */
    private static final int HOT_PER_CONVERSATION = 50;

    @TempDir
    File dataDir;

    @Test
    void cleanRestartKeepsHistoryAndSyncPositions() throws Exception
    {
        try (TestCluster cluster = TestCluster.start(dataDir, 23_000, 1))
        {
            final Chat chat = Chat.aliceToBob(cluster, "m", 30);
            final long alice = chat.alice();
            final long bob = chat.bob();
            final BanterClient aliceClient = chat.aliceClient();
            chat.bobClient().close();

            cluster.stopServers();
            cluster.startServers();

            final RecordingListener newBobInbox = new RecordingListener();
            final BanterClient newBob = cluster.onlineClient(bob, 1, newBobInbox);
            assertEquals(30, newBob.lastProcessedChangeSeq(), "bob's device resumes from its acknowledged position");
            aliceClient.awaitOnline(10, TimeUnit.SECONDS);
            final SendReceipt receipt = TestCluster.sendAll(aliceClient, bob, "m", 30, 1).get(0);
            assertEquals(31, receipt.seq());
            final List<ChatMessage> received = newBobInbox.awaitCount(1, 10, TimeUnit.SECONDS);
            assertEquals("m30", received.get(0).text());
            assertEquals(31, received.get(0).changeSeq());
            assertHistory(newBob, receipt.conversationId(), 31);
            assertEquals(1, newBob.presence(alice).get(10, TimeUnit.SECONDS).onlineDevices(),
                "alice's reconnected device only: the connection from before the stop is gone");
        }
    }

    @Test
    void restartFromSnapshotPlusLogGivesTheSameState() throws Exception
    {
        try (TestCluster cluster = TestCluster.start(dataDir, 23_500, 1))
        {
            final Chat chat = Chat.aliceToBob(cluster, "s", 40);
            final long bob = chat.bob();
            final BanterClient aliceClient = chat.aliceClient();
            final BanterClient bobClient = chat.bobClient();
            final RecordingListener bobInbox = chat.bobInbox();

            assertTrue(cluster.server(0).node().takeSnapshot(System.out), "snapshot taken");
            final SendReceipt afterSnapshot = TestCluster.sendAll(aliceClient, bob, "s", 40, 10).get(9);
            bobInbox.awaitCount(50, 10, TimeUnit.SECONDS);
            aliceClient.close();
            bobClient.close();
            awaitAcked(cluster, bob, 50);
            final long before = awaitStableHash(cluster);

            cluster.stopServers();
            cluster.startServers();
            assertTrue(cluster.server(0).node().service().startedFromSnapshot());
            assertEquals(before, awaitStableHash(cluster), "snapshot + rest of the log = the state before");

            final BanterClient newBob = cluster.onlineClient(bob, 1, new RecordingListener());
            assertEquals(50, newBob.lastProcessedChangeSeq());
            assertHistory(newBob, afterSnapshot.conversationId(), 50);
        }
    }

    @Test
    void theColdTierHoldsEveryMessageAndRecallAcrossASnapshotAndRestarts() throws Exception
    {
        final long conversationId;
        try (TestCluster cluster = TestCluster.start(dataDir, 29_000, 1))
        {
            final Chat chat = Chat.aliceToBob(cluster, "c", 30);
            conversationId = chat.aliceClient().inbox(0, 10).get(10, TimeUnit.SECONDS).conversations().get(0)
                .conversationId();
            chat.aliceClient().recall(conversationId, 7).get(10, TimeUnit.SECONDS);
            assertTrue(cluster.server(0).node().takeSnapshot(System.out), "snapshot taken");
            TestCluster.sendAll(chat.aliceClient(), chat.bob(), "c", 30, 10);
            chat.bobInbox().awaitCount(40, 10, TimeUnit.SECONDS);
            chat.aliceClient().close();
            chat.bobClient().close();

            cluster.stopServers();
            assertColdTier(conversationId, "c", 40, 7);
            // Restarted from the snapshot, the log after it hands the last ten over again: held once.
            cluster.startServers();
            assertTrue(cluster.server(0).node().service().startedFromSnapshot());
            cluster.stopServers();
            assertColdTier(conversationId, "c", 40, 7);
        }
    }

    private void assertColdTier(
        final long conversationId, final String prefix, final long messages, final long recalledSeq)
    {
        try (ColdTier cold = ColdTier.open(new ColdTierContext().directory(new File(dataDir, "node-0/cold").toPath())))
        {
            assertTrue(cold.recovery().isClean(), cold.recovery().toString());
            assertEquals(messages, cold.records());
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8192]);
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            final StoredMessageDecoder stored = new StoredMessageDecoder();
            for (long seq = 1; seq <= messages; seq++)
            {
                assertTrue(cold.read(conversationId, seq, buffer, 0) > 0, "seq " + seq);
                header.wrap(buffer, 0);
                stored.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                assertEquals(seq, stored.seq());
                final byte[] body = new byte[stored.payloadLength()];
                stored.getPayload(body, 0, body.length);
                final String text = new String(body, StandardCharsets.UTF_8);
                if (seq == recalledSeq)
                {
                    assertEquals(1, stored.flags(), "the recall's tombstone");
                    assertEquals("", text);
                }
                else
                {
                    assertEquals(0, stored.flags());
                    assertEquals(prefix + (seq - 1), text);
                }
            }
        }
    }

    /**
     * Alice and Bob online, {@code count} messages from Alice that Bob received and acknowledged.
     */
    private record Chat(
        long alice, long bob, BanterClient aliceClient, BanterClient bobClient, RecordingListener bobInbox)
    {
        static Chat aliceToBob(final TestCluster cluster, final String prefix, final int count) throws Exception
        {
            final long alice = cluster.addUser("alice");
            final long bob = cluster.addUser("bob");
            final BanterClient aliceClient = cluster.onlineClient(alice, 1, new RecordingListener());
            final RecordingListener bobInbox = new RecordingListener();
            final BanterClient bobClient = cluster.onlineClient(bob, 1, bobInbox);
            TestCluster.sendAll(aliceClient, bob, prefix, 0, count);
            bobInbox.awaitCount(count, 10, TimeUnit.SECONDS);
            awaitAcked(cluster, bob, count);
            return new Chat(alice, bob, aliceClient, bobClient, bobInbox);
        }
    }

    private static long awaitStableHash(final TestCluster cluster) throws InterruptedException
    {
        long previous = cluster.stateHash(0);
        for (int stable = 0; stable < 5; )
        {
            Thread.sleep(100);
            final long hash = cluster.stateHash(0);
            stable = hash == previous ? stable + 1 : 0;
            previous = hash;
        }
        return previous;
    }

    @Test
    void killedServerKeepsEveryAcknowledgedMessageAndResetsPresence() throws Exception
    {
        final File log = new File(dataDir, "server.log");
        final int basePort = 24_000;
        final int gatewayPort = 24_070;
        final String endpoints = "0=localhost:" + (basePort + 1);
        MemberProcess server = startServer(basePort, gatewayPort, log);
        final List<BanterClient> clients = new ArrayList<>();
        try
        {
            final TokenAuthority tokens = new TokenAuthority(
                ServerSecret.loadOrCreate(BanterServer.secretFile(dataDir).toPath()));
            final long alice = tokens.userIdFor("alice");
            final long bob = tokens.userIdFor("bob");
            final long carol = tokens.userIdFor("carol");
            try (AdminClient admin = new AdminClient(null, endpoints))
            {
                for (final String name : List.of("alice", "bob", "carol"))
                {
                    assertEquals(ErrorCode.NONE,
                        admin.registerUser(tokens.userIdFor(name), name, 30, TimeUnit.SECONDS).code());
                }
            }
            final BanterClient aliceClient = connect(clients, tokens, alice, gatewayPort);
            final RawConnection carolOnline = new RawConnection(gatewayPort);
            carolOnline.login(1, carol, 1, tokens.issue(carol, System.currentTimeMillis() + 600_000));
            assertEquals(ErrorCode.NONE, carolOnline.loginResult().code());
            assertTrue(aliceClient.presence(carol).get(10, TimeUnit.SECONDS).online());

            final List<SendReceipt> acked = TestCluster.sendAll(aliceClient, bob, "k", 0, 200);
            assertEquals(200, acked.get(199).seq());

            server.kill();
            carolOnline.close();
            server = startServer(basePort, gatewayPort, log);

            final RecordingListener bobInbox = new RecordingListener();
            final BanterClient bobClient = connect(clients, tokens, bob, gatewayPort, bobInbox);
            final List<ChatMessage> received = bobInbox.awaitCount(200, 30, TimeUnit.SECONDS);
            for (int i = 0; i < 200; i++)
            {
                final ChatMessage message = received.get(i);
                assertEquals(i + 1, message.seq(), "every acknowledged message, in order");
                // The server keeps the newest HOT_PER_CONVERSATION hot; sync names the older ones.
                assertEquals(i < 200 - HOT_PER_CONVERSATION, message.isArchived(), "message " + message.seq());
                assertEquals(message.isArchived() ? "" : "k" + i, message.text());
            }
            aliceClient.awaitOnline(30, TimeUnit.SECONDS);
            assertEquals(201, TestCluster.sendAll(aliceClient, bob, "k", 200, 1).get(0).seq());
            // The older ones come back from the cold tier written before the kill and by the replay after it.
            final List<ChatMessage> history = assertHistory(bobClient, acked.get(0).conversationId(), 201);
            for (int i = 0; i < 201; i++)
            {
                assertEquals("k" + (200 - i), history.get(i).text());
            }

            // carol's gateway died with the process: her session times out and she goes offline.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (bobClient.presence(carol).get(10, TimeUnit.SECONDS).online())
            {
                assertTrue(System.nanoTime() < deadline, "carol reported offline after the restart");
                Thread.sleep(200);
            }

            // The cold tier written before the kill, and by the replay after it, holds every message once.
            server.stop();
            assertColdTier(acked.get(0).conversationId(), "k", 201, 0);
        }
        finally
        {
            for (final BanterClient client : clients)
            {
                client.close();
            }
            server.close();
        }
    }

    private static BanterClient connect(
        final List<BanterClient> clients, final TokenAuthority tokens, final long userId, final int port)
    {
        return connect(clients, tokens, userId, port, new RecordingListener());
    }

    private static BanterClient connect(
        final List<BanterClient> clients,
        final TokenAuthority tokens,
        final long userId,
        final int port,
        final RecordingListener listener)
    {
        final BanterClient client = BanterClient.connect(new BanterClientContext()
            .endpoints("localhost:" + port)
            .userId(userId)
            .deviceId(1)
            .token(tokens.issue(userId, System.currentTimeMillis() + 600_000))
            .listener(listener)
            .reconnectBackoff(TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(500)));
        clients.add(client);
        return client.awaitOnline(30, TimeUnit.SECONDS);
    }

    private static List<ChatMessage> assertHistory(final BanterClient client, final long conversationId, final int count)
        throws Exception
    {
        final List<ChatMessage> all = new ArrayList<>();
        long before = 0;
        HistoryPage page;
        do
        {
            page = client.history(conversationId, before, 100).get(10, TimeUnit.SECONDS);
            all.addAll(page.messages());
            before = page.messages().isEmpty() ? 0 : page.messages().get(page.messages().size() - 1).seq();
        }
        while (page.hasMore());
        assertEquals(count, all.size());
        for (int i = 0; i < count; i++)
        {
            assertEquals(count - i, all.get(i).seq(), "history is continuous, newest first");
        }
        return all;
    }

    private static void awaitAcked(final TestCluster cluster, final long userId, final long changeSeq)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (cluster.inspect(0, engine -> engine.state().user(userId).findDevice(1).ackedChangeSeq()) < changeSeq)
        {
            assertTrue(System.nanoTime() < deadline, "the device's ack reached the engine");
            Thread.sleep(20);
        }
    }

    /**
     * {@code banter server} in a child JVM, so the test can kill it with SIGKILL.
     */
    private MemberProcess startServer(final int basePort, final int gatewayPort, final File log) throws IOException
    {
        return MemberProcess.start(List.of("server", "--data-dir", dataDir.getPath(),
            "--base-port", String.valueOf(basePort), "--gateway-port", String.valueOf(gatewayPort),
            "--hot-tier-entries", "100000", "--hot-tier-per-conversation", String.valueOf(HOT_PER_CONVERSATION),
            "--strangers-may-message"), log, "banter: listening on", 90,
            TimeUnit.SECONDS);
    }
}
