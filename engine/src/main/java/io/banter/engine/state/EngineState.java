package io.banter.engine.state;

import io.banter.codecs.ConversationKind;
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
    private long lastMessageId;
    private long lastConversationId;
    private long lastTimestamp;

    public EngineState(final MessageStore messageStore)
    {
        this.messageStore = messageStore;
    }

    public MessageStore messageStore()
    {
        return messageStore;
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
        final long conversationId = ++lastConversationId;
        final long low = Math.min(a.userId(), b.userId());
        final long high = Math.max(a.userId(), b.userId());
        final Conversation conversation =
            new Conversation(conversationId, ConversationKind.DIRECT, new long[]{ low, high });
        addConversation(conversation);
        return conversation;
    }

    /**
     * Add a conversation (new or restored) and index it.
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
        device.user().deviceCameOnline();
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
        device.user().deviceWentOffline();
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
