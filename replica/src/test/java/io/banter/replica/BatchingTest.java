package io.banter.replica;

import io.banter.access.client.BanterClient;
import io.banter.access.client.ChatMessage;
import io.banter.access.client.SendReceipt;
import io.banter.access.gateway.GatewayCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batching on every hop changes how many messages carry the commands and answers, nothing else:
 * a burst from many connections at once travels in batches (the gateway's counters say so), and
 * every send is acknowledged once and delivered once, each sender's messages in the order sent.
 */
final class BatchingTest
{
    private static final int SENDERS = 20;
    private static final int SENDS_EACH = 100;

    @TempDir
    File dataDir;

    @Test
    void aBurstFromManyConnectionsTravelsInBatchesAndEveryMessageArrivesOnceInOrder() throws Exception
    {
        try (TestCluster cluster = TestCluster.start(dataDir, 31_000, 1))
        {
            final long recipient = cluster.addUser("recipient");
            final RecordingListener inbox = new RecordingListener();
            cluster.onlineClient(recipient, 1, inbox);
            final List<BanterClient> senders = new ArrayList<>();
            final Map<Long, Integer> senderIndex = new HashMap<>();
            for (int i = 0; i < SENDERS; i++)
            {
                final long user = cluster.addUser("sender" + i);
                senderIndex.put(user, i);
                senders.add(cluster.onlineClient(user, 1, new RecordingListener()));
            }
            final GatewayCounters counters = cluster.server(0).gateway().counters();
            final long batchesBefore = counters.ingressBatches();
            final long writeBatchesBefore = counters.writeBatches();
            final long writesBefore = counters.writesBatched();

            // Every sender fires all of its sends without waiting: the gateway drains many per cycle.
            final List<CompletableFuture<SendReceipt>> acks = new ArrayList<>();
            for (int n = 0; n < SENDS_EACH; n++)
            {
                for (int s = 0; s < SENDERS; s++)
                {
                    acks.add(senders.get(s).sendText(recipient, s + ":" + n));
                }
            }
            final List<Long> messageIds = new ArrayList<>();
            for (final CompletableFuture<SendReceipt> ack : acks)
            {
                messageIds.add(ack.get(60, TimeUnit.SECONDS).messageId());
            }
            assertEquals(SENDERS * SENDS_EACH, messageIds.stream().distinct().count(), "one message per send");

            final List<ChatMessage> received = inbox.awaitCount(SENDERS * SENDS_EACH, 60, TimeUnit.SECONDS);
            final int[] nextFromSender = new int[SENDERS];
            for (final ChatMessage message : received)
            {
                final int sender = senderIndex.get(message.senderUserId());
                assertEquals(sender + ":" + nextFromSender[sender], message.text(), "sender " + sender + "'s order");
                nextFromSender[sender]++;
            }
            for (int s = 0; s < SENDERS; s++)
            {
                assertEquals(SENDS_EACH, nextFromSender[s], "every message of sender " + s + " exactly once");
            }

            final long batches = counters.ingressBatches() - batchesBefore;
            assertTrue(batches > 0, "a burst from " + SENDERS + " connections reached the cluster in batches");
            final long writeBatches = counters.writeBatches() - writeBatchesBefore;
            final long writes = counters.writesBatched() - writesBefore;
            assertTrue(writes >= 2L * SENDERS * SENDS_EACH, writes + " writes: an ack and a push per send");
            assertTrue(writeBatches < writes, writeBatches + " event-loop tasks for " + writes + " writes");
        }
    }
}
