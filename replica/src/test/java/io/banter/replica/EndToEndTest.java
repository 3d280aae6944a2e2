package io.banter.replica;

import io.banter.access.client.BanterClient;
import io.banter.access.client.ChatMessage;
import io.banter.access.client.HistoryPage;
import io.banter.access.client.SendReceipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Clients over real TCP, through the gateway, into a real one-member Aeron cluster.
 */
final class EndToEndTest
{
    @TempDir
    File dataDir;

    private TestCluster cluster;

    @BeforeEach
    void start() throws InterruptedException
    {
        cluster = TestCluster.start(dataDir, 21_000, 1);
    }

    @AfterEach
    void stop()
    {
        cluster.close();
    }

    @Test
    void twoClientsChatBothWays() throws Exception
    {
        final long alice = cluster.addUser("alice");
        final long bob = cluster.addUser("bob");
        final RecordingListener aliceInbox = new RecordingListener();
        final RecordingListener bobInbox = new RecordingListener();
        final BanterClient aliceClient = cluster.onlineClient(alice, 1, aliceInbox);
        final BanterClient bobClient = cluster.onlineClient(bob, 1, bobInbox);

        final List<CompletableFuture<SendReceipt>> receipts = new ArrayList<>();
        for (int i = 0; i < 50; i++)
        {
            receipts.add(aliceClient.sendText(bob, "a" + i));
            receipts.add(bobClient.sendText(alice, "b" + i));
        }
        final List<Long> seqs = new ArrayList<>();
        for (final CompletableFuture<SendReceipt> receipt : receipts)
        {
            seqs.add(receipt.get(30, TimeUnit.SECONDS).seq());
        }
        seqs.sort(Long::compare);
        for (int i = 0; i < seqs.size(); i++)
        {
            assertEquals(i + 1, seqs.get(i), "one conversation, continuous sequence");
        }

        assertTexts(bobInbox.awaitCount(50, 30, TimeUnit.SECONDS), "a", 50, alice);
        assertTexts(aliceInbox.awaitCount(50, 30, TimeUnit.SECONDS), "b", 50, bob);
    }

    @Test
    void offlineRecipientGetsEverythingOnLogin() throws Exception
    {
        final long alice = cluster.addUser("alice");
        final long bob = cluster.addUser("bob");
        final BanterClient aliceClient = cluster.onlineClient(alice, 1, new RecordingListener());
        final int count = 600;
        CompletableFuture<SendReceipt> last = null;
        for (int i = 0; i < count; i++)
        {
            last = aliceClient.sendText(bob, "a" + i);
        }
        assertEquals(count, last.get(30, TimeUnit.SECONDS).seq());

        final RecordingListener bobInbox = new RecordingListener();
        cluster.onlineClient(bob, 7, bobInbox);
        final List<ChatMessage> received = bobInbox.awaitCount(count, 30, TimeUnit.SECONDS);
        assertTexts(received, "a", count, alice);
        for (int i = 0; i < count; i++)
        {
            assertEquals(i + 1, received.get(i).changeSeq(), "bob's change stream is continuous");
        }
    }

    @Test
    void senderWhoseConnectionDropsMidSendRetriesWithoutDuplicate() throws Exception
    {
        final long alice = cluster.addUser("alice");
        final long bob = cluster.addUser("bob");
        final RecordingListener bobInbox = new RecordingListener();
        final BanterClient aliceClient = cluster.onlineClient(alice, 1, new RecordingListener());
        cluster.onlineClient(bob, 1, bobInbox);

        final int count = 400;
        final List<CompletableFuture<SendReceipt>> receipts = new ArrayList<>();
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < count / 2; i++)
            {
                receipts.add(aliceClient.sendText(bob, "a" + receipts.size()));
            }
            // Runs on the client's event loop after the sends were written: acks are still in flight.
            aliceClient.dropConnection();
            receipts.get(receipts.size() - 1).get(30, TimeUnit.SECONDS);
        }
        final List<Long> seqs = new ArrayList<>();
        for (final CompletableFuture<SendReceipt> receipt : receipts)
        {
            seqs.add(receipt.get(60, TimeUnit.SECONDS).seq());
        }
        seqs.sort(Long::compare);
        for (int i = 0; i < count; i++)
        {
            assertEquals(i + 1, seqs.get(i), "every send stored exactly once");
        }

        final List<ChatMessage> received = bobInbox.awaitCount(count, 30, TimeUnit.SECONDS);
        Thread.sleep(200);
        assertEquals(count, bobInbox.messages().size(), "no duplicate pushes");
        assertTexts(received, "a", count, alice);
        final long opened = cluster.server(0).gateway().counters().connectionsOpened();
        assertEquals(4, opened, "alice connected three times (two drops), bob once");
        final HistoryPage head = aliceClient.history(received.get(0).conversationId(), 0, 10).get(10, TimeUnit.SECONDS);
        assertEquals(count, head.headSeq());
    }

    static void assertTexts(final List<ChatMessage> messages, final String prefix, final int count, final long sender)
    {
        assertEquals(count, messages.size());
        for (int i = 0; i < count; i++)
        {
            final ChatMessage message = messages.get(i);
            assertEquals(prefix + i, message.text(), "order kept");
            assertEquals(sender, message.senderUserId());
        }
        assertFalse(messages.isEmpty());
    }
}
