package io.banter.replica.local;

import io.aeron.CncFileDescriptor;
import io.banter.engine.EngineContext;
import io.banter.replica.node.MemberGuard;
import io.banter.replica.node.NodeContext;
import io.banter.replica.server.BanterServer;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code replica start}'s cluster of child processes: it says when a member dies, and when it
 * stops it removes only the driver directories its own dead children left, never that of a
 * member restarted by hand since.
 */
final class LocalClusterTest
{
    private static final int BASE_PORT = 42_600;

    @TempDir
    File dataDir;

    @Test
    void aMemberKilledFromOutsideIsReportedAndItsHandRestartedSuccessorSurvivesClose() throws Exception
    {
        final LocalClusterContext context = new LocalClusterContext()
            .members(1)
            .dataDir(dataDir)
            .basePort(BASE_PORT)
            .gateways(false)
            .hotTierEntries(100_000);
        final CompletableFuture<long[]> exited = new CompletableFuture<>();
        BanterServer restarted = null;
        try (LocalCluster cluster = LocalCluster.start(context,
            (memberId, pid, exitCode) -> exited.complete(new long[]{memberId, pid, exitCode})))
        {
            final long childPid = cluster.member(0).pid();
            // As 'banter replica kill 0' from another terminal does it.
            ProcessHandle.of(childPid).orElseThrow().destroyForcibly();
            assertArrayEquals(new long[]{0, childPid, 137}, exited.get(60, TimeUnit.SECONDS));

            // The operator restarts the member by hand: same data directory, same driver directory.
            final NodeContext node = context.nodeContext(0)
                .engineContextSupplier(() -> new EngineContext().hotTierEntries(100_000));
            restarted = BanterServer.launch(node, null);
            final File aeronDir = new File(node.aeronDirectoryName());
            assertEquals(ProcessHandle.current().pid(), MemberGuard.driverPid(aeronDir));

            cluster.close(); // Ctrl-C on 'replica start'
            assertTrue(new File(aeronDir, CncFileDescriptor.CNC_FILE).exists(),
                "the hand-started member's driver directory is still there");
            assertEquals(ProcessHandle.current().pid(), MemberGuard.driverPid(aeronDir));
        }
        finally
        {
            CloseHelper.close(restarted);
        }
    }

    @Test
    void theDirectoryOfADeadChildOfOursIsRemoved() throws Exception
    {
        final LocalClusterContext context = new LocalClusterContext()
            .members(1)
            .dataDir(dataDir)
            .basePort(BASE_PORT + 50)
            .gateways(false)
            .hotTierEntries(100_000);
        final File aeronDir = new File(context.nodeContext(0).aeronDirectoryName());
        try (LocalCluster cluster = LocalCluster.start(context))
        {
            cluster.kill(0); // SIGKILL: its driver cannot remove its directory
            assertTrue(aeronDir.exists());
        }
        assertTrue(!aeronDir.exists(), "removed: " + aeronDir);
    }
}
