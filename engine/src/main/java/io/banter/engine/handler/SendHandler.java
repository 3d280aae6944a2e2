package io.banter.engine.handler;

import io.banter.codecs.BooleanType;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.SendAckEncoder;
import io.banter.engine.EngineContext;
import io.banter.engine.event.EventPublisher;
import io.banter.engine.state.Conversation;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.HotWindow;
import io.banter.engine.state.SentWindow;
import io.banter.engine.state.User;
import org.agrona.DirectBuffer;

/**
 * The send path: dedup, resolve the conversation, check the relationship policy of a direct
 * conversation, hand the message to the {@link MessagePoster} and ack the sender.
 * <p>
 * Everything is validated before anything changes, so a refused send leaves no trace.
 */
public final class SendHandler
{
    private final EngineContext context;
    private final EngineState state;
    private final EventPublisher publisher;
    private final HotWindow hotWindow;
    private final MessagePoster poster;

    public SendHandler(
        final EngineContext context, final EngineState state, final EventPublisher publisher, final MessagePoster poster)
    {
        this.context = context;
        this.state = state;
        this.publisher = publisher;
        this.hotWindow = state.hotWindow();
        this.poster = poster;
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
        if (contentType >= MessagePoster.FIRST_RESERVED_CONTENT_TYPE)
        {
            reject(gatewayId, connectionId, clientMsgId, requestedConversationId, ErrorCode.MALFORMED,
                "content types " + MessagePoster.FIRST_RESERVED_CONTENT_TYPE + " and above are reserved for the server");
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
            else if (sender.conversationCount() >= context.maxConversationsPerUser() ||
                peer.conversationCount() >= context.maxConversationsPerUser())
            {
                reject(gatewayId, connectionId, clientMsgId, 0, ErrorCode.LIMIT_REACHED,
                    "a user has its maximum of " + context.maxConversationsPerUser() + " conversations");
                return;
            }
        }

        if (null == peer && !conversation.isGroup())
        {
            peer = state.user(conversation.member(0) == sender.userId() ? conversation.member(1) : conversation.member(0));
        }
        if (null != peer)
        {
            if (peer.hasBlocked(sender.userId()))
            {
                reject(gatewayId, connectionId, clientMsgId, requestedConversationId, ErrorCode.BLOCKED,
                    "the recipient does not accept messages from this user");
                return;
            }
            if (!context.strangersMayMessage() && !sender.isFriend(peer.userId()))
            {
                reject(gatewayId, connectionId, clientMsgId, requestedConversationId, ErrorCode.NOT_FRIENDS,
                    "direct messages need friendship: send a friend request first");
                return;
            }
        }

        if (hotWindow.isFull(1, MessagePoster.storedLength(payloadLength)))
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
        poster.post(conversation, sender, device, clientMsgId, contentType, payloadBuffer, payloadOffset, payloadLength,
            timestamp, null);
        final long conversationId = conversation.conversationId();
        final long seq = poster.seq();
        final long messageId = poster.messageId();
        final long senderChangeSeq = poster.senderChangeSeq();
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
        poster.fanOut();
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
