package io.banter.replica;

import io.banter.access.auth.TokenAuthority;
import io.banter.access.client.BanterClient;
import io.banter.access.client.BanterClientContext;
import io.banter.access.client.MessageListener;
import io.banter.access.client.SendReceipt;
import io.banter.access.gateway.GatewayContext;
import io.banter.codecs.ErrorCode;
import io.banter.engine.Engine;
import io.banter.engine.EngineContext;
import io.banter.replica.admin.AdminClient;
import io.banter.replica.node.NodeContext;
import io.banter.replica.ops.ClusterStatus;
import io.banter.replica.server.BanterServer;
import org.agrona.CloseHelper;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real cluster of one or more members on localhost, each with an embedded gateway on an
 * ephemeral port, in this JVM; plus the admin client and SDK clients wired to it.
 */
final class TestCluster implements AutoCloseable
{
    /**
     * The engine settings of test members: a smaller hot tier, and direct messages between users
     * who are not friends allowed, since most tests are about delivery, not the relationship chain.
     */
    static EngineContext engineContext()
    {
        return new EngineContext().hotTierEntries(200_000).strangersMayMessage(true);
    }

    static final byte[] SECRET = "banter-test-secret-0123456789abcdef".getBytes();

    private final File dataDir;
    private final int basePort;
    private final int memberCount;
    private final List<BanterServer> servers = new ArrayList<>();
    private final List<BanterClient> clients = new ArrayList<>();
    private final List<Integer> gatewayPorts = new ArrayList<>();
    private final TokenAuthority tokens = new TokenAuthority(SECRET);
    private Supplier<EngineContext> engineContexts = TestCluster::engineContext;
    private AdminClient admin;

    private TestCluster(final File dataDir, final int basePort, final int memberCount)
    {
        this.dataDir = dataDir;
        this.basePort = basePort;
        this.memberCount = memberCount;
    }

    static TestCluster start(final File dataDir, final int basePort, final int memberCount) throws InterruptedException
    {
        return start(dataDir, basePort, memberCount, TestCluster::engineContext);
    }

    /**
     * A cluster whose members run engines with other settings, e.g. the default relationship policy.
     */
    static TestCluster start(
        final File dataDir, final int basePort, final int memberCount, final Supplier<EngineContext> engineContexts)
        throws InterruptedException
    {
        final TestCluster cluster = new TestCluster(dataDir, basePort, memberCount);
        cluster.engineContexts = engineContexts;
        cluster.startServers();
        return cluster;
    }

    void startServers() throws InterruptedException
    {
        for (int i = 0; i < memberCount; i++)
        {
            servers.add(launchMember(i));
        }
        for (final BanterServer server : servers)
        {
            assertTrue(server.awaitGatewayConnected(60, TimeUnit.SECONDS), "gateway connected to the cluster");
        }
        admin = new AdminClient(servers.get(0).node().context().aeronDirectoryName(),
            servers.get(0).node().context().ingressEndpoints());
    }

    NodeContext nodeContext(final int member)
    {
        return new NodeContext()
            .memberId(member)
            .memberHosts(java.util.Collections.nCopies(memberCount, "localhost"))
            .basePort(basePort)
            .dataDir(dataDir)
            .engineContextSupplier(engineContexts);
    }

    private BanterServer launchMember(final int member)
    {
        // Ephemeral ports on first start, the same ones on a restart so clients find the gateway again.
        final int port = member < gatewayPorts.size() ? gatewayPorts.get(member) : 0;
        final GatewayContext gateway = new GatewayContext().port(port).secret(SECRET)
            .heartbeatTimeoutNs(TimeUnit.SECONDS.toNanos(2));
        final BanterServer server = BanterServer.launch(nodeContext(member), gateway);
        if (member >= gatewayPorts.size())
        {
            gatewayPorts.add(server.gateway().port());
        }
        return server;
    }

    /**
     * Stop one member cleanly; the others keep serving while they are a quorum.
     */
    void stopMember(final int member)
    {
        if (null != admin && 0 == member)
        {
            CloseHelper.closeAll(admin);
            admin = null;
        }
        servers.get(member).close();
        servers.set(member, null);
    }

    void startMember(final int member) throws InterruptedException
    {
        final BanterServer server = launchMember(member);
        servers.set(member, server);
        assertTrue(server.awaitGatewayConnected(60, TimeUnit.SECONDS), "gateway connected to the cluster");
    }

    /**
     * Stop every member cleanly, keeping the data directory; clients stay and reconnect later.
     */
    void stopServers()
    {
        CloseHelper.closeAll(admin);
        admin = null;
        for (final BanterServer server : servers)
        {
            CloseHelper.close(server);
        }
        servers.clear();
    }

    /**
     * Wait until every running member has applied the same log: followers apply the committed
     * log a little after the leader.
     *
     * @return the state hash they agree on.
     */
    long awaitOneStateHash() throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true)
        {
            final long first = stateHash(0);
            boolean agreed = true;
            for (int member = 1; member < servers.size(); member++)
            {
                agreed &= stateHash(member) == first;
            }
            if (agreed)
            {
                return first;
            }
            if (System.nanoTime() >= deadline)
            {
                final StringBuilder members = new StringBuilder();
                for (final BanterServer server : servers)
                {
                    final var service = server.node().service();
                    members.append("\n  member ").append(server.node().context().memberId())
                        .append(" role ").append(service.role())
                        .append(" applied ").append(service.appliedLogEntries())
                        .append(" hash ").append(stateHash(server.node().context().memberId()))
                        .append(" fromSnapshot ").append(service.startedFromSnapshot());
                }
                throw new AssertionError("members did not converge to one state hash:" + members);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Ask member {@code member}'s engine a question, answered on its service thread.
     */
    <T> T inspect(final int member, final Function<Engine, T> query)
    {
        try
        {
            return servers.get(member).node().service().inspect(query).get(30, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new AssertionError("member " + member + " did not answer", ex);
        }
    }

    long stateHash(final int member)
    {
        return inspect(member, Engine::stateHash);
    }

    /**
     * {@link #awaitOneStateHash()} once the state has stopped changing: clients acknowledge
     * what they received a little later (cumulative acks are delayed), and that is state too.
     */
    long awaitQuietStateHash() throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long previous = awaitOneStateHash();
        while (true)
        {
            assertTrue(System.nanoTime() < deadline, "the members' state settles");
            Thread.sleep(500);
            final long hash = awaitOneStateHash();
            if (hash == previous)
            {
                return hash;
            }
            previous = hash;
        }
    }

    /**
     * The member that leads now, waiting for an election to finish if one is under way.
     */
    int awaitLeader() throws InterruptedException
    {
        final List<NodeContext> nodes = new ArrayList<>();
        for (int i = 0; i < memberCount; i++)
        {
            nodes.add(nodeContext(i).conclude());
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int leader;
        while ((leader = ClusterStatus.leaderOf(ClusterStatus.roles(nodes))) < 0)
        {
            assertTrue(System.nanoTime() < deadline, "a leader is elected");
            Thread.sleep(50);
        }
        return leader;
    }

    int memberCount()
    {
        return memberCount;
    }

    BanterServer server(final int member)
    {
        return servers.get(member);
    }

    String gatewayAddress(final int member)
    {
        return "localhost:" + servers.get(member).gateway().port();
    }

    long addUser(final String name)
    {
        final long userId = tokens.userIdFor(name);
        final AdminClient.Response response = admin.registerUser(userId, name, 30, TimeUnit.SECONDS);
        assertEquals(ErrorCode.NONE, response.code(), response.text());
        return userId;
    }

    String token(final long userId)
    {
        return tokens.issue(userId, System.currentTimeMillis() + TimeUnit.HOURS.toMillis(1));
    }

    BanterClientContext clientContext(final long userId, final long deviceId, final MessageListener listener)
    {
        return clientContext(0, userId, deviceId, listener);
    }

    BanterClientContext clientContext(
        final int member, final long userId, final long deviceId, final MessageListener listener)
    {
        return new BanterClientContext()
            .endpoints(gatewayAddress(member))
            .userId(userId)
            .deviceId(deviceId)
            .token(token(userId))
            .listener(listener)
            .heartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(400))
            .reconnectBackoff(TimeUnit.MILLISECONDS.toNanos(20), TimeUnit.MILLISECONDS.toNanos(500));
    }

    BanterClient client(final BanterClientContext context)
    {
        final BanterClient client = BanterClient.connect(context);
        clients.add(client);
        return client;
    }

    BanterClient onlineClient(final long userId, final long deviceId, final MessageListener listener)
    {
        return client(clientContext(userId, deviceId, listener)).awaitOnline(30, TimeUnit.SECONDS);
    }

    public void close()
    {
        for (final BanterClient client : clients)
        {
            CloseHelper.quietClose(client);
        }
        stopServers();
    }

    /**
     * Send texts prefix+from … prefix+(from+count-1) and wait for every ack.
     */
    static List<SendReceipt> sendAll(
        final BanterClient client, final long to, final String prefix, final int from, final int count) throws Exception
    {
        final List<CompletableFuture<SendReceipt>> futures = new ArrayList<>();
        for (int i = from; i < from + count; i++)
        {
            futures.add(client.sendText(to, prefix + i));
        }
        final List<SendReceipt> receipts = new ArrayList<>();
        for (final CompletableFuture<SendReceipt> future : futures)
        {
            receipts.add(future.get(30, TimeUnit.SECONDS));
        }
        return receipts;
    }
}
