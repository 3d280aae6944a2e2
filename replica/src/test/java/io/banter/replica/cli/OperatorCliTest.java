package io.banter.replica.cli;

import io.aeron.CommonContext;
import io.banter.access.gateway.GatewayContext;
import io.banter.engine.EngineContext;
import io.banter.replica.node.MemberRecord;
import io.banter.replica.node.NodeContext;
import io.banter.replica.server.BanterServer;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * The operator commands against a running one-member server, found from its data directory
 * alone; and a second server on the same data directory or ports, refused at once.
 */
final class OperatorCliTest
{
    private static final int BASE_PORT = 42_400;
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    static File dataDir;

    @TempDir
    File otherDir;

    private static BanterServer server;

    @BeforeAll
    static void startServer() throws InterruptedException
    {
        server = BanterServer.launch(new NodeContext()
            .basePort(BASE_PORT)
            .dataDir(dataDir)
            .engineContextSupplier(() -> new EngineContext().hotTierEntries(100_000)),
            new GatewayContext().port(0));
        assertTrue(server.awaitGatewayConnected(60, TimeUnit.SECONDS), "gateway connected");
    }

    @AfterAll
    static void stopServer()
    {
        CloseHelper.close(server);
    }

    /** What one {@code banter} command printed and returned. */
    private record Run(int exitCode, String out, String err)
    {
    }

    private static Run banter(final String... args)
    {
        final PrintStream stdout = System.out;
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            System.setOut(outStream);
            System.setErr(errStream);
            final int exitCode = BanterMain.run(args);
            return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    @Test
    void theServerRecordsHowToFindItInItsDataDirectory()
    {
        final MemberRecord record = MemberRecord.read(MemberRecord.file(new File(dataDir, "node-0")));
        assertEquals(BASE_PORT, record.basePort());
        assertEquals(server.node().context().aeronDirectoryName(), record.aeronDirectoryName());
        assertEquals(server.gateway().address(), record.gateway());
        assertEquals(PID, record.pid());
    }

    @Test
    void statusFindsTheClusterFromItsDataDirectoryAlone()
    {
        final Run status = banter("replica", "status", "--data-dir", dataDir.getPath());
        assertEquals(0, status.exitCode(), status.err());
        assertTrue(status.out().contains("1 members, base port " + BASE_PORT), status.out());
        assertTrue(status.out().contains("leader: member 0"), status.out());
        assertTrue(status.out().lines().anyMatch(line -> line.matches("0\\s+LEADER\\s+ACTIVE.*")), status.out());
    }

    @Test
    void statusOfADirectoryWithoutAClusterSaysSoAndFails()
    {
        final Run status = banter("replica", "status", "--data-dir", otherDir.getPath());
        assertEquals(1, status.exitCode());
        assertTrue(status.err().contains("no Banter cluster in " + otherDir.getPath()), status.err());
        assertEquals("", status.out());
    }

    @Test
    void verifyFailsWhenItComparedFewerMembersThanAskedOrOnlyOne()
    {
        final Run threeAsked = banter("journal", "verify", "--members", "3", "--data-dir", dataDir.getPath());
        assertEquals(1, threeAsked.exitCode(), threeAsked.out());
        assertTrue(threeAsked.out().contains("FAILED: compared 1 of 3 members; members 1, 2 had no log"),
            threeAsked.out());
        assertFalse(threeAsked.out().contains("OK"), threeAsked.out());

        final Run one = banter("journal", "verify", "--data-dir", dataDir.getPath());
        assertEquals(1, one.exitCode(), one.out());
        assertTrue(one.out().contains("FAILED: only one member's log, nothing to compare it with"), one.out());

        final Run member = banter("journal", "verify", "--member", "0", "--data-dir", dataDir.getPath());
        assertEquals(0, member.exitCode(), member.out());
        assertTrue(member.out().contains("member 0 (running)"), member.out());
    }

    @Test
    void adminFindsTheClusterAndTheSecretFromTheDataDirectory()
    {
        final Run added = banter("admin", "add-user", "carol", "--data-dir", dataDir.getPath());
        assertEquals(0, added.exitCode(), added.err());
        assertTrue(added.out().startsWith("added user carol id="), added.out());

        final Run nowhere = banter("admin", "add-user", "dave", "--data-dir", otherDir.getPath(),
            "--secret-file", BanterServer.secretFile(dataDir).getPath());
        assertEquals(1, nowhere.exitCode());
        assertTrue(nowhere.err().contains("no Banter cluster in " + otherDir.getPath()), nowhere.err());
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryFailsAtOnceNamingTheProcess()
    {
        final long startNs = System.nanoTime();
        final Run second = banter("server", "--data-dir", dataDir.getPath(), "--base-port", String.valueOf(BASE_PORT),
            "--gateway-port", "0");
        final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);

        assertEquals(1, second.exitCode());
        final String message = second.err().strip();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("banter server: " + new File(dataDir, "node-0") + " is in use by pid " + PID),
            message);
        assertTrue(tookMs < 5_000, "refused at once, not after retries: " + tookMs + " ms");
        // The first server's media driver is untouched (a driver starting there would have deleted it).
        assertTrue(CommonContext.isDriverActive(
            new File(server.node().context().aeronDirectoryName()), 2_000, ignore -> { }));
        assertEquals(0, banter("replica", "status", "--data-dir", dataDir.getPath()).exitCode());
    }

    @Test
    void aSecondServerOnTheSamePortsFailsNamingWhatIsInUseAndLeavesNothingBehind()
    {
        final File fresh = new File(otherDir, "fresh");
        final Run second = banter("server", "--data-dir", fresh.getPath(), "--base-port", String.valueOf(BASE_PORT),
            "--gateway-port", "0");
        assertEquals(1, second.exitCode());
        assertTrue(second.err().strip().startsWith("banter server: the media driver directory " +
            server.node().context().aeronDirectoryName() + " is in use by pid " + PID), second.err());
        assertFalse(fresh.exists(), "the directories it created are removed again");
        assertTrue(CommonContext.isDriverActive(
            new File(server.node().context().aeronDirectoryName()), 2_000, ignore -> { }));
    }

    @Test
    void aServerWhoseGatewayPortIsTakenFailsBeforeStartingItsMediaDriver()
    {
        final int otherBasePort = BASE_PORT + 50;
        final String gatewayPort = String.valueOf(server.gateway().port());
        final Run second = banter("server", "--data-dir", otherDir.getPath(), "--base-port",
            String.valueOf(otherBasePort), "--gateway-port", gatewayPort);
        assertEquals(1, second.exitCode());
        assertEquals("banter server: TCP port " + gatewayPort + " (the gateway's --gateway-port) on 127.0.0.1 is in " +
            "use by pid " + PID, second.err().strip().replaceAll(" \\(java\\)$", ""));
        final String aeronDir = new NodeContext().basePort(otherBasePort).conclude().aeronDirectoryName();
        assertFalse(new File(aeronDir).exists(), "no media driver directory left behind: " + aeronDir);
    }

    @Test
    void commandsAreQuietWithoutALoggingSetup() throws Exception
    {
        // Chronicle brings slf4j-api; without a binding every JVM prints three SLF4J warnings.
        assertEquals("org.slf4j.nop.NOPServiceProvider", Class.forName("org.slf4j.nop.NOPServiceProvider").getName());
    }
}
