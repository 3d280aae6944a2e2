package io.banter.engine.handler;

import io.banter.codecs.BooleanType;
import io.banter.codecs.ChangeKind;
import io.banter.codecs.ConversationKind;
import io.banter.codecs.ConversationListEncoder;
import io.banter.codecs.ConversationsPageEncoder;
import io.banter.codecs.ConversationsQueryDecoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.GroupInfoEncoder;
import io.banter.codecs.GroupInfoQueryDecoder;
import io.banter.codecs.GroupRole;
import io.banter.codecs.HistoryDecoder;
import io.banter.codecs.ListConversationsDecoder;
import io.banter.codecs.LookupUserDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.PresenceQueryDecoder;
import io.banter.codecs.PresenceStateEncoder;
import io.banter.codecs.RelationList;
import io.banter.codecs.RelationsPageEncoder;
import io.banter.codecs.RelationsQueryDecoder;
import io.banter.codecs.StoredMessageDecoder;
import io.banter.codecs.SyncBatchEncoder;
import io.banter.codecs.SyncDecoder;
import io.banter.codecs.UserInfoEncoder;
import io.banter.engine.EngineContext;
import io.banter.engine.event.EventPublisher;
import io.banter.engine.event.HistoryPage;
import io.banter.engine.state.ChangeLog;
import io.banter.engine.state.Conversation;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.SortedLongSet;
import io.banter.engine.state.User;
import io.banter.engine.store.HistoryArchive;
import io.banter.engine.store.MessageStore;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static io.banter.codecs.validation.EnumDomain.RELATION_LIST;

/**
 * Reads: sync pages, history pages, presence, the user's conversations (by id and as an inbox
 * by activity), group info, relationship lists, user lookup. The one change made here is
 * clearing a super-group member's "notified" flag when it pulls history, which only decides
 * whether the next message notifies it again.
 * <p>
 * A page is gathered in two passes: bodies are copied from the store into a scratch area until
 * the entry or byte budget is reached, then encoded, so the group count is known up front and a
 * page always fits one event.
 */
public final class QueryHandler
{
    private static final int NO_BODY = -1;
    private static final int ARCHIVED_BODY = -2;
    /** Most inbox entries per page; fewer when names and previews of the configured lengths would not fit maxPageBytes. */
    public static final int MAX_INBOX_ENTRIES = 128;
    /** Group members per page (17 bytes each). */
    public static final int MAX_MEMBER_ENTRIES = 2048;
    /** Relationship entries per page (each may carry a note). */
    public static final int MAX_RELATION_ENTRIES = 256;

    private final EngineContext context;
    private final EngineState state;
    private final EventPublisher publisher;
    private final MessageStore store;
    private final HistoryArchive archive;
    private final HistoryPage historyPage;
    private final UnsafeBuffer scratch;
    private final int[] offsets;
    private final long[] changeSeqs;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final StoredMessageDecoder storedDecoder = new StoredMessageDecoder();
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer noteScratch;
    private final long[] inboxActivities = new long[MAX_INBOX_ENTRIES];
    private final long[] inboxIds = new long[MAX_INBOX_ENTRIES];
    private final int nonMessageEntryBytes;
    private final int maxInboxEntries;

    public QueryHandler(final EngineContext context, final EngineState state, final EventPublisher publisher)
    {
        this.context = context;
        this.state = state;
        this.publisher = publisher;
        this.store = state.messageStore();
        this.archive = context.historyArchive();
        this.historyPage = new HistoryPage(context.maxHistoryEntries(), context.maxPageBytes(),
            context.maxStoredMessageLength());
        this.scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            (context.maxPageBytes() + context.maxStoredMessageLength() + 63) & ~63, 64));
        // Sync pages and inbox previews; history pages gather in their own HistoryPage.
        this.offsets = new int[context.maxSyncEntries()];
        this.changeSeqs = new long[context.maxSyncEntries()];
        this.noteScratch = new UnsafeBuffer(new byte[context.maxNoteLength()]);
        this.nonMessageEntryBytes = SyncBatchEncoder.EntriesEncoder.sbeBlockLength() + 4 + context.maxNoteLength();
        final int inboxEntryBytes = ConversationsPageEncoder.ConversationsEncoder.sbeBlockLength() +
            ConversationsPageEncoder.ConversationsEncoder.nameHeaderLength() + context.maxGroupNameLength() +
            ConversationsPageEncoder.ConversationsEncoder.previewHeaderLength() + context.previewLength();
        this.maxInboxEntries = Math.max(1, Math.min(MAX_INBOX_ENTRIES, context.maxPageBytes() / inboxEntryBytes));
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
            int length = nonMessageEntryBytes;
            int offset = NO_BODY;
            if (changes.kind(changeSeq) == ChangeKind.MESSAGE.value())
            {
                final int stored = store.get(changes.conversationId(changeSeq), changes.seq(changeSeq), scratch, bytes);
                if (stored >= 0)
                {
                    length = stored;
                    offset = bytes;
                }
                else
                {
                    // Left the hot tier: the entry names the message, the archive has its body.
                    offset = ARCHIVED_BODY;
                }
            }
            if (bytes + length > context.maxPageBytes())
            {
                break;
            }
            offsets[count] = offset;
            changeSeqs[count] = changeSeq;
            count++;
            bytes += length;
            changeSeq++;
        }

        final User user = device.user();
        final SyncBatchEncoder batch = publisher.syncBatch()
            .correlationId(correlationId)
            .afterChangeSeq(after)
            .headChangeSeq(head)
            .oldestChangeSeq(changes.oldest())
            .hasMore(changeSeq <= head ? BooleanType.TRUE : BooleanType.FALSE);
        final SyncBatchEncoder.EntriesEncoder entries = batch.entriesCount(count);
        for (int i = 0; i < count; i++)
        {
            final long entryChangeSeq = changeSeqs[i];
            final SyncBatchEncoder.EntriesEncoder entry = entries.next().changeSeq(entryChangeSeq);
            if (NO_BODY != offsets[i] && ARCHIVED_BODY != offsets[i])
            {
                wrapStored(i);
                entry.kind(ChangeKind.MESSAGE)
                    .conversationId(storedDecoder.conversationId())
                    .seq(storedDecoder.seq())
                    .messageId(storedDecoder.messageId())
                    .senderUserId(storedDecoder.senderUserId())
                    .senderDeviceId(storedDecoder.senderDeviceId())
                    .clientMsgId(storedDecoder.clientMsgId())
                    .timestamp(storedDecoder.timestamp())
                    .contentType(storedDecoder.contentType())
                    .userId(0)
                    .flags(storedDecoder.flags());
                storedDecoder.wrapPayload(payloadView);
                entry.putPayload(payloadView, 0, payloadView.capacity());
            }
            else
            {
                // A change without a body: a relation or read change, or a message that left the
                // hot tier, named by its position only (ARCHIVED).
                final ChangeKind kind = ChangeKind.get(changes.kind(entryChangeSeq));
                final long otherUserId = changes.userId(entryChangeSeq);
                entry.kind(kind)
                    .conversationId(changes.conversationId(entryChangeSeq))
                    .seq(changes.seq(entryChangeSeq))
                    .messageId(0)
                    .senderUserId(0)
                    .senderDeviceId(0)
                    .clientMsgId(0)
                    .timestamp(0)
                    .contentType(0)
                    .userId(otherUserId)
                    .flags(ARCHIVED_BODY == offsets[i] ? MessagePoster.ARCHIVED : 0);
                final String note = kind == ChangeKind.FRIEND_REQUEST ? user.incomingNoteFrom(otherUserId) : null;
                if (null != note)
                {
                    // Bounded by maxNoteLength, which nonMessageEntryBytes budgets for.
                    final int noteLength = noteScratch.putStringWithoutLengthUtf8(0, note);
                    entry.putPayload(noteScratch, 0, noteLength);
                }
                else
                {
                    entry.putPayload(noteScratch, 0, 0);
                }
            }
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
        if (conversation.isSuperGroup())
        {
            // The member pulled: the next message tells it again.
            conversation.clearNotified(conversation.indexOf(device.user().userId()));
        }

        long seq = (0 == beforeSeq || beforeSeq > headSeq) ? headSeq : beforeSeq - 1;
        if (conversation.isArchived(seq))
        {
            // Wholly below the hot window: the archive answers, off this thread.
            archive.requestPage(gatewayId, connectionId, correlationId, conversationId, seq + 1, maxEntries, headSeq);
            return;
        }

        // The hot part only: a page never mixes tiers, hasMore leads the client on into the archive.
        final long floorSeq = conversation.hotFloorSeq();
        historyPage.reset();
        while (seq >= floorSeq && historyPage.count() < maxEntries)
        {
            final int length = store.get(conversationId, seq, historyPage.buffer(), historyPage.nextOffset());
            if (length < 0 || !historyPage.add(length))
            {
                break;
            }
            seq--;
        }
        historyPage.publish(publisher, gatewayId, connectionId, correlationId, conversationId, headSeq, seq >= 1);
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
     * The user's inbox: conversations by last activity, newest first, strictly before
     * {@code beforeActivity}, with unread counts and the latest message's preview. One pass over
     * the user's conversations keeps the page's newest entries in a small sorted array (activity
     * ids are unique per shard, so the order is total) and sums the total unread.
     */
    public void onConversationsQuery(
        final long gatewayId, final long connectionId, final Device device, final ConversationsQueryDecoder query)
    {
        final long correlationId = query.correlationId();
        final long before = 0 == query.beforeActivity() ? Long.MAX_VALUE : query.beforeActivity();
        if (before < 0)
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED,
                ConversationsQueryDecoder.TEMPLATE_ID, "beforeActivity must not be negative");
            return;
        }
        final User user = device.user();
        final int maxEntries = Math.min(pageSize(query.maxEntries(), maxInboxEntries), maxInboxEntries);
        final SortedLongSet conversationIds = user.conversations();
        int selected = 0;
        int candidates = 0;
        long totalUnread = 0;
        for (int i = 0, count = conversationIds.size(); i < count; i++)
        {
            final Conversation conversation = state.conversation(conversationIds.get(i));
            totalUnread += conversation.headSeq() - conversation.readSeq(conversation.indexOf(user.userId()));
            final long activity = conversation.activity();
            if (activity >= before)
            {
                continue;
            }
            candidates++;
            if (selected == maxEntries && activity <= inboxActivities[selected - 1])
            {
                continue;
            }
            int at = selected == maxEntries ? selected - 1 : selected++;
            while (at > 0 && inboxActivities[at - 1] < activity)
            {
                inboxActivities[at] = inboxActivities[at - 1];
                inboxIds[at] = inboxIds[at - 1];
                at--;
            }
            inboxActivities[at] = activity;
            inboxIds[at] = conversation.conversationId();
        }

        final ConversationsPageEncoder page = publisher.conversationsPage()
            .correlationId(correlationId)
            .totalUnread(totalUnread)
            .hasMore(candidates > selected ? BooleanType.TRUE : BooleanType.FALSE);
        final ConversationsPageEncoder.ConversationsEncoder entries = page.conversationsCount(selected);
        for (int i = 0; i < selected; i++)
        {
            final Conversation conversation = state.conversation(inboxIds[i]);
            final int index = conversation.indexOf(user.userId());
            final long peerUserId = peerOf(conversation, user.userId());
            final User peer = EngineState.NO_USER == peerUserId ? null : state.user(peerUserId);
            final long readSeq = conversation.readSeq(index);
            final ConversationsPageEncoder.ConversationsEncoder entry = entries.next()
                .conversationId(conversation.conversationId())
                .kind(conversation.kind())
                .peerUserId(peerUserId)
                .peerOnline(null != peer && peer.isOnline() ? BooleanType.TRUE : BooleanType.FALSE)
                .memberCount(conversation.memberCount())
                .role(conversation.isGroup() ? conversation.role(index) : GroupRole.NULL_VAL)
                .headSeq(conversation.headSeq())
                .readSeq(readSeq)
                .unread(conversation.headSeq() - readSeq)
                .activity(conversation.activity())
                .lastTimestamp(conversation.lastTimestamp());
            final int length = conversation.headSeq() > 0 ?
                store.get(conversation.conversationId(), conversation.headSeq(), scratch, 0) : -1;
            if (length < 0 && conversation.isArchived(conversation.headSeq()))
            {
                entry.lastSenderUserId(0).lastContentType(0).lastFlags(MessagePoster.ARCHIVED);
                entry.name(conversation.name());
                entry.putPreview(scratch, 0, 0);
            }
            else if (length >= 0)
            {
                offsets[0] = 0;
                wrapStored(0);
                entry.lastSenderUserId(storedDecoder.senderUserId())
                    .lastContentType(storedDecoder.contentType())
                    .lastFlags(storedDecoder.flags());
                storedDecoder.wrapPayload(payloadView);
                entry.name(conversation.name());
                entry.putPreview(payloadView, 0, Math.min(payloadView.capacity(), context.previewLength()));
            }
            else
            {
                entry.lastSenderUserId(0).lastContentType(0).lastFlags((short)0);
                entry.name(conversation.name());
                entry.putPreview(scratch, 0, 0);
            }
        }
        publisher.deliver(gatewayId, connectionId, page.limit());
    }

    /**
     * A group's settings and a page of its members in user id order. Members only.
     */
    public void onGroupInfoQuery(
        final long gatewayId, final long connectionId, final Device device, final GroupInfoQueryDecoder query)
    {
        final long correlationId = query.correlationId();
        final int templateId = GroupInfoQueryDecoder.TEMPLATE_ID;
        final Conversation group = state.conversation(query.conversationId());
        if (null == group || !group.isGroup())
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.UNKNOWN_CONVERSATION, templateId,
                "no such group " + query.conversationId());
            return;
        }
        if (!group.isMember(device.user().userId()))
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.NOT_A_MEMBER, templateId,
                "not a member of group " + group.conversationId());
            return;
        }
        final int maxEntries = Math.min(pageSize(query.maxEntries(), MAX_MEMBER_ENTRIES), MAX_MEMBER_ENTRIES);
        final int first = group.firstIndexAfter(query.afterUserId());
        final int count = Math.min(group.memberCount() - first, maxEntries);
        final GroupInfoEncoder info = publisher.groupInfo()
            .correlationId(correlationId)
            .conversationId(group.conversationId())
            .ownerUserId(group.ownerUserId())
            .memberCount(group.memberCount())
            .superGroup(group.isSuperGroup() ? BooleanType.TRUE : BooleanType.FALSE)
            .membersCanInvite(group.membersCanInvite() ? BooleanType.TRUE : BooleanType.FALSE)
            .headSeq(group.headSeq())
            .hasMore(first + count < group.memberCount() ? BooleanType.TRUE : BooleanType.FALSE);
        final GroupInfoEncoder.MembersEncoder members = info.membersCount(count);
        for (int i = first, end = first + count; i < end; i++)
        {
            members.next().userId(group.member(i)).role(group.role(i)).readSeq(group.readSeq(i));
        }
        info.name(group.name());
        publisher.deliver(gatewayId, connectionId, info.limit());
    }

    /**
     * A page of one of the user's relationship lists, ascending user id.
     */
    public void onRelationsQuery(
        final long gatewayId, final long connectionId, final Device device, final RelationsQueryDecoder query)
    {
        final long correlationId = query.correlationId();
        final short listRaw = query.listRaw();
        if (!RELATION_LIST.isDefined(listRaw))
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED,
                RelationsQueryDecoder.TEMPLATE_ID, RELATION_LIST.refusal("list", listRaw));
            return;
        }
        final RelationList list = query.list();
        final User user = device.user();
        final SortedLongSet ids;
        switch (list)
        {
            case FRIENDS:
                ids = user.friends();
                break;
            case INCOMING:
                ids = user.incomingRequests();
                break;
            case OUTGOING:
                ids = user.outgoingRequests();
                break;
            case BLOCKED:
                ids = user.blocked();
                break;
            default:
                publisher.error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED,
                    RelationsQueryDecoder.TEMPLATE_ID, "unknown list " + query.listRaw());
                return;
        }
        final int maxEntries = Math.min(pageSize(query.maxEntries(), MAX_RELATION_ENTRIES), MAX_RELATION_ENTRIES);
        final int first = ids.firstIndexAfter(query.afterUserId());
        final int count = Math.min(ids.size() - first, maxEntries);
        final RelationsPageEncoder page = publisher.relationsPage()
            .correlationId(correlationId)
            .list(list)
            .total(ids.size())
            .hasMore(first + count < ids.size() ? BooleanType.TRUE : BooleanType.FALSE);
        final RelationsPageEncoder.UsersEncoder users = page.usersCount(count);
        for (int i = first, end = first + count; i < end; i++)
        {
            final long otherId = ids.get(i);
            final User other = state.user(otherId);
            users.next()
                .userId(otherId)
                .online(list == RelationList.FRIENDS && other.isOnline() ? BooleanType.TRUE : BooleanType.FALSE);
            final String note = list == RelationList.INCOMING ? user.incomingNote(i) :
                list == RelationList.OUTGOING ? other.incomingNoteFrom(user.userId()) : null;
            users.note(null == note ? "" : note);
        }
        publisher.deliver(gatewayId, connectionId, page.limit());
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
