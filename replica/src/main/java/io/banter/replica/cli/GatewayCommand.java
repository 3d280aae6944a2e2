package io.banter.replica.cli;

import io.banter.access.auth.ServerSecret;
import io.banter.access.cli.Args;
import io.banter.access.gateway.Gateway;
import io.banter.access.gateway.GatewayContext;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code banter gateway}: a gateway in a process of its own, in front of a running cluster.
 */
final class GatewayCommand
{
    private static final String USAGE = String.join("\n",
        "usage: banter gateway [options]",
        "",
        "Run a gateway alone against a running cluster (its own media driver, its own cluster session).",
        "",
        "options:",
        "  --cluster ENDPOINTS      cluster ingress, e.g. 0=host0:20001,1=host1:20101 (default 0=localhost:20001)",
        "  --host H                 the address to listen on (default 127.0.0.1)",
        "  --port P                 the TCP port (default 7071)",
        "  --secret-file FILE       the server secret that signs tokens (default data/server.secret; must exist)",
        "%s");

    private GatewayCommand()
    {
    }

    static int run(final String[] argv, final int from)
    {
        final Args args = Args.parse(argv, from,
            GatewayOptions.withOptions(Set.of("cluster", "host", "port", "secret-file")), Set.of());
        if (args.has("help"))
        {
            System.out.printf(USAGE + "%n", String.format(GatewayOptions.USAGE));
            return 0;
        }
        final Path secretFile = Path.of(args.get("secret-file", "data/server.secret"));
        if (!Files.exists(secretFile))
        {
            System.err.println("banter gateway: no server secret at " + secretFile +
                " (the cluster's 'banter node' creates it; copy it here or pass --secret-file)");
            return 2;
        }
        final GatewayContext context = GatewayOptions.applyTo(new GatewayContext()
            .ingressEndpoints(args.get("cluster", "0=localhost:20001"))
            .bindHost(args.get("host", "127.0.0.1"))
            .port(args.getInt("port", 7071))
            .secret(ServerSecret.loadOrCreate(secretFile)), args);
        // The barrier's shutdown hook waits for it to be closed, which try-with-resources does last,
        // after the member or gateway has stopped cleanly.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier();
            Gateway gateway = Gateway.launch(context))
        {
            if (!gateway.awaitClusterConnected(60, TimeUnit.SECONDS))
            {
                System.out.println("banter gateway: still waiting for the cluster at " + context.ingressEndpoints());
            }
            System.out.println("banter: gateway listening on " + gateway.address() + " for cluster " +
                context.ingressEndpoints());
            System.out.flush();
            barrier.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
