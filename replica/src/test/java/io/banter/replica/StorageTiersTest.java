package io.banter.replica;

import io.banter.access.client.BanterClient;
import io.banter.access.client.BanterException;
import io.banter.access.client.ChatMessage;
import io.banter.access.client.HistoryPage;
import io.banter.codecs.ErrorCode;
import io.banter.engine.EngineContext;
import io.banter.replica.ops.ClusterStatus;
import io.banter.replica.ops.MemberStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot and cold tiers through a real three-member cluster: every member evicts the same
 * messages at the same log position (equal state hashes), history beyond the hot window is paged
 * from the leader's cold tier, and after a snapshot and a restart of every member the whole
 * history still reads back in order.
 */
final class StorageTiersTest
{
    private static final int HOT_PER_CONVERSATION = 10;
    private static final int MESSAGES = 60;

    @TempDir
    File dataDir;

    private static EngineContext engineContext()
    {
        return TestCluster.engineContext().hotTierMessagesPerConversation(HOT_PER_CONVERSATION);
    }

    @Test
    void historyBeyondTheHotWindowIsPagedFromTheColdTierAndEveryMemberEvictsAlike() throws Exception
    {
        try (TestCluster cluster = TestCluster.start(dataDir, 26_000, 3, StorageTiersTest::engineContext))
        {
            final long alice = cluster.addUser("alice");
            final long bob = cluster.addUser("bob");
            final BanterClient aliceClient = cluster.onlineClient(alice, 1, new RecordingListener());
            final BanterClient bobClient =
                cluster.client(cluster.clientContext(2, bob, 1, new RecordingListener())).awaitOnline(30, TimeUnit.SECONDS);
            final long conversationId = TestCluster.sendAll(aliceClient, bob, "m", 0, MESSAGES)
                .get(MESSAGES - 1).conversationId();

            final long hash = cluster.awaitOneStateHash();
            for (int member = 0; member < 3; member++)
            {
                assertEquals(hash, cluster.stateHash(member));
                assertEquals(MESSAGES - HOT_PER_CONVERSATION,
                    (long)cluster.inspect(member, engine -> engine.state().hotWindow().evictions()), "member " + member);
                assertEquals(MESSAGES - HOT_PER_CONVERSATION + 1,
                    (long)cluster.inspect(member, engine -> engine.state().conversation(conversationId).hotFloorSeq()));
            }

            // What an operator sees from outside the members (banter replica status).
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true)
            {
                final List<MemberStatus> members = ClusterStatus.roles(
                    List.of(cluster.server(0).node().context(), cluster.server(1).node().context(),
                    cluster.server(2).node().context()));
                if (members.stream().allMatch(member -> member.hotMessages() == HOT_PER_CONVERSATION &&
                    member.evicted() == MESSAGES - HOT_PER_CONVERSATION && member.coldWriteErrors() == 0))
                {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "storage counters of every member: " + members);
                Thread.sleep(50);
            }

            final List<HistoryPage> pages = assertWholeHistory(bobClient, conversationId);
            assertEquals(HOT_PER_CONVERSATION, pages.get(0).messages().size(), "the first page is the hot window");
            assertTrue(pages.size() >= 3, "the rest came from the cold tier in pages: " + pages.size());

            final ExecutionException refused = assertThrows(ExecutionException.class,
                () -> aliceClient.recall(conversationId, 1).get(10, TimeUnit.SECONDS));
            assertEquals(ErrorCode.ARCHIVED, assertInstanceOf(BanterException.class, refused.getCause()).code());

            aliceClient.close();
            bobClient.close();
            final long before = cluster.awaitQuietStateHash();
            final int leader = cluster.awaitLeader();
            assertTrue(cluster.server(leader).node().takeSnapshot(System.out), "snapshot taken");
            cluster.stopServers();
            cluster.startServers();

            assertEquals(before, cluster.awaitQuietStateHash(), "the snapshot's hot window plus the log = the state before");
            final BanterClient again = cluster.onlineClient(bob, 2, new RecordingListener());
            assertWholeHistory(again, conversationId);
        }
    }

    /**
     * Page the conversation from the newest message down to the first: every message once, in order.
     */
    private static List<HistoryPage> assertWholeHistory(final BanterClient client, final long conversationId)
        throws Exception
    {
        final List<HistoryPage> pages = new ArrayList<>();
        final List<ChatMessage> all = new ArrayList<>();
        long before = 0;
        HistoryPage page;
        do
        {
            page = client.history(conversationId, before, 25).get(10, TimeUnit.SECONDS);
            pages.add(page);
            all.addAll(page.messages());
            before = page.messages().get(page.messages().size() - 1).seq();
        }
        while (page.hasMore());
        assertEquals(MESSAGES, all.size());
        for (int i = 0; i < MESSAGES; i++)
        {
            final ChatMessage message = all.get(i);
            assertEquals(MESSAGES - i, message.seq(), "newest first, continuous");
            assertEquals("m" + (MESSAGES - 1 - i), message.text());
        }
        return pages;
    }
}
