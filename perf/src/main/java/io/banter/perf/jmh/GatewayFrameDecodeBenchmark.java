package io.banter.perf.jmh;

import io.banter.access.framing.SofhFrameDecoder;
import io.banter.access.framing.SofhFrames;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.SendEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The gateway's first step per inbound frame: the SOFH decoder splitting a read of 64 coalesced
 * {@code Send} frames (64-byte payloads) into frames, as a Netty read delivers them, each handed
 * in place to a listener as the gateway's client handler receives it. Reported per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GatewayFrameDecodeBenchmark
{
    private static final int FRAMES_PER_READ = 64;

    private EmbeddedChannel channel;
    private ByteBuf read;
    private long decodedBytes;

    @Setup(Level.Trial)
    public void setUp()
    {
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[512]);
        final SendEncoder send = new SendEncoder().wrapAndApplyHeader(scratch, SofhFrames.BODY_OFFSET,
            new MessageHeaderEncoder());
        send.clientMsgId(1).conversationId(42).toUserId(0).contentType(1).putPayload(new UnsafeBuffer(new byte[64]), 0, 64);
        final ByteBuf frame = SofhFrames.framed(PooledByteBufAllocator.DEFAULT, scratch, send.limit());
        read = PooledByteBufAllocator.DEFAULT.directBuffer(frame.readableBytes() * FRAMES_PER_READ);
        for (int i = 0; i < FRAMES_PER_READ; i++)
        {
            read.writeBytes(frame, frame.readerIndex(), frame.readableBytes());
        }
        frame.release();
        channel = new EmbeddedChannel(new SofhFrameDecoder(8 * 1024,
            (ctx, buffer, index, length) ->
            {
                decodedBytes += buffer.getByte(index) + length;
                return true;
            }));
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        channel.finishAndReleaseAll();
        read.release();
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES_PER_READ)
    public long decode()
    {
        read.retain();
        read.readerIndex(0);
        channel.pipeline().fireChannelRead(read);
        return decodedBytes;
    }
}
