package io.banter.replica.service;

import io.banter.codecs.EventBatchEncoder;
import io.banter.codecs.batch.BatchWriter;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;

/**
 * The engine's events for each gateway, gathered while one log entry is applied and offered as
 * one {@code EventBatch} per gateway when it is done, instead of one egress message each: a batch
 * of 50 commands answered by 100 events costs one offer per gateway, not 100.
 * <p>
 * Order per gateway is the engine's: an event that does not fit what is gathered offers that
 * first, and one that does not fit an empty batch is offered alone after it. Outside
 * {@link #begin()}/{@link #end()} events are offered at once. A gateway's writer is made on its
 * first event and kept until its session closes, so the steady state allocates nothing.
 */
final class EgressBatches
{
    /**
     * Offers one whole message to a gateway's session (retries and drops are the sink's).
     */
    interface Sink
    {
        void offer(long gatewayId, DirectBuffer buffer, int offset, int length);
    }

    /**
     * Well under the egress term's largest message (an eighth of its 4 MiB) and big enough for
     * hundreds of acks and pushes.
     */
    static final int BATCH_CAPACITY = 64 * 1024;

    private final Sink sink;
    private final Long2ObjectHashMap<BatchWriter> writers = new Long2ObjectHashMap<>();
    private final LongArrayList touched = new LongArrayList();
    private boolean gathering;
    private long batchesOffered;
    private long eventsBatched;

    EgressBatches(final Sink sink)
    {
        this.sink = sink;
    }

    /**
     * From now until {@link #end()}, gather events instead of offering them.
     */
    void begin()
    {
        gathering = true;
    }

    void onEvent(final long gatewayId, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!gathering)
        {
            sink.offer(gatewayId, buffer, offset, length);
            return;
        }
        BatchWriter writer = writers.get(gatewayId);
        if (null == writer)
        {
            writer = new BatchWriter(EventBatchEncoder.TEMPLATE_ID, BATCH_CAPACITY);
            writers.put(gatewayId, writer);
        }
        if (writer.isEmpty())
        {
            touched.addLong(gatewayId);
        }
        if (writer.append(buffer, offset, length))
        {
            return;
        }
        offer(gatewayId, writer);
        if (!writer.append(buffer, offset, length))
        {
            sink.offer(gatewayId, buffer, offset, length);
        }
    }

    /**
     * Offer what was gathered, one message per gateway, and stop gathering.
     */
    void end()
    {
        gathering = false;
        for (int i = 0, size = touched.size(); i < size; i++)
        {
            final BatchWriter writer = writers.get(touched.getLong(i));
            if (null != writer && !writer.isEmpty())
            {
                offer(touched.getLong(i), writer);
            }
        }
        touched.clear();
    }

    /**
     * The gateway's session is gone: forget its writer.
     */
    void onSessionClosed(final long gatewayId)
    {
        writers.remove(gatewayId);
    }

    /**
     * Egress messages offered from batches, and the events they carried (their ratio is the batching's gain).
     */
    long batchesOffered()
    {
        return batchesOffered;
    }

    long eventsBatched()
    {
        return eventsBatched;
    }

    private void offer(final long gatewayId, final BatchWriter writer)
    {
        batchesOffered++;
        eventsBatched += writer.count();
        sink.offer(gatewayId, writer.buffer(), writer.offset(), writer.length());
        writer.reset();
    }
}
