package io.banter.access.gateway;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import io.aeron.driver.MediaDriver;
import io.banter.access.framing.SofhFrameDecoder;
import io.banter.access.cluster.ClusterClients;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocal;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client-facing TCP gateway: Netty threads frame, check and hand requests to one
 * cluster-client agent through a bounded Disruptor ring; the agent talks to the cluster and
 * routes the engine's events back to connections.
 */
public final class Gateway implements AutoCloseable
{
    private final GatewayContext context;
    private final GatewayCounters counters = new GatewayCounters();
    private final MediaDriver embeddedDriver;
    private final ClusterClientAgent agent;
    private final AgentRunner agentRunner;
    private final HashedWheelTimer heartbeatWheel;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Channel serverChannel;
    private final boolean epoll;

    private Gateway(final GatewayContext context)
    {
        this.context = context.conclude();
        embeddedDriver = null == context.aeronDirectoryName() ? ClusterClients.launchEmbeddedDriver() : null;
        final String aeronDir = null != embeddedDriver ?
            embeddedDriver.aeronDirectoryName() : context.aeronDirectoryName();

        final RingBuffer<InboundEvent> ring = RingBuffer.createMultiProducer(
            () -> new InboundEvent(context.maxFrameLength()), context.inboundRingSize(), new BusySpinWaitStrategy());
        final EventPoller<InboundEvent> poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());

        agent = new ClusterClientAgent(context, poller,
            () -> context.ipcToCluster() ?
                ClusterClients.ipcContext(aeronDir) :
                ClusterClients.context(aeronDir, context.ingressEndpoints(), context.egressHost()), counters);
        agentRunner = new AgentRunner(
            new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100)),
            Throwable::printStackTrace, null, agent);
        AgentRunner.startOnThread(agentRunner);

        heartbeatWheel = new HashedWheelTimer(
            new DefaultThreadFactory("banter-heartbeat-wheel", true), 100, TimeUnit.MILLISECONDS, 512);

        epoll = context.preferEpoll() && Epoll.isAvailable();
        final IoHandlerFactory ioHandlerFactory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerChannel> serverChannelClass =
            epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("banter-accept", true), ioHandlerFactory);
        workerGroup = new MultiThreadIoEventLoopGroup(
            context.ioThreads(), new DefaultThreadFactory("banter-io", true), ioHandlerFactory);

        final FastThreadLocal<NettyThreadState> threadState = new FastThreadLocal<>()
        {
            protected NettyThreadState initialValue()
            {
                return new NettyThreadState(context.maxFrameLength(), context.secret());
            }
        };
        final AtomicLong connectionIds = new AtomicLong();
        final ConnectionAdmission admission =
            new ConnectionAdmission(context.maxConnections(), context.maxUnauthenticatedConnections());
        final UserRequestRates userRates = new UserRequestRates();
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(serverChannelClass)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            .handler(new AcceptPacer(context.maxAcceptsPerSecond(), counters))
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(context.writeBufferLowWaterMark(), context.writeBufferHighWaterMark()))
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel channel)
                {
                    final ClientChannelHandler client = new ClientChannelHandler(
                        ring, threadState, heartbeatWheel, context, admission, userRates, counters, connectionIds);
                    // Frames are handed to the client handler in place: no slice per inbound message.
                    channel.pipeline()
                        .addLast("framing", new SofhFrameDecoder(context.maxFrameLength(), client))
                        .addLast("client", client);
                }
            });
        try
        {
            serverChannel = bootstrap.bind(context.bindHost(), context.port()).syncUninterruptibly().channel();
        }
        catch (final RuntimeException ex)
        {
            closeResources();
            throw ex;
        }
    }

    public static Gateway launch(final GatewayContext context)
    {
        return new Gateway(context);
    }

    /**
     * Wait until the agent has a cluster session, so that logins are not answered BUSY.
     *
     * @return whether it connected within the timeout.
     */
    public boolean awaitClusterConnected(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!agent.isClusterConnected())
        {
            if (System.nanoTime() >= deadline)
            {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    public int port()
    {
        return ((InetSocketAddress)serverChannel.localAddress()).getPort();
    }

    public String address()
    {
        return context.bindHost() + ":" + port();
    }

    public boolean usesEpoll()
    {
        return epoll;
    }

    public GatewayCounters counters()
    {
        return counters;
    }

    public GatewayContext context()
    {
        return context;
    }

    public void close()
    {
        serverChannel.close().syncUninterruptibly();
        closeResources();
    }

    private void closeResources()
    {
        // Connections close first, while the agent still drains the ring and tells the engine.
        workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        CloseHelper.quietClose(agentRunner);
        heartbeatWheel.stop();
        CloseHelper.quietClose(embeddedDriver);
    }
}
