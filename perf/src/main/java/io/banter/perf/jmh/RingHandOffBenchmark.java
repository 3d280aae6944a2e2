package io.banter.perf.jmh;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The gateway's hand-off from a Netty thread to the cluster-client agent: a multi-producer
 * Disruptor ring of preallocated slots, each request copied into its slot (100 bytes, a Send
 * with a 64-byte payload) and drained on another thread by an {@link EventPoller}, as the gateway
 * does. The benchmark thread publishes; a consumer thread drains as fast as it can. Time per
 * hand-off at full rate (the gateway refuses with BUSY instead of waiting when the ring is full;
 * here the producer waits, so the figure is the sustained cost, not the refusal path).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RingHandOffBenchmark
{
    private static final int REQUEST_LENGTH = 100;

    /**
     * A slot, shaped like the gateway's inbound event.
     */
    static final class Slot
    {
        long connectionId;
        int templateId;
        final UnsafeBuffer request = new UnsafeBuffer(new byte[1024]);
        int length;
    }

    private final UnsafeBuffer request = new UnsafeBuffer(new byte[REQUEST_LENGTH]);
    private RingBuffer<Slot> ring;
    private Thread consumer;
    private volatile boolean running;
    private long consumedBytes;

    @Setup(Level.Trial)
    public void startConsumer()
    {
        ring = RingBuffer.createMultiProducer(Slot::new, 4096, new BusySpinWaitStrategy());
        final EventPoller<Slot> poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        final EventPoller.Handler<Slot> handler = (slot, sequence, endOfBatch) ->
        {
            consumedBytes += slot.length;
            return true;
        };
        running = true;
        consumer = new Thread(() ->
        {
            try
            {
                while (running)
                {
                    if (EventPoller.PollState.PROCESSING != poller.poll(handler))
                    {
                        Thread.onSpinWait();
                    }
                }
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }, "ring-consumer");
        consumer.setDaemon(true);
        consumer.start();
    }

    @TearDown(Level.Trial)
    public void stopConsumer() throws InterruptedException
    {
        running = false;
        consumer.join();
    }

    @Benchmark
    public long handOff()
    {
        final long sequence = ring.next();
        final Slot slot = ring.get(sequence);
        slot.connectionId = sequence;
        slot.templateId = 4;
        slot.request.putBytes(0, request, 0, REQUEST_LENGTH);
        slot.length = REQUEST_LENGTH;
        ring.publish(sequence);
        return sequence;
    }
}
