package io.banter.replica.drill;

import io.banter.access.auth.TokenAuthority;
import io.banter.access.client.BanterClient;
import io.banter.access.client.BanterClientContext;
import io.banter.access.gateway.Gateway;
import io.banter.access.gateway.GatewayContext;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.Platform;
import io.banter.replica.admin.AdminClient;
import io.banter.replica.local.LocalCluster;
import io.banter.replica.local.LocalClusterContext;
import io.banter.replica.ops.ClusterStatus;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.agrona.IoUtil;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The zero-loss failover drill: a local cluster of member processes, gateways in this process
 * (each a cluster client with its own media driver; clients are spread over them),
 * clients sending on a fixed schedule, the leader killed with SIGKILL in the middle, then a
 * check of every client's records (see {@link DrillReport}).
 */
public final class FailoverDrill
{
    private static final long LEADER_POLL_NS = TimeUnit.MILLISECONDS.toNanos(20);

    private final DrillContext context;
    private final PrintStream out;

    public FailoverDrill(final DrillContext context, final PrintStream out)
    {
        this.context = context.conclude();
        this.out = out;
    }

    public DrillReport run() throws IOException, InterruptedException
    {
        final boolean temporary = null == context.dataDir();
        final File dataDir = temporary ? Files.createTempDirectory("banter-drill-").toFile() : context.dataDir();
        final LocalClusterContext clusterContext = new LocalClusterContext()
            .members(context.members())
            .dataDir(dataDir)
            .basePort(context.basePort())
            .gateways(false)
            .strangersMayMessage(true) // drill users message each other without a friendship first
            .leaderTimeoutMs(context.leaderTimeoutMs())
            .hotTierEntries(Math.max(100_000, 2L * context.rate() * context.durationMs() / 1000));
        final String ingress = clusterContext.nodeContext(0).ingressEndpoints();
        out.println("drill: starting " + context.members() + " members in " + dataDir);
        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        final EventLoopGroup clientLoops =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("drill-clients", true), NioIoHandler.newFactory());
        final List<DrillParticipant> participants = new ArrayList<>();
        final List<Gateway> gateways = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.start(clusterContext))
        {
            for (int i = 0; i < context.gateways(); i++)
            {
                gateways.add(Gateway.launch(new GatewayContext()
                    .ingressEndpoints(ingress)
                    .port(0 == context.gatewayPort() ? 0 : context.gatewayPort() + i)
                    .secret(secret)));
            }
            for (final Gateway gateway : gateways)
            {
                if (!gateway.awaitClusterConnected(60, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("a gateway found no cluster leader at " + ingress);
                }
            }
            final TokenAuthority tokens = new TokenAuthority(secret);
            registerUsers(ingress, tokens, participants);
            connectClients(tokens, gateways, clientLoops, participants);

            final long[] killedAtNs = {0};
            final DrillReport leaderChange = new DrillReport();
            final Thread killer = new Thread(() -> killLeader(cluster, leaderChange, killedAtNs), "drill-killer");
            out.printf("drill: %d clients sending %d msg/s for %d ms; the leader is killed after %d ms%n",
                context.clients(), context.rate(), context.durationMs(), context.killAfterMs());
            final long startNs = System.nanoTime();
            killer.start();
            sendOnSchedule(participants, startNs);
            killer.join();

            out.println("drill: sending done; waiting for every ack and delivery");
            settle(participants);
            final DrillReport report = DrillReport.check(participants, killedAtNs[0]);
            report.killedMember = leaderChange.killedMember;
            report.newLeader = leaderChange.newLeader;
            report.timeToNewLeaderMs = leaderChange.timeToNewLeaderMs;
            for (final Gateway gateway : gateways)
            {
                report.gateway(gateway.counters());
            }
            report.parameters = context.members() + " members, " + context.clients() + " clients, " + context.rate() +
                " msg/s for " + context.durationMs() + " ms, leader killed after " + context.killAfterMs() +
                " ms, leader heartbeat timeout " + context.leaderTimeoutMs() + " ms, " + context.gateways() + " gateways";
            return report;
        }
        finally
        {
            for (final DrillParticipant participant : participants)
            {
                if (null != participant.client)
                {
                    participant.client.close();
                }
            }
            for (final Gateway gateway : gateways)
            {
                gateway.close();
            }
            clientLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (temporary && !context.keepData())
            {
                IoUtil.delete(dataDir, true);
            }
        }
    }

    private void registerUsers(
        final String ingress, final TokenAuthority tokens, final List<DrillParticipant> participants)
    {
        final int maxSends = (int)(context.rate() * context.durationMs() / 1000 / context.clients()) + 2;
        try (AdminClient admin = new AdminClient(null, ingress))
        {
            for (int i = 0; i < context.clients(); i++)
            {
                final String name = "drill-" + i;
                final long userId = tokens.userIdFor(name);
                final AdminClient.Response response = admin.registerUser(userId, name, 30, TimeUnit.SECONDS);
                if (ErrorCode.NONE != response.code() && ErrorCode.USER_EXISTS != response.code())
                {
                    throw new IllegalStateException("cannot register " + name + ": " + response.text());
                }
                participants.add(new DrillParticipant(i, userId, name, maxSends));
            }
        }
    }

    private void connectClients(
        final TokenAuthority tokens,
        final List<Gateway> gateways,
        final EventLoopGroup loops,
        final List<DrillParticipant> participants)
    {
        for (final DrillParticipant participant : participants)
        {
            final String endpoint = "127.0.0.1:" + gateways.get(participant.index % gateways.size()).port();
            final String token = tokens.issue(participant.userId, System.currentTimeMillis() + TimeUnit.HOURS.toMillis(1));
            participant.client = BanterClient.connect(new BanterClientContext()
                .endpoints(endpoint)
                .userId(participant.userId)
                .deviceId(1)
                .platform(Platform.DESKTOP)
                .token(token)
                .eventLoopGroup(loops)
                .maxQueuedSends(1_000_000)
                .listener(participant));
        }
        for (final DrillParticipant participant : participants)
        {
            participant.client.awaitOnline(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Open loop: message k is due at start + k / rate, from client k mod N to the next client.
     */
    private void sendOnSchedule(final List<DrillParticipant> participants, final long startNs)
    {
        final long total = context.rate() * context.durationMs() / 1000;
        final OpenLoopSchedule schedule = new OpenLoopSchedule(startNs, context.rate());
        final int count = participants.size();
        for (long k = 0; k < total; k++)
        {
            final long dueNs = schedule.awaitDue(k);
            final int sender = (int)(k % count);
            participants.get(sender).sendNext(participants.get((sender + 1) % count).userId, dueNs);
        }
    }

    private void killLeader(final LocalCluster cluster, final DrillReport result, final long[] killedAtNs)
    {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(context.killAfterMs()));
        final LocalClusterContext clusterContext = cluster.context();
        final int leader = ClusterStatus.leaderOf(ClusterStatus.query(clusterContext));
        if (leader < 0)
        {
            out.println("drill: no leader to kill");
            return;
        }
        killedAtNs[0] = System.nanoTime();
        cluster.kill(leader);
        result.killedMember = leader;
        out.println("drill: killed leader member " + leader + " (SIGKILL)");
        final long deadlineNs = killedAtNs[0] + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadlineNs)
        {
            final int newLeader = ClusterStatus.leaderOf(ClusterStatus.roles(clusterContext));
            if (newLeader >= 0 && newLeader != leader)
            {
                result.newLeader = newLeader;
                result.timeToNewLeaderMs = (System.nanoTime() - killedAtNs[0]) / 1_000_000;
                out.println("drill: member " + newLeader + " leads after " + result.timeToNewLeaderMs + " ms");
                return;
            }
            LockSupport.parkNanos(LEADER_POLL_NS);
        }
        out.println("drill: no new leader within 60 s");
    }

    private void settle(final List<DrillParticipant> participants) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(context.settleTimeoutMs());
        while (System.nanoTime() < deadlineNs)
        {
            if (allAnsweredAndDelivered(participants))
            {
                return;
            }
            Thread.sleep(100);
        }
        out.println("drill: not everything settled within " + context.settleTimeoutMs() + " ms");
    }

    private static boolean allAnsweredAndDelivered(final List<DrillParticipant> participants)
    {
        final int count = participants.size();
        for (int p = 0; p < count; p++)
        {
            final DrillParticipant sender = participants.get(p);
            final int acked = sender.acked();
            if (acked + sender.failures() < sender.sent())
            {
                return false;
            }
            long received = 0;
            for (final DrillParticipant.Received message : participants.get((p + 1) % count).received())
            {
                if (message.senderUserId() == sender.userId)
                {
                    received++;
                }
            }
            if (received < acked)
            {
                return false;
            }
        }
        return true;
    }
}
