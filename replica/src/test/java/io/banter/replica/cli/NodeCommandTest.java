package io.banter.replica.cli;

import io.banter.access.cli.Args;
import io.banter.access.gateway.GatewayContext;
import io.banter.replica.node.NodeContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code banter server} and {@code banter node} read the same options, from the command line and
 * from a {@code --config} properties file, into the member's and the gateway's settings.
 */
final class NodeCommandTest
{
    @Test
    void serverReadsItsOptionsFromAConfigFileAndTheCommandLineWins(@TempDir final Path dir) throws IOException
    {
        final Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
            "# a member of three, as deploy/systemd reads it",
            "member-id=2",
            "members=m0,m1,m2",
            "base-port=30000",
            "data-dir=" + dir.resolve("data"),
            "gateway-host=0.0.0.0",
            "gateway-port=7072",
            "leader-timeout-ms=2500",
            "hot-tier-per-conversation=50",
            "no-cold-tier=true",
            ""));
        final Args args = NodeCommand.parse(new String[]{"server", "--config", config.toString(), "--gateway-port", "7079"}, 1);

        final NodeContext node = NodeCommand.nodeContext(args);
        assertEquals(2, node.memberId());
        assertEquals(List.of("m0", "m1", "m2"), node.memberHosts());
        assertEquals(30_000, node.basePort());
        assertEquals(dir.resolve("data").toFile(), node.dataDir());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(2500), node.leaderHeartbeatTimeoutNs());
        assertFalse(node.coldTier());
        assertEquals(50, node.engineContextSupplier().get().hotTierMessagesPerConversation());

        final GatewayContext gateway = NodeCommand.gatewayContext(args);
        assertEquals("0.0.0.0", gateway.bindHost());
        assertEquals(7079, gateway.port(), "the command line wins over the file");
    }

    @Test
    void serverRefusesAConfigFileItCannotReadOrThatNamesAnUnknownOption(@TempDir final Path dir) throws IOException
    {
        final Path config = dir.resolve("server.properties");
        Files.writeString(config, "member-id=0\ngateway-prot=7070\n");
        final String unknown = errorOf("server", "--config", config.toString());
        assertTrue(unknown.contains("unknown option 'gateway-prot'"), unknown);

        final String missing = errorOf("server", "--config", dir.resolve("absent.properties").toString());
        assertTrue(missing.contains("cannot read --config"), missing);
    }

    @Test
    void theEmbeddedGatewayIsAnsweredOnTheMembersOwnHost()
    {
        final GatewayContext gateway = NodeCommand.gatewayContext(
            NodeCommand.parse(new String[]{"--member-id", "1", "--members", "h0,h1,h2"}, 0));
        assertEquals("h1", gateway.egressHost(), "a leader on h0 must reach this gateway on h1, not on localhost");

        assertNull(NodeCommand.gatewayContext(NodeCommand.parse(new String[]{"--no-gateway"}, 0)));
    }

    @Test
    void theSystemdExampleConfigFilesAreMembersOfOneThreeMemberCluster()
    {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("deploy/systemd")))
        {
            root = root.getParent();
        }
        for (int i = 0; i < 3; i++)
        {
            final Path config = root.resolve("deploy/systemd/member-" + i + ".properties");
            final Args args = NodeCommand.parse(new String[]{"node", "--config", config.toString()}, 1);
            final NodeContext node = NodeCommand.nodeContext(args);
            assertEquals(i, node.memberId(), config.toString());
            assertEquals(3, node.memberHosts().size());
            assertEquals(node.memberHosts().get(i), NodeCommand.gatewayContext(args).egressHost());
            assertEquals("0.0.0.0", NodeCommand.gatewayContext(args).bindHost());
        }
    }

    private static String errorOf(final String... argv)
    {
        final PrintStream original = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            assertEquals(2, BanterMain.run(argv), "a bad --config is refused before anything starts");
        }
        finally
        {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
