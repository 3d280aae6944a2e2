package io.banter.engine.handler;

import io.banter.codecs.BooleanType;
import io.banter.codecs.ChangeKind;
import io.banter.codecs.ConversationKind;
import io.banter.codecs.ConversationListEncoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.HistoryBatchEncoder;
import io.banter.codecs.HistoryDecoder;
import io.banter.codecs.ListConversationsDecoder;
import io.banter.codecs.LookupUserDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.PresenceQueryDecoder;
import io.banter.codecs.PresenceStateEncoder;
import io.banter.codecs.StoredMessageDecoder;
import io.banter.codecs.SyncBatchEncoder;
import io.banter.codecs.SyncDecoder;
import io.banter.codecs.UserInfoEncoder;
import io.banter.engine.EngineContext;
import io.banter.engine.event.EventPublisher;
import io.banter.engine.state.ChangeLog;
import io.banter.engine.state.Conversation;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.User;
import io.banter.engine.store.MessageStore;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads: sync pages, history pages, presence, the user's conversations, user lookup. Nothing here changes state, so these can later be
 * answered from any member's state without passing through the log.
 * <p>
 * A page is gathered in two passes: bodies are copied from the store into a scratch area until
 * the entry or byte budget is reached, then encoded, so the group count is known up front and a
 * page always fits one event.
 */
public final class QueryHandler
{
    private final EngineContext context;
    private final EngineState state;
    private final EventPublisher publisher;
    private final MessageStore store;
    private final UnsafeBuffer scratch;
    private final int[] offsets;
    private final long[] changeSeqs;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final StoredMessageDecoder storedDecoder = new StoredMessageDecoder();
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);

    public QueryHandler(final EngineContext context, final EngineState state, final EventPublisher publisher)
    {
        this.context = context;
        this.state = state;
        this.publisher = publisher;
        this.store = state.messageStore();
        this.scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            (context.maxPageBytes() + context.maxStoredMessageLength() + 63) & ~63, 64));
        final int maxEntries = Math.max(context.maxSyncEntries(), context.maxHistoryEntries());
        this.offsets = new int[maxEntries];
        this.changeSeqs = new long[maxEntries];
    }

    public void onSync(final long gatewayId, final long connectionId, final Device device, final SyncDecoder query)
    {
        final long correlationId = query.correlationId();
        final long after = query.afterChangeSeq();
        final ChangeLog changes = device.user().changes();
        final long head = changes.head();
        if (after < 0 || after > head)
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED, SyncDecoder.TEMPLATE_ID,
                "afterChangeSeq must be within [0, " + head + "]");
            return;
        }
        final int maxEntries = pageSize(query.maxEntries(), context.maxSyncEntries());

        int count = 0;
        int bytes = 0;
        long changeSeq = Math.max(after + 1, changes.oldest());
        while (changeSeq <= head && count < maxEntries)
        {
            // Only message changes exist so far; other kinds will carry no body.
            final int length = store.get(changes.conversationId(changeSeq), changes.seq(changeSeq), scratch, bytes);
            if (length < 0 || bytes + length > context.maxPageBytes())
            {
                break;
            }
            offsets[count] = bytes;
            changeSeqs[count] = changeSeq;
            count++;
            bytes += length;
            changeSeq++;
        }

        final SyncBatchEncoder batch = publisher.syncBatch()
            .correlationId(correlationId)
            .afterChangeSeq(after)
            .headChangeSeq(head)
            .oldestChangeSeq(changes.oldest())
            .hasMore(changeSeq <= head ? BooleanType.TRUE : BooleanType.FALSE);
        final SyncBatchEncoder.EntriesEncoder entries = batch.entriesCount(count);
        for (int i = 0; i < count; i++)
        {
            wrapStored(i);
            entries.next()
                .changeSeq(changeSeqs[i])
                .kind(ChangeKind.MESSAGE)
                .conversationId(storedDecoder.conversationId())
                .seq(storedDecoder.seq())
                .messageId(storedDecoder.messageId())
                .senderUserId(storedDecoder.senderUserId())
                .senderDeviceId(storedDecoder.senderDeviceId())
                .clientMsgId(storedDecoder.clientMsgId())
                .timestamp(storedDecoder.timestamp())
                .contentType(storedDecoder.contentType());
            storedDecoder.wrapPayload(payloadView);
            entries.putPayload(payloadView, 0, payloadView.capacity());
        }
        publisher.deliver(gatewayId, connectionId, batch.limit());
    }

    public void onHistory(final long gatewayId, final long connectionId, final Device device, final HistoryDecoder query)
    {
        final long correlationId = query.correlationId();
        final long conversationId = query.conversationId();
        final long beforeSeq = query.beforeSeq();
        final Conversation conversation = state.conversation(conversationId);
        if (null == conversation)
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.UNKNOWN_CONVERSATION,
                HistoryDecoder.TEMPLATE_ID, "no such conversation");
            return;
        }
        if (!conversation.isMember(device.user().userId()))
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.NOT_A_MEMBER,
                HistoryDecoder.TEMPLATE_ID, "not a member of the conversation");
            return;
        }
        if (beforeSeq < 0)
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED,
                HistoryDecoder.TEMPLATE_ID, "beforeSeq must not be negative");
            return;
        }
        final long headSeq = conversation.headSeq();
        final int maxEntries = pageSize(query.maxEntries(), context.maxHistoryEntries());

        int count = 0;
        int bytes = 0;
        long seq = (0 == beforeSeq || beforeSeq > headSeq) ? headSeq : beforeSeq - 1;
        while (seq >= 1 && count < maxEntries)
        {
            final int length = store.get(conversationId, seq, scratch, bytes);
            if (length < 0 || bytes + length > context.maxPageBytes())
            {
                break;
            }
            offsets[count] = bytes;
            count++;
            bytes += length;
            seq--;
        }

        final HistoryBatchEncoder batch = publisher.historyBatch()
            .correlationId(correlationId)
            .conversationId(conversationId)
            .headSeq(headSeq)
            .hasMore(seq >= 1 ? BooleanType.TRUE : BooleanType.FALSE);
        final HistoryBatchEncoder.MessagesEncoder messages = batch.messagesCount(count);
        for (int i = 0; i < count; i++)
        {
            wrapStored(i);
            messages.next()
                .seq(storedDecoder.seq())
                .messageId(storedDecoder.messageId())
                .senderUserId(storedDecoder.senderUserId())
                .senderDeviceId(storedDecoder.senderDeviceId())
                .clientMsgId(storedDecoder.clientMsgId())
                .timestamp(storedDecoder.timestamp())
                .contentType(storedDecoder.contentType());
            storedDecoder.wrapPayload(payloadView);
            messages.putPayload(payloadView, 0, payloadView.capacity());
        }
        publisher.deliver(gatewayId, connectionId, batch.limit());
    }

    public void onPresenceQuery(final long gatewayId, final long connectionId, final PresenceQueryDecoder query)
    {
        final long correlationId = query.correlationId();
        final User user = state.user(query.userId());
        if (null == user)
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.UNKNOWN_USER,
                PresenceQueryDecoder.TEMPLATE_ID, "no such user");
            return;
        }
        final PresenceStateEncoder presence = publisher.presenceState()
            .correlationId(correlationId)
            .userId(user.userId())
            .online(user.isOnline() ? BooleanType.TRUE : BooleanType.FALSE)
            .onlineDevices(user.onlineDevices());
        publisher.deliver(gatewayId, connectionId, presence.limit());
    }

    /**
     * A page of the device's user's conversations with ids above {@code afterConversationId},
     * ascending. The user keeps its conversation ids sorted, so the page starts at a binary search
     * and never depends on hash order.
     */
    public void onListConversations(
        final long gatewayId, final long connectionId, final Device device, final ListConversationsDecoder query)
    {
        final long correlationId = query.correlationId();
        final long after = query.afterConversationId();
        if (after < 0)
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED,
                ListConversationsDecoder.TEMPLATE_ID, "afterConversationId must not be negative");
            return;
        }
        final User user = device.user();
        final int maxEntries = Math.min(
            pageSize(query.maxEntries(), context.maxSyncEntries()),
            context.maxPageBytes() / ConversationListEncoder.ConversationsEncoder.sbeBlockLength());

        final int total = user.conversationCount();
        final int first = user.firstConversationIndexAfter(after);
        final int count = Math.min(total - first, maxEntries);

        final ConversationListEncoder list = publisher.conversationList()
            .correlationId(correlationId)
            .hasMore(first + count < total ? BooleanType.TRUE : BooleanType.FALSE);
        final ConversationListEncoder.ConversationsEncoder entries = list.conversationsCount(count);
        for (int i = first, end = first + count; i < end; i++)
        {
            final Conversation conversation = state.conversation(user.conversationId(i));
            entries.next()
                .conversationId(conversation.conversationId())
                .kind(conversation.kind())
                .peerUserId(peerOf(conversation, user.userId()))
                .headSeq(conversation.headSeq())
                .lastTimestamp(conversation.lastTimestamp());
        }
        publisher.deliver(gatewayId, connectionId, list.limit());
    }

    /**
     * Find a user by id, or by name when the id is 0. Not finding one is an answer, not an error:
     * the {@code UserInfo} carries the code.
     */
    public void onLookupUser(final long gatewayId, final long connectionId, final LookupUserDecoder query)
    {
        final long correlationId = query.correlationId();
        final long userId = query.userId();
        final User user;
        if (EngineState.NO_USER != userId)
        {
            user = state.user(userId);
        }
        else
        {
            final int nameLength = query.nameLength();
            if (0 == nameLength || nameLength > context.maxNameLength())
            {
                notFound(gatewayId, connectionId, correlationId, ErrorCode.INVALID_NAME, userId);
                return;
            }
            // Bounded by maxNameLength; the name index is keyed by String, as registration is.
            final String name = query.name();
            if (!AdminHandler.isValidName(name))
            {
                notFound(gatewayId, connectionId, correlationId, ErrorCode.INVALID_NAME, userId);
                return;
            }
            user = state.user(state.userIdByName(name));
        }
        if (null == user)
        {
            notFound(gatewayId, connectionId, correlationId, ErrorCode.UNKNOWN_USER, userId);
            return;
        }
        final UserInfoEncoder info = publisher.userInfo()
            .correlationId(correlationId)
            .code(ErrorCode.NONE)
            .userId(user.userId())
            .online(user.isOnline() ? BooleanType.TRUE : BooleanType.FALSE)
            .name(user.name());
        publisher.deliver(gatewayId, connectionId, info.limit());
    }

    private void notFound(
        final long gatewayId, final long connectionId, final long correlationId, final ErrorCode code, final long userId)
    {
        final UserInfoEncoder info = publisher.userInfo()
            .correlationId(correlationId)
            .code(code)
            .userId(userId)
            .online(BooleanType.FALSE)
            .putName(scratch, 0, 0);
        publisher.deliver(gatewayId, connectionId, info.limit());
    }

    private static long peerOf(final Conversation conversation, final long userId)
    {
        if (conversation.kind() != ConversationKind.DIRECT)
        {
            return EngineState.NO_USER;
        }
        return conversation.member(0) == userId ? conversation.member(1) : conversation.member(0);
    }

    private void wrapStored(final int index)
    {
        headerDecoder.wrap(scratch, offsets[index]);
        storedDecoder.wrap(
            scratch,
            offsets[index] + MessageHeaderDecoder.ENCODED_LENGTH,
            headerDecoder.blockLength(),
            headerDecoder.version());
    }

    private static int pageSize(final int requested, final int maximum)
    {
        return 0 == requested ? maximum : Math.min(requested, maximum);
    }
}
