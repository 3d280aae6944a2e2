package io.banter.engine.handler;

import io.banter.codecs.ChangeKind;
import io.banter.codecs.ConversationChangedEncoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.MessagePushEncoder;
import io.banter.codecs.StoredMessageEncoder;
import io.banter.engine.EngineContext;
import io.banter.engine.event.DeliveryTargets;
import io.banter.engine.event.EventPublisher;
import io.banter.engine.state.Conversation;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.HotWindow;
import io.banter.engine.state.SortedLongSet;
import io.banter.engine.state.User;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.LongPredicate;

/**
 * Puts one validated message into a conversation with hybrid diffusion: the body is stored once;
 * in a direct conversation or small group every member gets a change entry and every online
 * device a push; in a super group only the sender gets a change entry and online members a
 * coalesced {@code ConversationChanged}, so the cost is O(1) plus the online fan-out.
 * <p>
 * Sending moves the sender's read position to its own message, so own messages never count as unread.
 */
public final class MessagePoster
{
    /** StoredMessage flag: the message was recalled; its payload is empty. */
    public static final short RECALLED = 1;
    /**
     * Flag of a sync entry or inbox preview whose message left the hot tier: only its position
     * (conversation, seq) is given; a history page from {@code seq + 1} returns it from the archive.
     */
    public static final short ARCHIVED = 2;
    /** Content types from here up are the server's; clients may not send them. */
    public static final int FIRST_RESERVED_CONTENT_TYPE = 0xFF00;
    /** Content type of group system messages, whose payload is a {@code SystemNotice}. */
    public static final int SYSTEM_CONTENT_TYPE = 0xFFFF;

    private final EngineState state;
    private final EventPublisher publisher;
    private final HotWindow hotWindow;
    private final UnsafeBuffer storedBuffer;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final StoredMessageEncoder storedEncoder = new StoredMessageEncoder();
    private final DeliveryTargets targets;
    private final LongPredicate notYetTold = this::notYetTold;
    private Conversation conversation;
    private Device senderDevice;
    private User alsoNotify;
    private long senderUserId;
    private long senderDeviceId;
    private long clientMsgId;
    private int contentType;
    private DirectBuffer payloadBuffer;
    private int payloadOffset;
    private int payloadLength;
    private long timestamp;
    private long conversationId;
    private long messageId;
    private long seq;
    private long senderChangeSeq;

    public MessagePoster(final EngineContext context, final EngineState state, final EventPublisher publisher)
    {
        this.state = state;
        this.publisher = publisher;
        this.hotWindow = state.hotWindow();
        this.storedBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            (context.maxStoredMessageLength() + 63) & ~63, 64));
        this.targets = new DeliveryTargets(context.maxDevicesPerUser());
    }

    /**
     * The encoded length of a stored message with a payload of {@code payloadLength} bytes.
     */
    public static int storedLength(final int payloadLength)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + StoredMessageEncoder.BLOCK_LENGTH +
            StoredMessageEncoder.payloadHeaderLength() + payloadLength;
    }

    /**
     * Store a message and record it for its members; then {@link #fanOut()} delivers it. The two
     * steps let the sender's ack go out first. The caller has validated everything, including
     * room in the store.
     *
     * @param sender       the member the message is from.
     * @param senderDevice the device it came from, which gets no push (it gets the ack); null
     *                     for system messages.
     * @param alsoNotify   a user who is no longer a member but must learn of this message (one
     *                     removed or leaving); null when none.
     */
    public void post(
        final Conversation conversation,
        final User sender,
        final Device senderDevice,
        final long clientMsgId,
        final int contentType,
        final DirectBuffer payloadBuffer,
        final int payloadOffset,
        final int payloadLength,
        final long timestamp,
        final User alsoNotify)
    {
        this.conversation = conversation;
        this.senderDevice = senderDevice;
        this.alsoNotify = alsoNotify;
        this.senderUserId = sender.userId();
        this.senderDeviceId = null == senderDevice ? 0 : senderDevice.deviceId();
        this.clientMsgId = clientMsgId;
        this.contentType = contentType;
        this.payloadBuffer = payloadBuffer;
        this.payloadOffset = payloadOffset;
        this.payloadLength = payloadLength;
        this.timestamp = timestamp;

        conversationId = conversation.conversationId();
        messageId = state.nextMessageId();
        seq = conversation.nextSeq(messageId, timestamp);
        state.advanceTime(timestamp);

        storedEncoder.wrapAndApplyHeader(storedBuffer, 0, headerEncoder)
            .messageId(messageId)
            .conversationId(conversationId)
            .seq(seq)
            .senderUserId(senderUserId)
            .senderDeviceId(senderDeviceId)
            .clientMsgId(clientMsgId)
            .timestamp(timestamp)
            .contentType(contentType)
            .flags((short)0)
            .putPayload(payloadBuffer, payloadOffset, payloadLength);
        hotWindow.put(conversation, seq, timestamp, storedBuffer, 0, storedEncoder.limit());

        final int senderIndex = conversation.indexOf(senderUserId);
        if (senderIndex >= 0)
        {
            conversation.readSeq(senderIndex, seq);
            conversation.lastOwnSeq(senderIndex, seq);
        }

        senderChangeSeq = 0;
        if (conversation.isSuperGroup())
        {
            // O(1): the sender's own entry (so its other devices sync it), none for the members.
            if (senderIndex >= 0)
            {
                senderChangeSeq = sender.changes().append(ChangeKind.MESSAGE, conversationId, seq);
            }
        }
        else
        {
            for (int i = 0, count = conversation.memberCount(); i < count; i++)
            {
                final long changeSeq = state.user(conversation.member(i)).changes()
                    .append(ChangeKind.MESSAGE, conversationId, seq);
                if (conversation.member(i) == senderUserId)
                {
                    senderChangeSeq = changeSeq;
                }
            }
        }
        if (null != alsoNotify)
        {
            alsoNotify.changes().append(ChangeKind.MESSAGE, conversationId, seq);
        }
    }

    /**
     * Deliver the message last {@link #post posted}: a push per member in a small conversation,
     * a coalesced notification to online members of a super group. Each member's change entry for
     * it is still the member's newest, as nothing was appended in between.
     */
    public void fanOut()
    {
        if (conversation.isSuperGroup())
        {
            notifyOnlineMembers(conversation, senderDevice, null == alsoNotify ? 0 : alsoNotify.userId());
        }
        else
        {
            for (int i = 0, count = conversation.memberCount(); i < count; i++)
            {
                push(state.user(conversation.member(i)));
            }
        }
        if (null != alsoNotify)
        {
            push(alsoNotify);
        }
        conversation = null;
        senderDevice = null;
        alsoNotify = null;
        payloadBuffer = null;
    }

    public long messageId()
    {
        return messageId;
    }

    public long seq()
    {
        return seq;
    }

    /**
     * The sender's change sequence for the last post, 0 when the sender got no change entry.
     */
    public long senderChangeSeq()
    {
        return senderChangeSeq;
    }

    /**
     * Tell each online member of a super group that has not been told since it last pulled or
     * read, but {@code exceptUserId}: one encode, one delivery per gateway. Once everyone online
     * has been told this touches nobody, so a steady stream of sends costs O(1).
     */
    public void notifyOnlineMembers(final Conversation conversation, final Device exceptDevice, final long exceptUserId)
    {
        final SortedLongSet toTell = conversation.toTell();
        targets.clear();
        for (int i = 0, count = toTell.size(); i < count; i++)
        {
            final long memberId = toTell.get(i);
            if (memberId == exceptUserId)
            {
                // The user told directly (an added member gets the notice itself) needs no signal too.
                continue;
            }
            final int before = targets.count();
            targets.addOnlineDevices(state.user(memberId), exceptDevice);
            if (targets.count() > before)
            {
                // Marked only when told: a sender whose one device sent the message is still due the next.
                conversation.markNotified(conversation.indexOf(memberId));
            }
        }
        if (!targets.isEmpty())
        {
            toTell.retain(notYetTold);
            final ConversationChangedEncoder changed = publisher.conversationChanged()
                .conversationId(conversation.conversationId())
                .headSeq(conversation.headSeq());
            publisher.deliver(targets, changed.limit());
        }
    }

    private boolean notYetTold(final long memberId)
    {
        return (conversation.memberFlags(conversation.indexOf(memberId)) & Conversation.NOTIFIED) == 0;
    }

    private void push(final User member)
    {
        targets.clear();
        targets.addOnlineDevices(member, senderDevice);
        if (targets.isEmpty())
        {
            return;
        }
        final MessagePushEncoder push = publisher.messagePush()
            .changeSeq(member.changes().head())
            .conversationId(conversationId)
            .seq(seq)
            .messageId(messageId)
            .senderUserId(senderUserId)
            .senderDeviceId(senderDeviceId)
            .clientMsgId(clientMsgId)
            .timestamp(timestamp)
            .contentType(contentType)
            .putPayload(payloadBuffer, payloadOffset, payloadLength);
        publisher.deliver(targets, push.limit());
    }
}
