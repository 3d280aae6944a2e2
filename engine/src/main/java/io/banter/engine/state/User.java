package io.banter.engine.state;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;

/**
 * A registered user: its change log, its devices (bounded) and its direct conversations, keyed
 * by the peer so that the unordered pair maps to one conversation from either side.
 * <p>
 * The conversation ids are also kept in ascending order, so that listing them never depends on
 * hash-map iteration order. That index is derived: it is rebuilt as conversations are added on
 * restore, so it is neither snapshotted nor hashed.
 */
public final class User
{
    public static final long NO_CONVERSATION = 0;

    private final long userId;
    private final String name;
    private final ChangeLog changes;
    private final Device[] devices;
    private final Long2LongHashMap directConversationByPeer = new Long2LongHashMap(NO_CONVERSATION);
    private final LongArrayList conversationIds = new LongArrayList();
    private int deviceCount;
    private int onlineDevices;

    public User(final long userId, final String name, final int changeLogCapacity, final int maxDevices)
    {
        this.userId = userId;
        this.name = name;
        this.changes = new ChangeLog(changeLogCapacity);
        this.devices = new Device[maxDevices];
    }

    public long userId()
    {
        return userId;
    }

    public String name()
    {
        return name;
    }

    public ChangeLog changes()
    {
        return changes;
    }

    public int deviceCount()
    {
        return deviceCount;
    }

    /**
     * Devices in the order they first logged in.
     */
    public Device device(final int index)
    {
        return devices[index];
    }

    public Device findDevice(final long deviceId)
    {
        for (int i = 0; i < deviceCount; i++)
        {
            if (devices[i].deviceId() == deviceId)
            {
                return devices[i];
            }
        }
        return null;
    }

    public boolean hasRoomForDevice()
    {
        return deviceCount < devices.length;
    }

    public Device addDevice(final long deviceId, final short platform, final int sentWindowSize)
    {
        final Device device = new Device(this, deviceId, platform, sentWindowSize);
        devices[deviceCount++] = device;
        return device;
    }

    public int onlineDevices()
    {
        return onlineDevices;
    }

    public boolean isOnline()
    {
        return onlineDevices > 0;
    }

    void deviceCameOnline()
    {
        onlineDevices++;
    }

    void deviceWentOffline()
    {
        onlineDevices--;
    }

    public long directConversationWith(final long peerUserId)
    {
        return directConversationByPeer.get(peerUserId);
    }

    public int directConversationCount()
    {
        return directConversationByPeer.size();
    }

    public void addDirectConversation(final long peerUserId, final long conversationId)
    {
        directConversationByPeer.put(peerUserId, conversationId);
        insertConversationId(conversationId);
    }

    /**
     * How many conversations the user is in.
     */
    public int conversationCount()
    {
        return conversationIds.size();
    }

    /**
     * The conversation id at {@code index} in ascending id order.
     */
    public long conversationId(final int index)
    {
        return conversationIds.getLong(index);
    }

    /**
     * @return the index, in ascending id order, of the first conversation with an id above
     * {@code afterConversationId}; {@link #conversationCount()} when there is none.
     */
    public int firstConversationIndexAfter(final long afterConversationId)
    {
        int low = 0;
        int high = conversationIds.size();
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (conversationIds.getLong(mid) <= afterConversationId)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    private void insertConversationId(final long conversationId)
    {
        // Ids are allocated in ascending order, so this is nearly always an append.
        final int size = conversationIds.size();
        if (0 == size || conversationIds.getLong(size - 1) < conversationId)
        {
            conversationIds.addLong(conversationId);
            return;
        }
        final int index = firstConversationIndexAfter(conversationId);
        if (index > 0 && conversationIds.getLong(index - 1) == conversationId)
        {
            return;
        }
        conversationIds.addLong(index, conversationId);
    }
}
