package io.banter.replica;

import io.banter.access.client.BanterClient;
import io.banter.journal.cold.ColdTier;
import io.banter.journal.cold.ColdTierContext;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A follower that was away while the others kept chatting comes back to the same state: from
 * its snapshot plus the log, or from nothing at all after its data directory was wiped.
 */
final class MemberRecoveryTest
{
    @TempDir
    File dataDir;

    @Test
    void aMemberRestartedFromSnapshotAndLogCatchesUpWithAnEqualStateHash() throws Exception
    {
        rejoin(26_000, true, false);
    }

    @Test
    void aMemberWhoseDataDirectoryWasWipedRejoinsAndCatchesUpWithAnEqualStateHash() throws Exception
    {
        rejoin(26_500, false, true);
    }

    private void rejoin(final int basePort, final boolean snapshot, final boolean wipe) throws Exception
    {
        try (TestCluster cluster = TestCluster.start(dataDir, basePort, 3))
        {
            final int leader = cluster.awaitLeader();
            // Never member 0: the admin client uses member 0's media driver, and the clients its gateway.
            final int follower = 2 == leader ? 1 : 2;
            final long alice = cluster.addUser("alice");
            final long bob = cluster.addUser("bob");
            final RecordingListener bobInbox = new RecordingListener();
            final BanterClient aliceClient = cluster.onlineClient(alice, 1, new RecordingListener());
            cluster.onlineClient(bob, 1, bobInbox);

            final long conversationId = TestCluster.sendAll(aliceClient, bob, "before", 0, 100).get(0)
                .conversationId();
            if (snapshot)
            {
                assertTrue(cluster.server(leader).node().takeSnapshot(System.out), "snapshot taken");
            }
            cluster.awaitOneStateHash();

            cluster.stopMember(follower);
            if (wipe)
            {
                IoUtil.delete(cluster.nodeContext(follower).memberDir(), false);
                assertFalse(cluster.nodeContext(follower).memberDir().exists());
            }
            TestCluster.sendAll(aliceClient, bob, "while away", 0, 100);
            EndToEndTest.assertTexts(bobInbox.awaitCount(200, 30, TimeUnit.SECONDS).subList(100, 200),
                "while away", 100, alice);

            cluster.startMember(follower);
            final long hash = cluster.awaitOneStateHash();
            assertEquals(hash, cluster.stateHash(follower));
            assertEquals(snapshot, cluster.server(follower).node().service().startedFromSnapshot(),
                "loaded its snapshot");
            assertEquals(1, (int)cluster.inspect(follower, engine -> engine.state().conversationCount()));

            // Its cold tier, rebuilt (after the wipe) from the replicated log, equals the leader's.
            cluster.stopServers();
            assertSameColdTier(cluster.nodeContext(leader).coldTierDir(), cluster.nodeContext(follower).coldTierDir(),
                conversationId, 200);
        }
    }

    private static void assertSameColdTier(
        final File leaderDir, final File followerDir, final long conversationId, final long messages)
    {
        try (ColdTier leaderTier = ColdTier.open(new ColdTierContext().directory(leaderDir.toPath()));
            ColdTier followerTier = ColdTier.open(new ColdTierContext().directory(followerDir.toPath())))
        {
            assertEquals(messages, leaderTier.records());
            assertEquals(messages, followerTier.records());
            final UnsafeBuffer expected = new UnsafeBuffer(new byte[8192]);
            final UnsafeBuffer actual = new UnsafeBuffer(new byte[8192]);
            for (long seq = 1; seq <= messages; seq++)
            {
                final int length = leaderTier.read(conversationId, seq, expected, 0);
                assertTrue(length > 0, "seq " + seq);
                assertEquals(length, followerTier.read(conversationId, seq, actual, 0), "seq " + seq);
                for (int i = 0; i < length; i++)
                {
                    assertEquals(expected.getByte(i), actual.getByte(i), "seq " + seq + " byte " + i);
                }
            }
        }
    }
}
