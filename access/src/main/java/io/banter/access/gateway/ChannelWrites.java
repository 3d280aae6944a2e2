package io.banter.access.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import org.agrona.collections.ObjectHashSet;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

import java.util.Arrays;

/**
 * The agent's writes to client connections, handed to each Netty event loop as one task per duty
 * cycle instead of one per write. A {@code writeAndFlush} from a foreign thread costs the event
 * loop a task and often a wake-up for every frame; here the agent gathers the frames of a cycle
 * per event loop ({@link #write}) and {@link #flush} hands each loop one {@link Batch} that writes
 * all of its frames and flushes each channel it touched once.
 * <p>
 * Order per channel is the agent's: a loop runs its tasks in order and a batch writes in order.
 * Batches are reused through a per-loop free list, so the steady state allocates nothing; under a
 * burst that outruns the loops a new batch is made and kept. Agent thread only, except where said.
 */
final class ChannelWrites
{
    private static final int FREE_BATCHES_PER_LOOP = 64;
    private static final int INITIAL_BATCH_CAPACITY = 256;

    private final GatewayCounters counters;
    private EventLoop[] loops = new EventLoop[0];
    private LoopWrites[] loopWrites = new LoopWrites[0];

    ChannelWrites(final GatewayCounters counters)
    {
        this.counters = counters;
    }

    /**
     * Queue {@code frame} for {@code channel}; it is written at the next {@link #flush}.
     */
    void write(final Channel channel, final ByteBuf frame)
    {
        loopWrites(channel.eventLoop()).current().add(channel, frame, false);
    }

    /**
     * Queue {@code frame} for {@code channel} and close the channel once it is written.
     */
    void writeAndClose(final Channel channel, final ByteBuf frame)
    {
        loopWrites(channel.eventLoop()).current().add(channel, frame, true);
    }

    /**
     * Hand every event loop the frames gathered for it, one task each.
     *
     * @return how many loops were handed a batch.
     */
    int flush()
    {
        int handed = 0;
        for (final LoopWrites writes : loopWrites)
        {
            handed += writes.handOver();
        }
        return handed;
    }

    private LoopWrites loopWrites(final EventLoop loop)
    {
        // A gateway has a handful of event loops: a scan beats any map.
        for (int i = 0; i < loops.length; i++)
        {
            if (loops[i] == loop)
            {
                return loopWrites[i];
            }
        }
        loops = Arrays.copyOf(loops, loops.length + 1);
        loopWrites = Arrays.copyOf(loopWrites, loopWrites.length + 1);
        loops[loops.length - 1] = loop;
        return loopWrites[loopWrites.length - 1] = new LoopWrites(loop);
    }

    private final class LoopWrites
    {
        private final EventLoop loop;
        private final OneToOneConcurrentArrayQueue<Batch> free = new OneToOneConcurrentArrayQueue<>(FREE_BATCHES_PER_LOOP);
        private Batch current;

        LoopWrites(final EventLoop loop)
        {
            this.loop = loop;
        }

        Batch current()
        {
            if (null == current)
            {
                current = free.poll();
                if (null == current)
                {
                    current = new Batch(this);
                }
            }
            return current;
        }

        int handOver()
        {
            final Batch batch = current;
            if (null == batch || 0 == batch.count)
            {
                return 0;
            }
            current = null;
            counters.writeBatches.increment();
            try
            {
                loop.execute(batch);
            }
            catch (final RuntimeException ex)
            {
                // The loop is shutting down with the gateway: its channels are closing anyway.
                batch.discard();
            }
            return 1;
        }

        /**
         * Event loop thread: the batch is done and may be filled again.
         */
        void recycle(final Batch batch)
        {
            free.offer(batch);
        }
    }

    /**
     * One duty cycle's frames for one event loop; runs on that loop.
     */
    private final class Batch implements Runnable
    {
        private final LoopWrites owner;
        private final ObjectHashSet<Channel> touched = new ObjectHashSet<>();
        private Channel[] channels = new Channel[INITIAL_BATCH_CAPACITY];
        private ByteBuf[] frames = new ByteBuf[INITIAL_BATCH_CAPACITY];
        private boolean[] closeAfter = new boolean[INITIAL_BATCH_CAPACITY];
        private Channel[] toFlush = new Channel[INITIAL_BATCH_CAPACITY];
        private int count;

        Batch(final LoopWrites owner)
        {
            this.owner = owner;
        }

        void add(final Channel channel, final ByteBuf frame, final boolean close)
        {
            if (count == channels.length)
            {
                final int capacity = count * 2;
                channels = Arrays.copyOf(channels, capacity);
                frames = Arrays.copyOf(frames, capacity);
                closeAfter = Arrays.copyOf(closeAfter, capacity);
                toFlush = Arrays.copyOf(toFlush, capacity);
            }
            channels[count] = channel;
            frames[count] = frame;
            closeAfter[count] = close;
            count++;
        }

        public void run()
        {
            int flushCount = 0;
            for (int i = 0; i < count; i++)
            {
                final Channel channel = channels[i];
                final ByteBuf frame = frames[i];
                if (SlowConsumers.closeIfOverBound(channel, counters))
                {
                    frame.release();
                }
                else if (closeAfter[i])
                {
                    channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
                }
                else
                {
                    channel.write(frame, channel.voidPromise());
                    if (touched.add(channel))
                    {
                        toFlush[flushCount++] = channel;
                    }
                }
            }
            for (int i = 0; i < flushCount; i++)
            {
                toFlush[i].flush();
            }
            counters.writesBatched.add(count);
            clear(flushCount);
            owner.recycle(this);
        }

        void discard()
        {
            for (int i = 0; i < count; i++)
            {
                frames[i].release();
            }
            clear(0);
        }

        private void clear(final int flushCount)
        {
            Arrays.fill(channels, 0, count, null);
            Arrays.fill(frames, 0, count, null);
            Arrays.fill(toFlush, 0, flushCount, null);
            touched.clear();
            count = 0;
        }
    }
}
