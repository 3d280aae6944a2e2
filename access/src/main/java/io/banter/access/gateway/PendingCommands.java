package io.banter.access.gateway;

import io.netty.channel.Channel;

import java.util.Arrays;

/**
 * What the agent needs to answer each command of the ingress batch it is gathering if the cluster
 * refuses the batch: one row per command, in batch order, in parallel arrays (no object per command).
 */
final class PendingCommands
{
    private final int[] type;
    private final long[] connectionId;
    private final Channel[] channel;
    private final long[] correlationId;
    private final long[] userId;
    private final long[] deviceId;
    private final int[] requestTemplateId;
    private final long[] clientMsgId;
    private final long[] conversationId;
    private int size;

    PendingCommands(final int capacity)
    {
        type = new int[capacity];
        connectionId = new long[capacity];
        channel = new Channel[capacity];
        correlationId = new long[capacity];
        userId = new long[capacity];
        deviceId = new long[capacity];
        requestTemplateId = new int[capacity];
        clientMsgId = new long[capacity];
        conversationId = new long[capacity];
    }

    /**
     * Remember the command just added to the batch from {@code event} (the slot is reused after).
     *
     * @throws IllegalStateException past the capacity: the agent drains at most that many events per batch.
     */
    void add(final InboundEvent event, final Channel replyTo)
    {
        if (size == type.length)
        {
            throw new IllegalStateException("more than " + size + " commands in one ingress batch");
        }
        final int i = size++;
        type[i] = event.type;
        connectionId[i] = event.connectionId;
        channel[i] = replyTo;
        correlationId[i] = event.correlationId;
        userId[i] = event.userId;
        deviceId[i] = event.deviceId;
        requestTemplateId[i] = event.requestTemplateId;
        clientMsgId[i] = event.clientMsgId;
        conversationId[i] = event.conversationId;
    }

    void clear()
    {
        Arrays.fill(channel, 0, size, null);
        size = 0;
    }

    int type(final int i)
    {
        return type[i];
    }

    long connectionId(final int i)
    {
        return connectionId[i];
    }

    Channel channel(final int i)
    {
        return channel[i];
    }

    long correlationId(final int i)
    {
        return correlationId[i];
    }

    long userId(final int i)
    {
        return userId[i];
    }

    long deviceId(final int i)
    {
        return deviceId[i];
    }

    int requestTemplateId(final int i)
    {
        return requestTemplateId[i];
    }

    long clientMsgId(final int i)
    {
        return clientMsgId[i];
    }

    long conversationId(final int i)
    {
        return conversationId[i];
    }
}
