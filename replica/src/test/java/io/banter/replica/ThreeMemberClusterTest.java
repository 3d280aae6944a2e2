package io.banter.replica;

import io.banter.access.client.BanterClient;
import io.banter.access.client.SendReceipt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Clients on different gateways of a three-member cluster on localhost: every member applies
 * the same log and reaches the same state.
 */
final class ThreeMemberClusterTest
{
    @TempDir
    File dataDir;

    @Test
    void clientsChatThroughAThreeMemberClusterAndEveryMemberHasTheSameState() throws Exception
    {
        try (TestCluster cluster = TestCluster.start(dataDir, 25_000, 3))
        {
            final long alice = cluster.addUser("alice");
            final long bob = cluster.addUser("bob");
            final RecordingListener aliceInbox = new RecordingListener();
            final RecordingListener bobInbox = new RecordingListener();
            final BanterClient aliceClient =
                cluster.client(cluster.clientContext(0, alice, 1, aliceInbox)).awaitOnline(30, TimeUnit.SECONDS);
            final BanterClient bobClient =
                cluster.client(cluster.clientContext(2, bob, 1, bobInbox)).awaitOnline(30, TimeUnit.SECONDS);

            final List<CompletableFuture<SendReceipt>> receipts = new ArrayList<>();
            for (int i = 0; i < 100; i++)
            {
                receipts.add(aliceClient.sendText(bob, "a" + i));
                receipts.add(bobClient.sendText(alice, "b" + i));
            }
            for (final CompletableFuture<SendReceipt> receipt : receipts)
            {
                receipt.get(30, TimeUnit.SECONDS);
            }
            EndToEndTest.assertTexts(bobInbox.awaitCount(100, 30, TimeUnit.SECONDS), "a", 100, alice);
            EndToEndTest.assertTexts(aliceInbox.awaitCount(100, 30, TimeUnit.SECONDS), "b", 100, bob);

            // Quiet: the clients' delayed cumulative acks are commands too, and may land in between.
            final long hash = cluster.awaitQuietStateHash();
            final long applied = cluster.inspect(0, engine -> engine.state().conversationCount());
            assertEquals(1, applied);
            assertEquals(hash, cluster.stateHash(2));
        }
    }
}
