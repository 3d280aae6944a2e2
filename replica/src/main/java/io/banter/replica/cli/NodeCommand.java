package io.banter.replica.cli;

import io.banter.access.cli.Args;
import io.banter.access.gateway.GatewayContext;
import io.banter.replica.node.MemberInUseException;
import io.banter.replica.node.NodeContext;
import io.banter.replica.server.BanterServer;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.io.File;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code banter server} and {@code banter node}: run a cluster member, by default with the
 * gateway in the same process, until SIGINT or SIGTERM.
 */
final class NodeCommand
{
    private static final String USAGE = String.join("\n",
        "usage: banter %s [options]",
        "",
        "%s",
        "",
        "options:",
        "  --member-id N            this member's index in --members (default 0)",
        "  --members H0,H1,...      the host of every member, in member-id order (default localhost)",
        "  --base-port P            member i uses UDP ports P+100i+1..5 (default 20000)",
        "  --data-dir DIR           where the log, snapshots and server.secret live (default data)",
        "  --gateway-host H         the address the gateway listens on (default 127.0.0.1)",
        "  --gateway-port P         the gateway's TCP port (default 7070; 0 picks a free one)",
        "  --no-gateway             run the member without a gateway",
        "  --leader-timeout-ms T    leader heartbeat timeout before an election (default 1000)",
        "  --idle STRATEGY          backoff | sleep | spin (default backoff)",
        "%s%s" +
        "  --config FILE            a properties file with any of these options by name",
        "                           (member-id=1, members=h0,h1,h2, no-gateway=true, ...); flags win");

    private NodeCommand()
    {
    }

    static int run(final String[] argv, final int from, final boolean server)
    {
        final Args args = parse(argv, from);
        if (args.has("help"))
        {
            System.out.printf(USAGE + "%n", server ? "server" : "node", server ?
                "Start Banter: a one-member cluster with an embedded gateway, data under ./data." :
                "Run one member of an N-member cluster; start one per member with the same --members.",
                String.format(EngineOptions.USAGE), String.format(GatewayOptions.USAGE));
            return 0;
        }
        final NodeContext node = nodeContext(args);
        final GatewayContext gateway = gatewayContext(args);
        // The barrier's shutdown hook waits for it to be closed, which try-with-resources does last,
        // after the member or gateway has stopped cleanly.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            BanterServer banter = BanterServer.launch(node, gateway))
        {
            final NodeContext context = banter.node().context();
            System.out.println("banter: cluster member " + context.memberId() + " of " + context.memberHosts().size() +
                ", data in " + context.memberDir().getPath() + ", cluster ingress " + context.ingressEndpoints());
            if (null != banter.gateway())
            {
                if (!banter.awaitGatewayConnected(60, TimeUnit.SECONDS))
                {
                    System.out.println("banter: the gateway is still waiting for a cluster leader");
                }
                System.out.println("banter: listening on " + banter.gateway().address() +
                    (banter.gateway().usesEpoll() ? " (epoll)" : " (nio)"));
            }
            System.out.flush();
            barrier.await();
            System.out.println("banter: shutting down");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final MemberInUseException ex)
        {
            // Nothing was created: say what is in use, by whom, and stop.
            System.err.println("banter " + (server ? "server" : "node") + ": " + ex.getMessage());
            return 1;
        }
        catch (final RuntimeException ex)
        {
            System.err.println("banter " + (server ? "server" : "node") + ": cannot start: " + BanterMain.oneLine(ex) +
                (BanterMain.verbose() ? "" : " (--verbose for the stack trace)"));
            if (BanterMain.verbose())
            {
                ex.printStackTrace();
            }
            return 1;
        }
        return 0;
    }

    /**
     * The options of {@code server} and {@code node}, the same for both, from the command line
     * and the {@code --config} file.
     */
    static Args parse(final String[] argv, final int from)
    {
        return Args.parseWithConfig(argv, from,
            GatewayOptions.withOptions(EngineOptions.withOptions(Set.of("member-id", "members", "base-port", "data-dir",
                "gateway-host", "gateway-port", "leader-timeout-ms", "idle"))),
            EngineOptions.withFlags(Set.of("no-gateway")));
    }

    static NodeContext nodeContext(final Args args)
    {
        return new NodeContext()
            .memberId(args.getInt("member-id", 0))
            .memberHosts(Arrays.asList(args.get("members", "localhost").split(",")))
            .basePort(args.getInt("base-port", 20_000))
            .dataDir(new File(args.get("data-dir", "data")))
            .leaderHeartbeatTimeoutNs(TimeUnit.MILLISECONDS.toNanos(args.getLong("leader-timeout-ms", 1000)))
            .idleStrategy(args.get("idle", "backoff"))
            .engineContextSupplier(EngineOptions.from(args))
            .coldTier(!args.has("no-cold-tier"));
    }

    /**
     * The embedded gateway's settings, or null with {@code --no-gateway}. The cluster answers the
     * gateway on the member's own host, the address the other members already reach it on: with
     * the default (localhost) a leader on another machine would send the answers to itself.
     */
    static GatewayContext gatewayContext(final Args args)
    {
        if (args.has("no-gateway"))
        {
            return null;
        }
        final String[] hosts = args.get("members", "localhost").split(",");
        final int memberId = args.getInt("member-id", 0);
        final GatewayContext gateway = GatewayOptions.applyTo(new GatewayContext()
            .bindHost(args.get("gateway-host", "127.0.0.1"))
            .port(args.getInt("gateway-port", 7070)), args);
        if (memberId >= 0 && memberId < hosts.length)
        {
            gateway.egressHost(hosts[memberId]);
        }
        return gateway;
    }
}
