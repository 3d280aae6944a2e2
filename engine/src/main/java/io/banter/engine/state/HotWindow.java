package io.banter.engine.state;

import io.banter.engine.EngineContext;
import io.banter.engine.store.MessageStore;
import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * Which messages the hot tier holds, and which leave it next. Every message stored goes through
 * here; with an archive behind the hot tier (see {@link EngineContext#historyArchive}) the
 * policy evicts:
 * <ul>
 *     <li>by count per conversation: past {@code hotTierMessagesPerConversation}, the
 *     conversation's oldest hot message leaves;</li>
 *     <li>by age: messages older than {@code hotTierMaxAge} leave as new messages arrive (at most
 *     {@link #MAX_AGE_EVICTIONS_PER_PUT} per message, so one send never pays for a long quiet spell);</li>
 *     <li>by capacity: when the store is full, the oldest messages of the shard leave.</li>
 * </ul>
 * Only the log decides (cluster timestamps, message order), so every replica evicts the same
 * messages at the same log position, and a replica restored from a snapshot evicts as the one
 * that never stopped.
 * <p>
 * A conversation's hot messages are always its newest, {@code [hotFloorSeq, headSeq]}: the
 * oldest-first queue is in message id order, which within a conversation is seq order, so
 * every eviction takes a conversation's floor. Entries evicted by the per-conversation count
 * stay in the queue until they reach its head or a compaction; they are recognised by their seq
 * being below the floor, and decisions only ever look at live entries, so the queue's history
 * never changes what is evicted. Without an archive nothing is queued and a full store refuses.
 */
public final class HotWindow
{
    /** Age evictions one stored message may trigger. */
    public static final int MAX_AGE_EVICTIONS_PER_PUT = 64;

    private final MessageStore store;
    private final EngineState state;
    private final boolean evicting;
    private final long maxAge;
    private final long messagesPerConversation;
    private final long[] conversationIds;
    private final long[] seqs;
    private final long[] timestamps;
    private final int capacity;
    private int head;
    private int count;
    private long evictions;
    private long evictedByCount;
    private long evictedByAge;
    private long evictedByCapacity;
    private long[] restoreIds;
    private long[] restoreConversations;
    private long[] restoreSeqs;
    private long[] restoreTimestamps;
    private int restored;

    public HotWindow(final EngineContext context, final EngineState state)
    {
        this.store = context.messageStore();
        this.state = state;
        this.evicting = null != context.historyArchive();
        this.maxAge = context.hotTierMaxAge();
        this.messagesPerConversation = context.hotTierMessagesPerConversation();
        // Room for every live entry plus a quarter of stale ones between compactions.
        this.capacity = evicting ? (int)Math.min(Integer.MAX_VALUE - 8,
            context.hotTierEntries() + Math.max(64, context.hotTierEntries() / 4)) : 0;
        this.conversationIds = new long[capacity];
        this.seqs = new long[capacity];
        this.timestamps = new long[capacity];
    }

    public boolean isEvicting()
    {
        return evicting;
    }

    /**
     * @return true when {@code messages} more messages of {@code length} bytes in all cannot be
     * stored: never while evicting (older messages make room), else when the store is full.
     */
    public boolean isFull(final int messages, final long length)
    {
        return !evicting && store.isFull(messages, length);
    }

    /**
     * Store message {@code seq} (the conversation's new head) applied at {@code timestamp},
     * evicting what the policy says must leave.
     */
    public void put(
        final Conversation conversation,
        final long seq,
        final long timestamp,
        final DirectBuffer src,
        final int offset,
        final int length)
    {
        final long conversationId = conversation.conversationId();
        if (!evicting)
        {
            store.put(conversationId, seq, src, offset, length);
            return;
        }
        evictOlderThan(timestamp - maxAge);
        while (store.isFull(1, length) && evictOldest())
        {
            // Each pass frees the shard's oldest message.
        }
        store.put(conversationId, seq, src, offset, length);
        enqueue(conversationId, seq, timestamp);
        while (seq - conversation.hotFloorSeq() + 1 > messagesPerConversation)
        {
            evictFloor(conversation);
            evictedByCount++;
        }
    }

    /**
     * Messages evicted since start (not snapshotted: a counter for operators).
     */
    public long evictions()
    {
        return evictions;
    }

    /**
     * Evicted because their conversation had more than its count hot.
     */
    public long evictedByCount()
    {
        return evictedByCount;
    }

    /**
     * Evicted because they were older than the max age.
     */
    public long evictedByAge()
    {
        return evictedByAge;
    }

    /**
     * Evicted, oldest first, because the hot tier was full.
     */
    public long evictedByCapacity()
    {
        return evictedByCapacity;
    }

    /**
     * Live messages in the hot tier.
     */
    public long hotMessages()
    {
        return store.size();
    }

    // ----------------------------------------------------------------- snapshot restore

    /**
     * A snapshot with {@code messages} hot messages is being loaded.
     */
    public void beginRestore(final long messages)
    {
        if (!evicting)
        {
            return;
        }
        if (messages > capacity)
        {
            throw new IllegalStateException("the snapshot holds " + messages + " hot messages, more than this hot " +
                "tier's capacity: configure at least as many hot tier entries as the member that wrote it");
        }
        restoreIds = new long[(int)messages];
        restoreConversations = new long[(int)messages];
        restoreSeqs = new long[(int)messages];
        restoreTimestamps = new long[(int)messages];
        restored = 0;
    }

    /**
     * One hot message of the snapshot (they come by conversation, then seq).
     */
    public void restore(final long messageId, final long conversationId, final long seq, final long timestamp)
    {
        if (!evicting)
        {
            return;
        }
        if (restored == restoreIds.length)
        {
            throw new IllegalStateException("the snapshot holds more messages than its begin record says");
        }
        restoreIds[restored] = messageId;
        restoreConversations[restored] = conversationId;
        restoreSeqs[restored] = seq;
        restoreTimestamps[restored] = timestamp;
        restored++;
    }

    /**
     * The snapshot is loaded: queue its hot messages oldest first (message id order), as the
     * member that wrote it held them, less the stale entries, which never decide anything.
     */
    public void endRestore()
    {
        if (!evicting)
        {
            return;
        }
        final long[] sortedIds = Arrays.copyOf(restoreIds, restored);
        Arrays.sort(sortedIds);
        for (int i = 0; i < restored; i++)
        {
            final int at = Arrays.binarySearch(sortedIds, restoreIds[i]);
            conversationIds[at] = restoreConversations[i];
            seqs[at] = restoreSeqs[i];
            timestamps[at] = restoreTimestamps[i];
        }
        head = 0;
        count = restored;
        restoreIds = null;
        restoreConversations = null;
        restoreSeqs = null;
        restoreTimestamps = null;
    }

    // ----------------------------------------------------------------- internals

    private void evictOlderThan(final long cutoff)
    {
        for (int evicted = 0; evicted < MAX_AGE_EVICTIONS_PER_PUT; evicted++)
        {
            if (!dropStaleHead() || timestamps[head] >= cutoff)
            {
                return;
            }
            evictHead();
            evictedByAge++;
        }
    }

    private boolean evictOldest()
    {
        if (!dropStaleHead())
        {
            return false;
        }
        evictHead();
        evictedByCapacity++;
        return true;
    }

    /**
     * Pop entries already evicted by the per-conversation count.
     *
     * @return true when a live entry is at the head.
     */
    private boolean dropStaleHead()
    {
        while (count > 0)
        {
            if (isLive(head))
            {
                return true;
            }
            pop();
        }
        return false;
    }

    private void evictHead()
    {
        final Conversation conversation = state.conversation(conversationIds[head]);
        if (seqs[head] != conversation.hotFloorSeq())
        {
            throw new IllegalStateException("hot window out of order: conversation " + conversation.conversationId() +
                " evicts " + seqs[head] + " but its floor is " + conversation.hotFloorSeq());
        }
        pop();
        evictFloor(conversation);
    }

    private void evictFloor(final Conversation conversation)
    {
        final long floor = conversation.hotFloorSeq();
        if (store.remove(conversation.conversationId(), floor) < 0)
        {
            throw new IllegalStateException("hot message " + conversation.conversationId() + ":" + floor + " is missing");
        }
        conversation.hotFloorSeq(floor + 1);
        evictions++;
    }

    private boolean isLive(final int index)
    {
        final Conversation conversation = state.conversation(conversationIds[index]);
        return null != conversation && seqs[index] >= conversation.hotFloorSeq();
    }

    private void pop()
    {
        head = next(head);
        count--;
    }

    private void enqueue(final long conversationId, final long seq, final long timestamp)
    {
        if (count == capacity)
        {
            compact();
        }
        final int tail = (int)(((long)head + count) % capacity);
        conversationIds[tail] = conversationId;
        seqs[tail] = seq;
        timestamps[tail] = timestamp;
        count++;
    }

    /**
     * Drop every stale entry, keeping the live ones in order. At most one compaction per
     * quarter of the capacity enqueued, so amortised O(1) and allocation-free.
     */
    private void compact()
    {
        int write = head;
        int kept = 0;
        for (int i = 0, read = head; i < count; i++, read = next(read))
        {
            if (isLive(read))
            {
                conversationIds[write] = conversationIds[read];
                seqs[write] = seqs[read];
                timestamps[write] = timestamps[read];
                write = next(write);
                kept++;
            }
        }
        if (kept == capacity)
        {
            throw new IllegalStateException("hot window full of live messages: the store holds more than configured");
        }
        count = kept;
    }

    private int next(final int index)
    {
        return index + 1 == capacity ? 0 : index + 1;
    }
}
