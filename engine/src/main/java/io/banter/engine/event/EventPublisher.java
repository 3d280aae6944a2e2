package io.banter.engine.event;

import io.banter.codecs.AdminResponseEncoder;
import io.banter.codecs.ConnectionDeliveryEncoder;
import io.banter.codecs.ConversationChangedEncoder;
import io.banter.codecs.ConversationListEncoder;
import io.banter.codecs.ConversationsPageEncoder;
import io.banter.codecs.DoneEncoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.ErrorEncoder;
import io.banter.codecs.GroupInfoEncoder;
import io.banter.codecs.HistoryBatchEncoder;
import io.banter.codecs.KickedEncoder;
import io.banter.codecs.LoginResultEncoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.MessagePushEncoder;
import io.banter.codecs.MessageRecalledEncoder;
import io.banter.codecs.PresenceChangedEncoder;
import io.banter.codecs.PresenceStateEncoder;
import io.banter.codecs.ReadReceiptEncoder;
import io.banter.codecs.ReadStateEncoder;
import io.banter.codecs.ReceiptPageEncoder;
import io.banter.codecs.RelationChangedEncoder;
import io.banter.codecs.RelationsPageEncoder;
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
    /**
     * Most connections one {@code ConnectionDelivery} names; a gateway takes at most this many.
     */
    public static final int MAX_CONNECTIONS_PER_EVENT = 1024;

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
    private final ConversationsPageEncoder conversationsPageEncoder = new ConversationsPageEncoder();
    private final ReadStateEncoder readStateEncoder = new ReadStateEncoder();
    private final ReadReceiptEncoder readReceiptEncoder = new ReadReceiptEncoder();
    private final ReceiptPageEncoder receiptPageEncoder = new ReceiptPageEncoder();
    private final MessageRecalledEncoder messageRecalledEncoder = new MessageRecalledEncoder();
    private final GroupInfoEncoder groupInfoEncoder = new GroupInfoEncoder();
    private final DoneEncoder doneEncoder = new DoneEncoder();
    private final ConversationChangedEncoder conversationChangedEncoder = new ConversationChangedEncoder();
    private final RelationsPageEncoder relationsPageEncoder = new RelationsPageEncoder();
    private final RelationChangedEncoder relationChangedEncoder = new RelationChangedEncoder();
    private final PresenceChangedEncoder presenceChangedEncoder = new PresenceChangedEncoder();
    private final KickedEncoder kickedEncoder = new KickedEncoder();

    /**
     * @param maxClientMessageLength largest client message the engine emits.
     */
    public EventPublisher(final EngineOutput output, final int maxClientMessageLength)
    {
        this.output = output;
        this.clientBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            alignedLength(maxClientMessageLength), 64));
        this.eventBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            alignedLength(maxClientMessageLength + 64 + 8 * MAX_CONNECTIONS_PER_EVENT), 64));
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

    public ConversationsPageEncoder conversationsPage()
    {
        return conversationsPageEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public ReadStateEncoder readState()
    {
        return readStateEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public ReadReceiptEncoder readReceipt()
    {
        return readReceiptEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public ReceiptPageEncoder receiptPage()
    {
        return receiptPageEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public MessageRecalledEncoder messageRecalled()
    {
        return messageRecalledEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public GroupInfoEncoder groupInfo()
    {
        return groupInfoEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public DoneEncoder done()
    {
        return doneEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public ConversationChangedEncoder conversationChanged()
    {
        return conversationChangedEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public RelationsPageEncoder relationsPage()
    {
        return relationsPageEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public RelationChangedEncoder relationChanged()
    {
        return relationChangedEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public PresenceChangedEncoder presenceChanged()
    {
        return presenceChangedEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    public KickedEncoder kicked()
    {
        return kickedEncoder.wrapAndApplyHeader(clientBuffer, 0, headerEncoder);
    }

    /**
     * Tell one connection its state-changing request succeeded.
     */
    public void done(
        final long gatewayId,
        final long connectionId,
        final long correlationId,
        final int requestTemplateId,
        final long conversationId,
        final long userId,
        final long seq)
    {
        final DoneEncoder encoder = done()
            .correlationId(correlationId)
            .requestTemplateId(requestTemplateId)
            .conversationId(conversationId)
            .userId(userId)
            .seq(seq);
        deliver(gatewayId, connectionId, encoder.limit());
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
     * Deliver the client message just encoded, {@code length} bytes, to every target: per
     * gateway, events naming at most {@link #MAX_CONNECTIONS_PER_EVENT} of its connections.
     */
    public void deliver(final DeliveryTargets targets, final int length)
    {
        final int count = targets.count();
        for (int g = 0, gateways = targets.distinctGatewayCount(); g < gateways; g++)
        {
            final long gatewayId = targets.distinctGateway(g);
            int next = 0;
            while (next < count)
            {
                int inEvent = 0;
                int scan = next;
                while (scan < count && inEvent < MAX_CONNECTIONS_PER_EVENT)
                {
                    if (targets.gatewayId(scan) == gatewayId)
                    {
                        inEvent++;
                    }
                    scan++;
                }
                if (0 == inEvent)
                {
                    break;
                }
                final ConnectionDeliveryEncoder encoder =
                    deliveryEncoder.wrapAndApplyHeader(eventBuffer, 0, headerEncoder);
                final ConnectionDeliveryEncoder.ConnectionsEncoder connections = encoder.connectionsCount(inEvent);
                for (int i = next; i < scan; i++)
                {
                    if (targets.gatewayId(i) == gatewayId)
                    {
                        connections.next().connectionId(targets.connectionId(i));
                    }
                }
                encoder.putMessage(clientBuffer, 0, length);
                output.onEvent(gatewayId, eventBuffer, 0, encoder.limit());
                next = scan;
            }
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
