package io.banter.engine.state;

import io.banter.codecs.ConversationKind;
import io.banter.codecs.GroupRole;
import io.banter.engine.EngineContext;
import io.banter.engine.store.MessageStore;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.Object2LongHashMap;

/**
 * All IM state of one shard, owned by the engine thread. Handlers read and change it; the
 * snapshot writer walks it in a deterministic order (never in hash order).
 */
public final class EngineState
{
    public static final long NO_USER = 0;

    private final Long2ObjectHashMap<User> users = new Long2ObjectHashMap<>();
    private final Object2LongHashMap<String> userIdByName = new Object2LongHashMap<>(NO_USER);
    private final Long2ObjectHashMap<Conversation> conversations = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<Long2ObjectHashMap<Device>> devicesByGatewayConnection =
        new Long2ObjectHashMap<>();
    private final MessageStore messageStore;
    private final HotWindow hotWindow;
    private long lastMessageId;
    private long lastConversationId;
    private long lastTimestamp;

    public EngineState(final EngineContext context)
    {
        this.messageStore = context.messageStore();
        this.hotWindow = new HotWindow(context, this);
    }

    /**
     * The hot tier, for reads and replacements; messages are stored through {@link #hotWindow()}.
     */
    public MessageStore messageStore()
    {
        return messageStore;
    }

    /**
     * Stores messages and decides which leave the hot tier.
     */
    public HotWindow hotWindow()
    {
        return hotWindow;
    }

    // ----------------------------------------------------------------- users

    public User user(final long userId)
    {
        return users.get(userId);
    }

    public long userIdByName(final String name)
    {
        return userIdByName.getValue(name);
    }

    public int userCount()
    {
        return users.size();
    }

    public void addUser(final User user)
    {
        users.put(user.userId(), user);
        userIdByName.put(user.name(), user.userId());
    }

    /**
     * User ids in ascending order, for deterministic walks.
     */
    public long[] sortedUserIds()
    {
        return sortedKeys(users);
    }

    // ----------------------------------------------------------------- conversations

    public Conversation conversation(final long conversationId)
    {
        return conversations.get(conversationId);
    }

    public int conversationCount()
    {
        return conversations.size();
    }

    /**
     * Open the direct conversation of an unordered pair and record it on both sides.
     */
    public Conversation openDirectConversation(final User a, final User b)
    {
        final Conversation conversation = new Conversation(++lastConversationId, ConversationKind.DIRECT, 2);
        conversation.addMember(a.userId(), GroupRole.MEMBER, 0, 0);
        conversation.addMember(b.userId(), GroupRole.MEMBER, 0, 0);
        addConversation(conversation);
        return conversation;
    }

    /**
     * Open a group with no members yet; the caller adds them through {@link #join}.
     */
    public Conversation openGroup(final String name, final boolean membersCanInvite, final int expectedMembers)
    {
        final Conversation conversation = new Conversation(++lastConversationId, ConversationKind.GROUP, expectedMembers);
        conversation.name(name);
        conversation.membersCanInvite(membersCanInvite);
        conversations.put(conversation.conversationId(), conversation);
        return conversation;
    }

    /**
     * Make a user a member of a group, reading from {@code readSeq}. It joins at the group's head:
     * the messages so far came before it, for receipts.
     */
    public void join(final Conversation group, final User user, final GroupRole role, final long readSeq)
    {
        group.addMember(user.userId(), role, readSeq, group.headSeq());
        user.joinConversation(group.conversationId());
        if (group.isSuperGroup() && user.isOnline())
        {
            group.memberOnline(user.userId());
        }
    }

    /**
     * End a user's membership of a group.
     */
    public void part(final Conversation group, final User user)
    {
        group.removeMemberAt(group.indexOf(user.userId()));
        user.leaveConversation(group.conversationId());
        if (group.isSuperGroup())
        {
            group.memberOffline(user.userId());
        }
    }

    /**
     * Switch a group between small (per-member change entries and pushes) and super (coalesced
     * notification to online members, who pull) as its size crosses {@code superGroupThreshold}.
     */
    public void classify(final Conversation group, final int superGroupThreshold)
    {
        final boolean shouldBeSuper = group.memberCount() > superGroupThreshold;
        if (shouldBeSuper == group.isSuperGroup())
        {
            return;
        }
        if (!shouldBeSuper)
        {
            // Small groups push every message; a stale "notified" mark must not mute a member
            // should the group grow past the threshold again.
            group.stopOnlineIndex();
            for (int i = 0, count = group.memberCount(); i < count; i++)
            {
                group.memberFlags(i, (byte)(group.memberFlags(i) & ~Conversation.NOTIFIED));
            }
            return;
        }
        group.startOnlineIndex();
        for (int i = 0, count = group.memberCount(); i < count; i++)
        {
            final long memberId = group.member(i);
            if (users.get(memberId).isOnline())
            {
                group.memberOnline(memberId);
            }
        }
    }

    /**
     * Add a conversation (new or restored) and index it on its members.
     */
    public void addConversation(final Conversation conversation)
    {
        conversations.put(conversation.conversationId(), conversation);
        if (conversation.kind() == ConversationKind.DIRECT)
        {
            final User a = users.get(conversation.member(0));
            final User b = users.get(conversation.member(1));
            a.addDirectConversation(b.userId(), conversation.conversationId());
            b.addDirectConversation(a.userId(), conversation.conversationId());
        }
        else
        {
            for (int i = 0, count = conversation.memberCount(); i < count; i++)
            {
                users.get(conversation.member(i)).joinConversation(conversation.conversationId());
            }
        }
    }

    /**
     * Unread messages over all the user's conversations. Computed from the same read positions
     * as each conversation's count, so the total always equals their sum.
     */
    public long totalUnread(final User user)
    {
        long total = 0;
        final SortedLongSet conversationIds = user.conversations();
        for (int i = 0, count = conversationIds.size(); i < count; i++)
        {
            final Conversation conversation = conversations.get(conversationIds.get(i));
            total += conversation.headSeq() - conversation.readSeq(conversation.indexOf(user.userId()));
        }
        return total;
    }

    public long[] sortedConversationIds()
    {
        return sortedKeys(conversations);
    }

    // ----------------------------------------------------------------- sessions

    public Device deviceOn(final long gatewayId, final long connectionId)
    {
        final Long2ObjectHashMap<Device> byConnection = devicesByGatewayConnection.get(gatewayId);
        return null == byConnection ? null : byConnection.get(connectionId);
    }

    /**
     * Put a device online on a connection. The device must be offline.
     */
    public void bind(final Device device, final long gatewayId, final long connectionId)
    {
        Long2ObjectHashMap<Device> byConnection = devicesByGatewayConnection.get(gatewayId);
        if (null == byConnection)
        {
            byConnection = new Long2ObjectHashMap<>();
            devicesByGatewayConnection.put(gatewayId, byConnection);
        }
        byConnection.put(connectionId, device);
        device.bind(gatewayId, connectionId);
        final User user = device.user();
        user.deviceCameOnline();
        if (1 == user.onlineDevices())
        {
            indexPresenceInSuperGroups(user, true);
        }
    }

    /**
     * Put an online device offline.
     */
    public void unbind(final Device device)
    {
        final Long2ObjectHashMap<Device> byConnection = devicesByGatewayConnection.get(device.gatewayId());
        byConnection.remove(device.connectionId());
        if (byConnection.isEmpty())
        {
            devicesByGatewayConnection.remove(device.gatewayId());
        }
        device.unbind();
        final User user = device.user();
        user.deviceWentOffline();
        if (0 == user.onlineDevices())
        {
            indexPresenceInSuperGroups(user, false);
        }
    }

    private void indexPresenceInSuperGroups(final User user, final boolean online)
    {
        final SortedLongSet conversationIds = user.conversations();
        for (int i = 0, count = conversationIds.size(); i < count; i++)
        {
            final Conversation conversation = conversations.get(conversationIds.get(i));
            if (conversation.isSuperGroup())
            {
                if (online)
                {
                    conversation.memberOnline(user.userId());
                }
                else
                {
                    conversation.memberOffline(user.userId());
                }
            }
        }
    }

    /**
     * Connection ids of a gateway in ascending order (empty when it has none).
     */
    public long[] sortedConnectionIds(final long gatewayId)
    {
        final Long2ObjectHashMap<Device> byConnection = devicesByGatewayConnection.get(gatewayId);
        return null == byConnection ? new long[0] : sortedKeys(byConnection);
    }

    // ----------------------------------------------------------------- counters

    public long nextMessageId()
    {
        return ++lastMessageId;
    }

    public long lastMessageId()
    {
        return lastMessageId;
    }

    public long lastConversationId()
    {
        return lastConversationId;
    }

    public long lastTimestamp()
    {
        return lastTimestamp;
    }

    /**
     * Record the cluster time of the latest stored message; rejected commands leave it alone so
     * that a refused command changes nothing at all.
     */
    public void advanceTime(final long timestamp)
    {
        if (timestamp > lastTimestamp)
        {
            lastTimestamp = timestamp;
        }
    }

    public void restoreCounters(final long lastMessageId, final long lastConversationId, final long lastTimestamp)
    {
        this.lastMessageId = lastMessageId;
        this.lastConversationId = lastConversationId;
        this.lastTimestamp = lastTimestamp;
    }

    private static long[] sortedKeys(final Long2ObjectHashMap<?> map)
    {
        final LongArrayList keys = new LongArrayList(map.size(), LongArrayList.DEFAULT_NULL_VALUE);
        final Long2ObjectHashMap<?>.KeyIterator iterator = map.keySet().iterator();
        while (iterator.hasNext())
        {
            keys.addLong(iterator.nextLong());
        }
        final long[] sorted = keys.toLongArray();
        java.util.Arrays.sort(sorted);
        return sorted;
    }
}
