package io.banter.perf.latency;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The floor under the end-to-end figure: a Netty client and an echo server over loopback TCP,
 * one small frame in flight at a time, round-trip time per ping. Same Netty as the gateway,
 * epoll when the native transport loads, TCP_NODELAY on both ends, one event-loop thread each.
 * <p>
 * A round trip is two loopback hops, as is client to gateway plus gateway to client on the
 * end-to-end path; what the end-to-end figure has on top is the gateway, the cluster and the
 * engine (and the SDK's own event loop, which uses NIO).
 */
public final class NettyPingPong
{
    /**
     * The send time in nanos and a sequence number: about the size of a small SBE command.
     */
    static final int FRAME_LENGTH = 16;

    private NettyPingPong()
    {
    }

    public record Result(Histogram rtt, boolean epoll)
    {
    }

    /**
     * Run {@code warmup} pings unrecorded, then {@code pings} recorded ones, one after another.
     */
    public static Result run(final int warmup, final int pings, final long highestTrackableNs)
        throws InterruptedException
    {
        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory ioHandlerFactory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerChannel> serverChannelClass =
            epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        final Class<? extends Channel> channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        final EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("pingpong-server", true), ioHandlerFactory);
        final EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("pingpong-client", true), ioHandlerFactory);
        try
        {
            final Channel serverChannel = new ServerBootstrap()
                .group(serverGroup)
                .channel(serverChannelClass)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    protected void initChannel(final SocketChannel ch)
                    {
                        ch.pipeline().addLast(new EchoHandler());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();

            final Histogram rtt = new Histogram(highestTrackableNs, 3);
            final PingHandler pinger = new PingHandler(warmup, pings, rtt, highestTrackableNs);
            final Channel clientChannel = new Bootstrap()
                .group(clientGroup)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>()
                {
                    protected void initChannel(final SocketChannel ch)
                    {
                        // The echo may come back split or merged; frames are fixed length.
                        ch.pipeline().addLast(new FixedLengthFrameDecoder(FRAME_LENGTH), pinger);
                    }
                })
                .connect((InetSocketAddress)serverChannel.localAddress()).sync().channel();

            try
            {
                pinger.done.get(5, TimeUnit.MINUTES);
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("ping-pong did not finish: " + pinger.count + " of " +
                    (warmup + pings) + " pings", ex);
            }
            clientChannel.close().sync();
            serverChannel.close().sync();
            // The handler wrote the histogram on the client event loop; completing the future published it.
            return new Result(rtt, epoll);
        }
        finally
        {
            clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static final class EchoHandler extends ChannelInboundHandlerAdapter
    {
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            // The read buffer goes straight back: ownership passes to the write.
            ctx.writeAndFlush(msg, ctx.voidPromise());
        }

        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close();
        }
    }

    private static final class PingHandler extends ChannelInboundHandlerAdapter
    {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final int warmup;
        final int total;
        final Histogram rtt;
        final long highestTrackableNs;
        volatile int count;

        PingHandler(final int warmup, final int pings, final Histogram rtt, final long highestTrackableNs)
        {
            this.warmup = warmup;
            this.total = warmup + pings;
            this.rtt = rtt;
            this.highestTrackableNs = highestTrackableNs;
        }

        public void channelActive(final ChannelHandlerContext ctx)
        {
            ping(ctx, 0);
        }

        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final long nowNs = System.nanoTime();
            final ByteBuf frame = (ByteBuf)msg;
            final long sentNs;
            final long sequence;
            try
            {
                sentNs = frame.getLong(frame.readerIndex());
                sequence = frame.getLong(frame.readerIndex() + Long.BYTES);
            }
            finally
            {
                frame.release();
            }
            if (sequence >= warmup)
            {
                rtt.recordValue(Math.min(nowNs - sentNs, highestTrackableNs));
            }
            final int received = count + 1;
            count = received;
            if (received < total)
            {
                ping(ctx, received);
            }
            else
            {
                done.complete(null);
            }
        }

        public void channelInactive(final ChannelHandlerContext ctx)
        {
            done.completeExceptionally(new IllegalStateException("connection closed"));
        }

        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            done.completeExceptionally(cause);
            ctx.close();
        }

        private static void ping(final ChannelHandlerContext ctx, final long sequence)
        {
            final ByteBuf frame = ctx.alloc().buffer(FRAME_LENGTH);
            frame.writeLong(System.nanoTime()).writeLong(sequence);
            ctx.writeAndFlush(frame, ctx.voidPromise());
        }
    }
}
