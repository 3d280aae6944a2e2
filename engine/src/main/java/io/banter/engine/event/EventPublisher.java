package io.banter.engine.event;

import io.banter.codecs.AdminResponseEncoder;
import io.banter.codecs.ConnectionDeliveryEncoder;
import io.banter.codecs.ConversationListEncoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.ErrorEncoder;
import io.banter.codecs.HistoryBatchEncoder;
import io.banter.codecs.LoginResultEncoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.MessagePushEncoder;
import io.banter.codecs.PresenceStateEncoder;
import io.banter.codecs.SendAckEncoder;
import io.banter.codecs.SendRejectedEncoder;
import io.banter.codecs.SyncBatchEncoder;
import io.banter.codecs.UserInfoEncoder;
import io.banter.engine.EngineOutput;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes the engine's events. A client message is encoded once into a reused buffer (wrap an
 * encoder, fill it, then {@code deliver} with the encoder's {@code limit()}); the delivery
 * envelope names the connections and is handed to the {@link EngineOutput}. No allocation.
 */
public final class EventPublisher
{
    private final EngineOutput output;
    private final UnsafeBuffer clientBuffer;
    private final UnsafeBuffer eventBuffer;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ConnectionDeliveryEncoder deliveryEncoder = new ConnectionDeliveryEncoder();
    private final AdminResponseEncoder adminResponseEncoder = new AdminResponseEncoder();
    private final LoginResultEncoder loginResultEncoder = new LoginResultEncoder();
    private final SendAckEncoder sendAckEncoder = new SendAckEncoder();
    private final SendRejectedEncoder sendRejectedEncoder = new SendRejectedEncoder();
    private final MessagePushEncoder messagePushEncoder = new MessagePushEncoder();
    private final SyncBatchEncoder syncBatchEncoder = new SyncBatchEncoder();
    private final HistoryBatchEncoder historyBatchEncoder = new HistoryBatchEncoder();
    private final ErrorEncoder errorEncoder = new ErrorEncoder();
    private final PresenceStateEncoder presenceStateEncoder = new PresenceStateEncoder();
    private final ConversationListEncoder conversationListEncoder = new ConversationListEncoder();
    private final UserInfoEncoder userInfoEncoder = new UserInfoEncoder();

    /**
     * @param maxClientMessageLength largest client message the engine emits.
     * @param maxConnections         most connections one delivery names.
     */
    public EventPublisher(final EngineOutput output, final int maxClientMessageLength, final int maxConnections)
    {
        this.output = output;
        this.clientBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            alignedLength(maxClientMessageLength), 64));
        this.eventBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            alignedLength(maxClientMessageLength + 64 + 8 * maxConnections), 64));
    }

    // ---------------------------------------------------------------- client messages

    public LoginResultEncoder loginResult()
    {
        return loginResultEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public SendAckEncoder sendAck()
    {
        return sendAckEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public MessagePushEncoder messagePush()
    {
        return messagePushEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public SyncBatchEncoder syncBatch()
    {
        return syncBatchEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public HistoryBatchEncoder historyBatch()
    {
        return historyBatchEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public PresenceStateEncoder presenceState()
    {
        return presenceStateEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public ConversationListEncoder conversationList()
    {
        return conversationListEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public UserInfoEncoder userInfo()
    {
        return userInfoEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    /**
     * Tell one connection a request was refused.
     */
    public void error(
        final long gatewayId,
        final long connectionId,
        final long correlationId,
        final ErrorCode code,
        final int requestTemplateId,
        final String text)
    {
        final ErrorEncoder encoder = errorEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .code(code)
            .requestTemplateId(requestTemplateId)
            .text(text);
        deliver(gatewayId, connectionId, encoder.limit());
    }

    /**
     * Tell one connection its send was refused.
     */
    public void sendRejected(
        final long gatewayId,
        final long connectionId,
        final long clientMsgId,
        final long conversationId,
        final ErrorCode code,
        final String text)
    {
        final SendRejectedEncoder encoder = sendRejectedEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder)
            .clientMsgId(clientMsgId)
            .conversationId(conversationId)
            .code(code)
            .text(text);
        deliver(gatewayId, connectionId, encoder.limit());
    }

    /**
     * Tell a connection its login was refused.
     */
    public void loginRefused(
        final long gatewayId,
        final long connectionId,
        final long correlationId,
        final long userId,
        final long deviceId,
        final ErrorCode code,
        final String text)
    {
        final LoginResultEncoder encoder = loginResult()
            .correlationId(correlationId)
            .code(code)
            .userId(userId)
            .deviceId(deviceId)
            .changeHead(0)
            .ackedChangeSeq(0)
            .text(text);
        deliver(gatewayId, connectionId, encoder.limit());
    }

    // ---------------------------------------------------------------- delivery

    /**
     * Deliver the client message just encoded, {@code length} bytes, to one connection.
     */
    public void deliver(final long gatewayId, final long connectionId, final int length)
    {
        final ConnectionDeliveryEncoder encoder = deliveryEncoder.wrapAndApplyHeader(eventBuffer, 0, headerEncoder);
        encoder.connectionsCount(1).next().connectionId(connectionId);
        encoder.putMessage(clientBuffer, 0, length);
        output.onEvent(gatewayId, eventBuffer, 0, encoder.limit());
    }

    /**
     * Deliver the client message just encoded, {@code length} bytes, to every target: one
     * event per gateway naming all of that gateway's connections.
     */
    public void deliver(final DeliveryTargets targets, final int length)
    {
        targets.sort();
        final int count = targets.count();
        int start = 0;
        while (start < count)
        {
            final long gatewayId = targets.gatewayId(start);
            int end = start + 1;
            while (end < count && targets.gatewayId(end) == gatewayId)
            {
                end++;
            }

            final ConnectionDeliveryEncoder encoder = deliveryEncoder.wrapAndApplyHeader(eventBuffer, 0, headerEncoder);
            final ConnectionDeliveryEncoder.ConnectionsEncoder connections = encoder.connectionsCount(end - start);
            for (int i = start; i < end; i++)
            {
                connections.next().connectionId(targets.connectionId(i));
            }
            encoder.putMessage(clientBuffer, 0, length);
            output.onEvent(gatewayId, eventBuffer, 0, encoder.limit());
            start = end;
        }
    }

    /**
     * Answer an admin command to the gateway (cluster session) that sent it.
     */
    public void adminResponse(
        final long gatewayId, final long correlationId, final ErrorCode code, final long userId, final String text)
    {
        final AdminResponseEncoder encoder = adminResponseEncoder.wrapAndApplyHeader(eventBuffer, 0, headerEncoder)
            .correlationId(correlationId)
            .code(code)
            .userId(userId)
            .text(text);
        output.onEvent(gatewayId, eventBuffer, 0, encoder.limit());
    }

    private static int alignedLength(final int length)
    {
        return (length + 63) & ~63;
    }
}
