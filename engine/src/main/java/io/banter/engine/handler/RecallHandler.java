package io.banter.engine.handler;

import io.banter.codecs.ChangeKind;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.GroupRole;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.MessageRecalledEncoder;
import io.banter.codecs.RecallDecoder;
import io.banter.codecs.StoredMessageDecoder;
import io.banter.codecs.StoredMessageEncoder;
import io.banter.engine.EngineContext;
import io.banter.engine.event.DeliveryTargets;
import io.banter.engine.event.EventPublisher;
import io.banter.engine.state.Conversation;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.SortedLongSet;
import io.banter.engine.state.User;
import io.banter.engine.store.MessageStore;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Recall: the stored body is replaced by a tombstone (flag {@link MessagePoster#RECALLED}, empty
 * payload), so push, sync and history all show the tombstone from then on. Its sender may recall
 * within the recall window; a group's owner and admins may recall any message at any time.
 * <p>
 * Members of direct conversations and small groups get a {@code RECALL} change and a push;
 * online members of a super group get the push only. The recalling device gets {@code Done}.
 */
public final class RecallHandler
{
    private final EngineContext context;
    private final EngineState state;
    private final EventPublisher publisher;
    private final MessageStore store;
    private final DeliveryTargets targets;
    private final UnsafeBuffer original;
    private final UnsafeBuffer tombstone;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final StoredMessageDecoder storedDecoder = new StoredMessageDecoder();
    private final StoredMessageEncoder storedEncoder = new StoredMessageEncoder();
    /** Made once: the window is fixed, and the refusal allocates nothing. */
    private final String windowPassedText;

    public RecallHandler(final EngineContext context, final EngineState state, final EventPublisher publisher)
    {
        this.context = context;
        this.state = state;
        this.publisher = publisher;
        this.store = state.messageStore();
        this.targets = new DeliveryTargets(context.maxDevicesPerUser());
        final int length = (context.maxStoredMessageLength() + 63) & ~63;
        this.original = new UnsafeBuffer(BufferUtil.allocateDirectAligned(length, 64));
        this.tombstone = new UnsafeBuffer(BufferUtil.allocateDirectAligned(length, 64));
        this.windowPassedText = "messages may be recalled up to " + durationText(context.recallWindow()) +
            " after sending";
    }

    /**
     * A window in cluster time (milliseconds) as a person reads it: "2 minutes", "90 seconds", "1500 ms".
     */
    static String durationText(final long millis)
    {
        if (millis >= 60_000 && 0 == millis % 60_000)
        {
            final long minutes = millis / 60_000;
            return minutes + (1 == minutes ? " minute" : " minutes");
        }
        if (millis >= 1_000 && 0 == millis % 1_000)
        {
            final long seconds = millis / 1_000;
            return seconds + (1 == seconds ? " second" : " seconds");
        }
        return millis + " ms";
    }

    public void onRecall(
        final long gatewayId, final long connectionId, final Device device, final RecallDecoder command,
        final long timestamp)
    {
        final long correlationId = command.correlationId();
        final int templateId = RecallDecoder.TEMPLATE_ID;
        final User actor = device.user();
        final long conversationId = command.conversationId();
        final long seq = command.seq();
        final Conversation conversation = state.conversation(conversationId);
        if (null == conversation)
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.UNKNOWN_CONVERSATION, "no such conversation");
            return;
        }
        final int actorIndex = conversation.indexOf(actor.userId());
        if (actorIndex < 0)
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.NOT_A_MEMBER, "not a member of the conversation");
            return;
        }
        if (conversation.isArchived(seq))
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.ARCHIVED,
                "message " + seq + " left the hot tier for the cold tier and can no longer be recalled");
            return;
        }
        final int length = seq >= 1 && seq <= conversation.headSeq() ? store.get(conversationId, seq, original, 0) : -1;
        if (length < 0)
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.UNKNOWN_MESSAGE,
                "no message " + seq + " in conversation " + conversationId);
            return;
        }
        headerDecoder.wrap(original, 0);
        storedDecoder.wrap(original, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        if ((storedDecoder.flags() & MessagePoster.RECALLED) != 0)
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.ALREADY_RECALLED, "the message was already recalled");
            return;
        }
        if (storedDecoder.contentType() == MessagePoster.SYSTEM_CONTENT_TYPE)
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.NOT_PERMITTED, "system messages cannot be recalled");
            return;
        }
        final boolean groupModerator = conversation.isGroup() && conversation.role(actorIndex) != GroupRole.MEMBER;
        if (!groupModerator)
        {
            if (storedDecoder.senderUserId() != actor.userId())
            {
                error(gatewayId, connectionId, correlationId, ErrorCode.NOT_PERMITTED,
                    "only its sender or a group's owner and admins may recall a message");
                return;
            }
            if (timestamp - storedDecoder.timestamp() > context.recallWindow())
            {
                error(gatewayId, connectionId, correlationId, ErrorCode.RECALL_WINDOW_PASSED, windowPassedText);
                return;
            }
        }

        final StoredMessageEncoder encoder = storedEncoder.wrapAndApplyHeader(tombstone, 0, headerEncoder)
            .messageId(storedDecoder.messageId())
            .conversationId(conversationId)
            .seq(seq)
            .senderUserId(storedDecoder.senderUserId())
            .senderDeviceId(storedDecoder.senderDeviceId())
            .clientMsgId(storedDecoder.clientMsgId())
            .timestamp(storedDecoder.timestamp())
            .contentType(storedDecoder.contentType())
            .flags((short)(storedDecoder.flags() | MessagePoster.RECALLED))
            .putPayload(original, 0, 0);
        store.replace(conversationId, seq, tombstone, 0, encoder.limit(), length);
        state.advanceTime(timestamp);

        if (conversation.isSuperGroup())
        {
            targets.clear();
            final SortedLongSet online = conversation.onlineMembers();
            for (int i = 0, count = online.size(); i < count; i++)
            {
                targets.addOnlineDevices(state.user(online.get(i)), device);
            }
            deliverRecalled(0, conversationId, seq, actor.userId());
        }
        else
        {
            for (int i = 0, count = conversation.memberCount(); i < count; i++)
            {
                final User member = state.user(conversation.member(i));
                final long changeSeq = member.changes().append(ChangeKind.RECALL, conversationId, seq, actor.userId());
                targets.clear();
                targets.addOnlineDevices(member, device);
                deliverRecalled(changeSeq, conversationId, seq, actor.userId());
            }
        }
        publisher.done(gatewayId, connectionId, correlationId, templateId, conversationId, actor.userId(), seq);
    }

    private void deliverRecalled(final long changeSeq, final long conversationId, final long seq, final long byUserId)
    {
        if (targets.isEmpty())
        {
            return;
        }
        final MessageRecalledEncoder recalled = publisher.messageRecalled()
            .changeSeq(changeSeq)
            .conversationId(conversationId)
            .seq(seq)
            .byUserId(byUserId);
        publisher.deliver(targets, recalled.limit());
    }

    private void error(
        final long gatewayId, final long connectionId, final long correlationId, final ErrorCode code, final String text)
    {
        publisher.error(gatewayId, connectionId, correlationId, code, RecallDecoder.TEMPLATE_ID, text);
    }
}
