package io.banter.engine.handler;

import io.banter.codecs.BooleanType;
import io.banter.codecs.ChangeKind;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.MarkReadDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.ReadReceiptEncoder;
import io.banter.codecs.ReadStateEncoder;
import io.banter.codecs.ReceiptPageEncoder;
import io.banter.codecs.ReceiptQueryDecoder;
import io.banter.codecs.StoredMessageDecoder;
import io.banter.engine.EngineContext;
import io.banter.engine.event.DeliveryTargets;
import io.banter.engine.event.EventPublisher;
import io.banter.engine.state.Conversation;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.User;
import io.banter.engine.store.MessageStore;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static io.banter.codecs.validation.EnumDomain.BOOLEAN_TYPE;

/**
 * Read positions and receipts. A member's read position only moves forward; unread is head minus
 * it. Readers of message {@code s} are the members (its sender aside) whose position is at least
 * {@code s}, so counts and pages come from the positions alone, also in a large group.
 * <p>
 * In direct conversations and small groups a moved position is a {@code READ} change for, and a
 * {@code ReadReceipt} push to, each member with a message after the reader's old position; in
 * super groups receipts are answered only on request.
 */
public final class ReadHandler
{
    /** Most user ids in one receipt page. */
    public static final int MAX_RECEIPT_ENTRIES = 4096;

    private final EngineContext context;
    private final EngineState state;
    private final EventPublisher publisher;
    private final MessageStore store;
    private final DeliveryTargets targets;
    private final UnsafeBuffer scratch;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final StoredMessageDecoder storedDecoder = new StoredMessageDecoder();

    public ReadHandler(final EngineContext context, final EngineState state, final EventPublisher publisher)
    {
        this.context = context;
        this.state = state;
        this.publisher = publisher;
        this.store = state.messageStore();
        this.targets = new DeliveryTargets(context.maxDevicesPerUser());
        this.scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            (context.maxStoredMessageLength() + 63) & ~63, 64));
    }

    public void onMarkRead(final long gatewayId, final long connectionId, final Device device, final MarkReadDecoder command)
    {
        final long correlationId = command.correlationId();
        final int templateId = MarkReadDecoder.TEMPLATE_ID;
        final User reader = device.user();
        final Conversation conversation = memberConversation(gatewayId, connectionId, correlationId, templateId,
            command.conversationId(), reader);
        if (null == conversation)
        {
            return;
        }
        final long seq = command.seq();
        if (seq < 0 || seq > conversation.headSeq())
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED, templateId,
                "seq must be within [0, " + conversation.headSeq() + "]");
            return;
        }
        final int readerIndex = conversation.indexOf(reader.userId());
        final long oldReadSeq = conversation.readSeq(readerIndex);
        long changeSeq = 0;
        if (seq > oldReadSeq)
        {
            conversation.readSeq(readerIndex, seq);
            conversation.clearNotified(readerIndex);
            changeSeq = reader.changes().append(ChangeKind.READ, conversation.conversationId(), seq, reader.userId());
            if (!conversation.isSuperGroup())
            {
                sendReceipts(conversation, reader, oldReadSeq, seq);
            }
        }

        final long readSeq = conversation.readSeq(readerIndex);
        final long unread = conversation.headSeq() - readSeq;
        final long totalUnread = state.totalUnread(reader);
        final ReadStateEncoder answer = publisher.readState()
            .correlationId(correlationId)
            .changeSeq(changeSeq)
            .conversationId(conversation.conversationId())
            .readSeq(readSeq)
            .unread(unread)
            .totalUnread(totalUnread);
        publisher.deliver(gatewayId, connectionId, answer.limit());

        if (0 != changeSeq)
        {
            targets.clear();
            targets.addOnlineDevices(reader, device);
            if (!targets.isEmpty())
            {
                final ReadStateEncoder push = publisher.readState()
                    .correlationId(0)
                    .changeSeq(changeSeq)
                    .conversationId(conversation.conversationId())
                    .readSeq(readSeq)
                    .unread(unread)
                    .totalUnread(totalUnread);
                publisher.deliver(targets, push.limit());
            }
        }
    }

    private void sendReceipts(final Conversation conversation, final User reader, final long oldReadSeq, final long readSeq)
    {
        for (int i = 0, count = conversation.memberCount(); i < count; i++)
        {
            final long memberId = conversation.member(i);
            if (memberId == reader.userId() || conversation.lastOwnSeq(i) <= oldReadSeq)
            {
                continue;
            }
            final User sender = state.user(memberId);
            final long changeSeq = sender.changes().append(
                ChangeKind.READ, conversation.conversationId(), readSeq, reader.userId());
            targets.clear();
            targets.addOnlineDevices(sender, null);
            if (!targets.isEmpty())
            {
                final ReadReceiptEncoder receipt = publisher.readReceipt()
                    .changeSeq(changeSeq)
                    .conversationId(conversation.conversationId())
                    .readerUserId(reader.userId())
                    .readSeq(readSeq);
                publisher.deliver(targets, receipt.limit());
            }
        }
    }

    public void onReceiptQuery(
        final long gatewayId, final long connectionId, final Device device, final ReceiptQueryDecoder query)
    {
        final long correlationId = query.correlationId();
        final int templateId = ReceiptQueryDecoder.TEMPLATE_ID;
        final short readersRaw = query.readersRaw();
        if (!BOOLEAN_TYPE.isDefined(readersRaw))
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED, templateId,
                BOOLEAN_TYPE.refusal("readers", readersRaw));
            return;
        }
        final Conversation conversation = memberConversation(gatewayId, connectionId, correlationId, templateId,
            query.conversationId(), device.user());
        if (null == conversation)
        {
            return;
        }
        final long seq = query.seq();
        final BooleanType readersFlag = query.readers();
        final long afterUserId = query.afterUserId();
        if (seq < 1 || seq > conversation.headSeq())
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.UNKNOWN_MESSAGE, templateId,
                "no message " + seq + " in conversation " + conversation.conversationId());
            return;
        }
        if (conversation.isArchived(seq))
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.ARCHIVED, templateId,
                "message " + seq + " left the hot tier for the cold tier; receipts are listed for hot messages");
            return;
        }
        final long senderUserId = senderOf(conversation.conversationId(), seq);
        if (senderUserId < 0)
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.UNKNOWN_MESSAGE, templateId,
                "message " + seq + " is not held");
            return;
        }
        final boolean readers = readersFlag == BooleanType.TRUE;
        final int readCount = conversation.countReaders(seq, senderUserId);
        // Members who joined after the message neither read it nor left it unread: they are not counted.
        final int others = conversation.countJoinedBefore(seq, senderUserId);
        final int maxEntries = 0 == query.maxEntries() ? 256 : Math.min(query.maxEntries(), MAX_RECEIPT_ENTRIES);

        // Count the page first: an SBE group's size is written before its entries.
        final int first = conversation.firstIndexAfter(afterUserId);
        int count = 0;
        int i = first;
        final int memberCount = conversation.memberCount();
        while (i < memberCount && count < maxEntries)
        {
            if (matches(conversation, i, seq, senderUserId, readers))
            {
                count++;
            }
            i++;
        }
        boolean hasMore = false;
        for (int j = i; j < memberCount; j++)
        {
            if (matches(conversation, j, seq, senderUserId, readers))
            {
                hasMore = true;
                break;
            }
        }

        final ReceiptPageEncoder page = publisher.receiptPage()
            .correlationId(correlationId)
            .conversationId(conversation.conversationId())
            .seq(seq)
            .readCount(readCount)
            .unreadCount(others - readCount)
            .readers(readersFlag)
            .hasMore(hasMore ? BooleanType.TRUE : BooleanType.FALSE);
        final ReceiptPageEncoder.UsersEncoder users = page.usersCount(count);
        for (int k = first; k < i; k++)
        {
            if (matches(conversation, k, seq, senderUserId, readers))
            {
                users.next().userId(conversation.member(k));
            }
        }
        publisher.deliver(gatewayId, connectionId, page.limit());
    }

    private static boolean matches(
        final Conversation conversation, final int index, final long seq, final long senderUserId, final boolean readers)
    {
        return conversation.member(index) != senderUserId && conversation.joinedBefore(index, seq) &&
            (conversation.readSeq(index) >= seq) == readers;
    }

    /**
     * @return the sender of a stored message, -1 when the store does not hold it.
     */
    long senderOf(final long conversationId, final long seq)
    {
        if (store.get(conversationId, seq, scratch, 0) < 0)
        {
            return -1;
        }
        headerDecoder.wrap(scratch, 0);
        storedDecoder.wrap(scratch, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        return storedDecoder.senderUserId();
    }

    private Conversation memberConversation(
        final long gatewayId, final long connectionId, final long correlationId, final int templateId,
        final long conversationId, final User user)
    {
        final Conversation conversation = state.conversation(conversationId);
        if (null == conversation)
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.UNKNOWN_CONVERSATION, templateId,
                "no such conversation " + conversationId);
            return null;
        }
        if (!conversation.isMember(user.userId()))
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.NOT_A_MEMBER, templateId,
                "not a member of conversation " + conversationId);
            return null;
        }
        return conversation;
    }
}
