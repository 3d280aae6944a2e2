package io.banter.journal.cold;

import io.banter.engine.store.MessageStore;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's stores handed to the cold tier off the engine's thread: everything stored and
 * replaced reaches the cold tier in order, a barrier waits until it is on disk, and a writer a
 * whole ring behind makes the storing thread wait rather than lose anything.
 */
class WriteBehindTest
{
    private static final int CONVERSATIONS = 4;

    @TempDir
    Path directory;

    private final StoredMessages messages = new StoredMessages();

    @Test
    void everythingStoredAndReplacedIsInTheColdTierOnceDurable()
    {
        final MapStore hot = new MapStore();
        final long count;
        try (ColdTierHost host = ColdTierHost.start(context()))
        {
            final MessageStore store = host.wrap(hot);
            count = storeAll(store, 2_000);
            final int tombstone = messages.encodeTombstone(3, 17);
            store.replace(3, 17, messages.buffer(), 0, tombstone, hot.get(3, 17, new UnsafeBuffer(new byte[4096]), 0));
            host.awaitDurable();
            // Durable means on disk: a second reader of the directory sees all of it now.
            try (ColdTier reader = ColdTier.open(context()))
            {
                assertEquals(count, reader.records());
                assertEquals(tombstone, reader.read(3, 17, new UnsafeBuffer(new byte[4096]), 0));
            }
        }
        try (ColdTier tier = ColdTier.open(context()))
        {
            assertTrue(tier.recovery().isClean(), tier.recovery().toString());
            assertEquals(count, tier.records());
            assertEquals(hot.size(), tier.records());
        }
    }

    @Test
    void aWriterAWholeRingBehindMakesTheEngineWaitAndLosesNothing() throws Exception
    {
        final OneToOneRingBuffer ring = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(4096 + RingBufferDescriptor.TRAILER_LENGTH)));
        final ColdTier tier = ColdTier.open(context());
        final ColdTierWriter writer = new ColdTierWriter(tier, ring, TimeUnit.SECONDS.toNanos(1));
        final WriteBehindMessageStore store = new WriteBehindMessageStore(new MapStore(), ring, writer,
            NoOpIdleStrategy.INSTANCE);
        final AgentRunner runner = new AgentRunner(new SleepingIdleStrategy(), Throwable::printStackTrace, null, writer);
        final Thread lateStart = new Thread(() ->
        {
            sleep(300);
            AgentRunner.startOnThread(runner);
        });
        lateStart.start();
        final long count = storeAll(store, 500);
        assertTrue(store.backPressuredWaits() > 0, "a 4 KiB ring cannot hold 2,000 messages");
        store.awaitDurable();
        lateStart.join();
        runner.close();
        try (ColdTier reopened = ColdTier.open(context()))
        {
            assertEquals(count, reopened.records());
        }
    }

    @Test
    void aRecordTheTierRefusesIsCountedAndTheWriterGoesOn()
    {
        final MapStore hot = new MapStore();
        try (ColdTierHost host = ColdTierHost.start(context()))
        {
            final MessageStore store = host.wrap(hot);
            final UnsafeBuffer junk = new UnsafeBuffer(new byte[64]);
            store.put(9, 1, junk, 0, junk.capacity());
            store.put(1, 1, messages.buffer(), 0, messages.encode(1, 1));
            host.awaitDurable();
            assertEquals(1, host.writeErrors());
        }
        try (ColdTier tier = ColdTier.open(context()))
        {
            assertEquals(1, tier.records());
            assertEquals(-1, tier.read(9, 1, new UnsafeBuffer(new byte[4096]), 0));
        }
    }

    @Test
    void waitingForAWriterThatHasStoppedFailsInsteadOfHanging()
    {
        final OneToOneRingBuffer ring = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(4096 + RingBufferDescriptor.TRAILER_LENGTH)));
        final ColdTierWriter writer = new ColdTierWriter(ColdTier.open(context()), ring, TimeUnit.SECONDS.toNanos(1));
        final WriteBehindMessageStore store = new WriteBehindMessageStore(new MapStore(), ring, writer,
            NoOpIdleStrategy.INSTANCE);
        writer.onClose();
        store.put(1, 1, messages.buffer(), 0, messages.encode(1, 1));
        assertThrows(IllegalStateException.class, store::awaitDurable);
    }

    private long storeAll(final MessageStore store, final long seqs)
    {
        long count = 0;
        for (long seq = 1; seq <= seqs; seq++)
        {
            for (long conversation = 1; conversation <= CONVERSATIONS; conversation++)
            {
                store.put(conversation, seq, messages.buffer(), 0, messages.encode(conversation, seq));
                count++;
            }
        }
        return count;
    }

    private ColdTierContext context()
    {
        return new ColdTierContext().directory(directory).segmentBytes(256 * 1024).maxMessageBytes(1024);
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A plain hot tier for the test: bodies by (conversation, seq).
     */
    private static final class MapStore implements MessageStore
    {
        private final Long2ObjectHashMap<byte[]> bodies = new Long2ObjectHashMap<>();

        public boolean isFull(final int messages, final long length)
        {
            return false;
        }

        public void put(final long conversationId, final long seq, final DirectBuffer src, final int offset,
            final int length)
        {
            final byte[] body = new byte[length];
            src.getBytes(offset, body);
            bodies.put(conversationId * 1_000_000 + seq, body);
        }

        public void replace(final long conversationId, final long seq, final DirectBuffer src, final int offset,
            final int length, final int previousLength)
        {
            put(conversationId, seq, src, offset, length);
        }

        public int get(final long conversationId, final long seq, final MutableDirectBuffer dst, final int dstOffset)
        {
            final byte[] body = bodies.get(conversationId * 1_000_000 + seq);
            if (null == body)
            {
                return -1;
            }
            dst.putBytes(dstOffset, body);
            return body.length;
        }

        public int remove(final long conversationId, final long seq)
        {
            final byte[] body = bodies.remove(conversationId * 1_000_000 + seq);
            return null == body ? -1 : body.length;
        }

        public long size()
        {
            return bodies.size();
        }

        public long bytes()
        {
            return 0;
        }

        public void close()
        {
        }
    }
}
