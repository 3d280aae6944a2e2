package io.banter.engine.handler;

import io.banter.codecs.BooleanType;
import io.banter.codecs.ChangeKind;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.MessagePushEncoder;
import io.banter.codecs.SendAckEncoder;
import io.banter.codecs.StoredMessageEncoder;
import io.banter.engine.EngineContext;
import io.banter.engine.event.DeliveryTargets;
import io.banter.engine.event.EventPublisher;
import io.banter.engine.state.Conversation;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.SentWindow;
import io.banter.engine.state.User;
import io.banter.engine.store.MessageStore;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The send path: dedup, resolve the conversation, assign ids, store the body once, append a
 * change for every member, ack the sender and push to every other online device of every member.
 * <p>
 * Everything is validated before anything changes, so a refused send leaves no trace.
 */
public final class SendHandler
{
    private final EngineContext context;
    private final EngineState state;
    private final EventPublisher publisher;
    private final MessageStore store;
    private final UnsafeBuffer storedBuffer;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final StoredMessageEncoder storedEncoder = new StoredMessageEncoder();
    private final DeliveryTargets targets;

    public SendHandler(final EngineContext context, final EngineState state, final EventPublisher publisher)
    {
        this.context = context;
        this.state = state;
        this.publisher = publisher;
        this.store = state.messageStore();
        this.storedBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            (context.maxStoredMessageLength() + 63) & ~63, 64));
        this.targets = new DeliveryTargets(context.maxDevicesPerUser());
    }

    /**
     * @param device        the sending device, logged in on the connection.
     * @param payloadBuffer holds the payload at {@code payloadOffset}.
     */
    public void onSend(
        final long gatewayId,
        final long connectionId,
        final Device device,
        final long clientMsgId,
        final long requestedConversationId,
        final long toUserId,
        final int contentType,
        final DirectBuffer payloadBuffer,
        final int payloadOffset,
        final int payloadLength,
        final long timestamp)
    {
        if (clientMsgId <= 0)
        {
            reject(gatewayId, connectionId, clientMsgId, requestedConversationId, ErrorCode.MALFORMED,
                "clientMsgId must be positive");
            return;
        }
        if (payloadLength > context.maxPayloadLength())
        {
            reject(gatewayId, connectionId, clientMsgId, requestedConversationId, ErrorCode.PAYLOAD_TOO_LARGE,
                "payload exceeds the maximum of " + context.maxPayloadLength() + " bytes");
            return;
        }
        if (clientMsgId <= device.lastClientMsgId())
        {
            answerRetry(gatewayId, connectionId, device, clientMsgId, requestedConversationId);
            return;
        }

        final User sender = device.user();
        Conversation conversation = null;
        User peer = null;
        if (0 != requestedConversationId)
        {
            conversation = state.conversation(requestedConversationId);
            if (null == conversation)
            {
                reject(gatewayId, connectionId, clientMsgId, requestedConversationId, ErrorCode.UNKNOWN_CONVERSATION,
                    "no such conversation");
                return;
            }
            if (!conversation.isMember(sender.userId()))
            {
                reject(gatewayId, connectionId, clientMsgId, requestedConversationId, ErrorCode.NOT_A_MEMBER,
                    "the sender is not a member of the conversation");
                return;
            }
        }
        else
        {
            if (EngineState.NO_USER == toUserId)
            {
                reject(gatewayId, connectionId, clientMsgId, 0, ErrorCode.MALFORMED,
                    "either conversationId or toUserId must be set");
                return;
            }
            if (toUserId == sender.userId())
            {
                reject(gatewayId, connectionId, clientMsgId, 0, ErrorCode.INVALID_RECIPIENT,
                    "a direct conversation needs another user");
                return;
            }
            peer = state.user(toUserId);
            if (null == peer)
            {
                reject(gatewayId, connectionId, clientMsgId, 0, ErrorCode.UNKNOWN_USER, "no such recipient");
                return;
            }
            final long existing = sender.directConversationWith(toUserId);
            if (User.NO_CONVERSATION != existing)
            {
                conversation = state.conversation(existing);
            }
            else if (sender.directConversationCount() >= context.maxConversationsPerUser() ||
                peer.directConversationCount() >= context.maxConversationsPerUser())
            {
                reject(gatewayId, connectionId, clientMsgId, 0, ErrorCode.LIMIT_REACHED,
                    "a user has its maximum of " + context.maxConversationsPerUser() + " conversations");
                return;
            }
        }

        final int storedLength = MessageHeaderEncoder.ENCODED_LENGTH + StoredMessageEncoder.BLOCK_LENGTH +
            StoredMessageEncoder.payloadHeaderLength() + payloadLength;
        if (store.isFull(storedLength))
        {
            reject(gatewayId, connectionId, clientMsgId, requestedConversationId, ErrorCode.HOT_TIER_FULL,
                "the message store is full");
            return;
        }

        // Validated: from here on the send takes effect.
        if (null == conversation)
        {
            conversation = state.openDirectConversation(sender, peer);
        }
        final long conversationId = conversation.conversationId();
        final long seq = conversation.nextSeq(timestamp);
        final long messageId = state.nextMessageId();
        state.advanceTime(timestamp);

        storedEncoder.wrapAndApplyHeader(storedBuffer, 0, headerEncoder)
            .messageId(messageId)
            .conversationId(conversationId)
            .seq(seq)
            .senderUserId(sender.userId())
            .senderDeviceId(device.deviceId())
            .clientMsgId(clientMsgId)
            .timestamp(timestamp)
            .contentType(contentType)
            .flags((short)0)
            .putPayload(payloadBuffer, payloadOffset, payloadLength);
        store.put(conversationId, seq, storedBuffer, 0, storedEncoder.limit());

        long senderChangeSeq = 0;
        final int memberCount = conversation.memberCount();
        for (int i = 0; i < memberCount; i++)
        {
            final User member = state.user(conversation.member(i));
            final long changeSeq = member.changes().append(ChangeKind.MESSAGE, conversationId, seq);
            if (member == sender)
            {
                senderChangeSeq = changeSeq;
            }
        }
        device.lastClientMsgId(clientMsgId);
        device.sent().record(clientMsgId, conversationId, messageId, seq, senderChangeSeq, timestamp);

        final SendAckEncoder ack = publisher.sendAck()
            .clientMsgId(clientMsgId)
            .conversationId(conversationId)
            .messageId(messageId)
            .seq(seq)
            .changeSeq(senderChangeSeq)
            .timestamp(timestamp)
            .duplicate(BooleanType.FALSE);
        publisher.deliver(gatewayId, connectionId, ack.limit());

        for (int i = 0; i < memberCount; i++)
        {
            final User member = state.user(conversation.member(i));
            targets.clear();
            for (int d = 0, count = member.deviceCount(); d < count; d++)
            {
                final Device target = member.device(d);
                if (target.isOnline() && target != device)
                {
                    targets.add(target.gatewayId(), target.connectionId());
                }
            }
            if (!targets.isEmpty())
            {
                final MessagePushEncoder push = publisher.messagePush()
                    .changeSeq(member.changes().head()) // the change appended above
                    .conversationId(conversationId)
                    .seq(seq)
                    .messageId(messageId)
                    .senderUserId(sender.userId())
                    .senderDeviceId(device.deviceId())
                    .clientMsgId(clientMsgId)
                    .timestamp(timestamp)
                    .contentType(contentType)
                    .putPayload(payloadBuffer, payloadOffset, payloadLength);
                publisher.deliver(targets, push.limit());
            }
        }
    }

    private void answerRetry(
        final long gatewayId,
        final long connectionId,
        final Device device,
        final long clientMsgId,
        final long requestedConversationId)
    {
        final SentWindow sent = device.sent();
        final int row = sent.find(clientMsgId);
        if (row < 0)
        {
            reject(gatewayId, connectionId, clientMsgId, requestedConversationId, ErrorCode.STALE_CLIENT_MSG_ID,
                "clientMsgId is not above the device's last and is not a remembered retry");
            return;
        }
        final SendAckEncoder ack = publisher.sendAck()
            .clientMsgId(clientMsgId)
            .conversationId(sent.get(row, SentWindow.CONVERSATION_ID))
            .messageId(sent.get(row, SentWindow.MESSAGE_ID))
            .seq(sent.get(row, SentWindow.SEQ))
            .changeSeq(sent.get(row, SentWindow.CHANGE_SEQ))
            .timestamp(sent.get(row, SentWindow.TIMESTAMP))
            .duplicate(BooleanType.TRUE);
        publisher.deliver(gatewayId, connectionId, ack.limit());
    }

    private void reject(
        final long gatewayId,
        final long connectionId,
        final long clientMsgId,
        final long conversationId,
        final ErrorCode code,
        final String text)
    {
        publisher.sendRejected(gatewayId, connectionId, clientMsgId, conversationId, code, text);
    }
}
