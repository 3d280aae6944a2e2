package io.banter.replica;

import io.banter.access.client.BanterClient;
import org.agrona.IoUtil;
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

            TestCluster.sendAll(aliceClient, bob, "before", 0, 100);
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
        }
    }
}
