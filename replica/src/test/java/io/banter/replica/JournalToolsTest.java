package io.banter.replica;

import io.banter.access.client.BanterClient;
import io.banter.replica.journal.LogDump;
import io.banter.replica.journal.LogReader;
import io.banter.replica.journal.MemberArchive;
import io.banter.replica.journal.ReplayResult;
import io.banter.replica.node.NodeContext;
import io.banter.replica.ops.ClusterStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal tools against a real three-member cluster: a member's log, replayed out of its
 * archive into a fresh engine (from the start or from its snapshot), gives the member's own state
 * hash, running or stopped; the dump decodes every command.
 */
final class JournalToolsTest
{

    @TempDir
    File dataDir;

    @Test
    void replayingAMembersLogGivesItsStateHashAndTheDumpDecodesEveryCommand() throws Exception
    {
        try (TestCluster cluster = TestCluster.start(dataDir, 28_000, 3))
        {
            final int leader = cluster.awaitLeader();
            final long alice = cluster.addUser("alice");
            final long bob = cluster.addUser("bob");
            final BanterClient aliceClient = cluster.onlineClient(alice, 1, new RecordingListener());
            cluster.onlineClient(bob, 1, new RecordingListener());
            TestCluster.sendAll(aliceClient, bob, "m", 0, 60);
            assertTrue(cluster.server(leader).node().takeSnapshot(System.out), "snapshot taken");
            TestCluster.sendAll(aliceClient, bob, "m", 60, 40);
            final long hash = cluster.awaitQuietStateHash();

            for (int member = 0; member < 3; member++)
            {
                final NodeContext node = cluster.nodeContext(member).conclude();
                final ReplayResult fromStart = ReplayResult.replay(node, false, Long.MAX_VALUE, TestCluster::engineContext);
                assertTrue(fromStart.live());
                assertEquals(-1, fromStart.snapshotPosition());
                assertEquals(hash, fromStart.hash(), "member " + member + " replayed from the start");
                final ReplayResult fromSnapshot = ReplayResult.replay(node, true, Long.MAX_VALUE, TestCluster::engineContext);
                assertTrue(fromSnapshot.snapshotPosition() > 0, "a snapshot was loaded");
                assertTrue(fromSnapshot.commands() < fromStart.commands());
                assertEquals(hash, fromSnapshot.hash(), "member " + member + " replayed from its snapshot");
                assertEquals(fromStart.position(), fromSnapshot.position());
            }

            // A stopped member's archive is opened directly.
            final int follower = 2 == leader ? 1 : 2;
            cluster.stopMember(follower);
            final NodeContext stopped = cluster.nodeContext(follower).conclude();
            final ReplayResult offline = ReplayResult.replay(stopped, true, Long.MAX_VALUE, TestCluster::engineContext);
            assertFalse(offline.live());
            assertEquals(hash, offline.hash());

            final ByteArrayOutputStream printed = new ByteArrayOutputStream();
            try (MemberArchive archive = MemberArchive.open(stopped);
                PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8))
            {
                new LogReader(archive, ClusterStatus.clusterDir(stopped))
                    .read(0, Long.MAX_VALUE, new LogDump(out, "[Send]", Long.MAX_VALUE));
            }
            final String[] sends = printed.toString(StandardCharsets.UTF_8).split("\n");
            assertEquals(100, sends.length, "one line per Send");
            assertTrue(sends[0].contains("toUserId=" + bob), sends[0]);
        }
    }
}
