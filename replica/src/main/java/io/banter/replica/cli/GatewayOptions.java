package io.banter.replica.cli;

import io.banter.access.cli.Args;
import io.banter.access.gateway.GatewayContext;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The limits an operator can give a gateway, embedded ({@code banter server}, {@code banter node})
 * or alone ({@code banter gateway}): what one client, and all clients together, may take of it.
 */
public final class GatewayOptions
{
    /** Options that take a value. */
    public static final Set<String> OPTIONS = Set.of(
        "heartbeat-timeout-ms", "max-connections", "max-accepts-per-second", "max-unauthenticated-connections", "login-timeout-ms",
        "requests-per-second", "request-burst", "max-queued-bytes");

    public static final String USAGE =
        "  --heartbeat-timeout-ms N  a connection silent this long is closed (default 15000)%n" +
        "  --max-connections N       client connections held at once; one more is refused BUSY (default 20000)%n" +
        "  --max-accepts-per-second N  connections accepted per second; the backlog holds the rest (default 5000)%n" +
        "  --max-unauthenticated-connections N  of those, connections without a valid login yet (default 4096)%n" +
        "  --login-timeout-ms N      a connection without a valid login this long is closed (default 5000)%n" +
        "  --requests-per-second N   frames one user (all its connections) may send per second on average;%n" +
        "                            a request answered with a page counts 16 (default 1000)%n" +
        "  --request-burst N         frames above that rate at once before reading it pauses (default 200)%n" +
        "  --max-queued-bytes N      unread output queued for one connection before it is closed (default 4194304)%n";

    private GatewayOptions()
    {
    }

    /**
     * {@code context} with the limits in {@code args}, its own values elsewhere.
     */
    public static GatewayContext applyTo(final GatewayContext context, final Args args)
    {
        final int highWaterMark = args.getInt("max-queued-bytes", context.writeBufferHighWaterMark());
        return context
            .heartbeatTimeoutNs(TimeUnit.MILLISECONDS.toNanos(
                args.getLong("heartbeat-timeout-ms", TimeUnit.NANOSECONDS.toMillis(context.heartbeatTimeoutNs()))))
            .maxConnections(args.getInt("max-connections", context.maxConnections()))
            .maxAcceptsPerSecond(args.getInt("max-accepts-per-second", context.maxAcceptsPerSecond()))
            .maxUnauthenticatedConnections(
                args.getInt("max-unauthenticated-connections", context.maxUnauthenticatedConnections()))
            .loginTimeoutNs(TimeUnit.MILLISECONDS.toNanos(
                args.getLong("login-timeout-ms", TimeUnit.NANOSECONDS.toMillis(context.loginTimeoutNs()))))
            .requestRate(args.getInt("requests-per-second", context.requestsPerSecond()),
                args.getInt("request-burst", context.requestBurst()))
            .writeBufferWaterMarks(Math.min(context.writeBufferLowWaterMark(), highWaterMark / 2), highWaterMark);
    }

    /**
     * {@code base} plus the gateway options.
     */
    public static Set<String> withOptions(final Set<String> base)
    {
        final Set<String> all = new HashSet<>(base);
        all.addAll(OPTIONS);
        return all;
    }
}
