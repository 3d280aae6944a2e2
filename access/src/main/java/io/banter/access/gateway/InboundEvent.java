package io.banter.access.gateway;

import io.netty.channel.Channel;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A slot of the inbound ring: what a Netty thread hands to the cluster-client agent. Slots are
 * preallocated with a buffer of the maximum frame size and reused.
 */
public final class InboundEvent
{
    public static final int CONNECTION_OPENED = 1;
    public static final int DEVICE_LOGIN = 2;
    public static final int REQUEST = 3;
    public static final int CONNECTION_CLOSED = 4;
    public static final int RESUME_SENDS = 5;

    int type;
    long connectionId;
    Channel channel;
    long correlationId;
    long userId;
    long deviceId;
    short platform;
    int requestTemplateId;
    long clientMsgId;
    long conversationId;
    final UnsafeBuffer request;
    int requestLength;
    /** On a close: whether the connection's login reached the engine, which must then learn of the close. */
    boolean engineKnows;

    InboundEvent(final int maxRequestLength)
    {
        request = new UnsafeBuffer(new byte[maxRequestLength]);
    }

    void clear()
    {
        channel = null;
        requestLength = 0;
        engineKnows = false;
    }
}
