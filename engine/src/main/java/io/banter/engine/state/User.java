package io.banter.engine.state;

import org.agrona.collections.Long2LongHashMap;

import java.util.ArrayList;
import java.util.Comparator;

/**
 * A registered user: its change log, its devices (bounded), its conversations, its relationship
 * chain and the devices subscribed to its presence. Direct conversations are also keyed by the
 * peer so that the unordered pair maps to one conversation from either side.
 * <p>
 * The conversation ids are kept in ascending order, so that listing them never depends on
 * hash-map iteration order. That index and the presence subscribers are derived: they are
 * rebuilt on restore, so they are neither snapshotted nor hashed.
 */
public final class User
{
    public static final long NO_CONVERSATION = 0;

    private final long userId;
    private final String name;
    private final ChangeLog changes;
    private final Device[] devices;
    private final Long2LongHashMap directConversationByPeer = new Long2LongHashMap(NO_CONVERSATION);
    private final SortedLongSet conversationIds = new SortedLongSet();
    private final SortedLongSet friends = new SortedLongSet();
    private final SortedLongSet blocked = new SortedLongSet();
    private final SortedLongSet outgoingRequests = new SortedLongSet();
    private final SortedLongSet incomingRequests = new SortedLongSet();
    private final ArrayList<String> incomingNotes = new ArrayList<>();
    private final ArrayList<Device> presenceSubscribers = new ArrayList<>();
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
        conversationIds.add(conversationId);
    }

    public void joinConversation(final long conversationId)
    {
        conversationIds.add(conversationId);
    }

    public void leaveConversation(final long conversationId)
    {
        conversationIds.remove(conversationId);
    }

    /**
     * The user's conversations, ascending id.
     */
    public SortedLongSet conversations()
    {
        return conversationIds;
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
        return conversationIds.get(index);
    }

    /**
     * @return the index, in ascending id order, of the first conversation with an id above
     * {@code afterConversationId}; {@link #conversationCount()} when there is none.
     */
    public int firstConversationIndexAfter(final long afterConversationId)
    {
        return conversationIds.firstIndexAfter(afterConversationId);
    }

    // ----------------------------------------------------------------- relationship chain

    public SortedLongSet friends()
    {
        return friends;
    }

    public boolean isFriend(final long userId)
    {
        return friends.contains(userId);
    }

    public SortedLongSet blocked()
    {
        return blocked;
    }

    public boolean hasBlocked(final long userId)
    {
        return blocked.contains(userId);
    }

    public SortedLongSet outgoingRequests()
    {
        return outgoingRequests;
    }

    public SortedLongSet incomingRequests()
    {
        return incomingRequests;
    }

    /**
     * The note of the pending request at {@code index} of {@link #incomingRequests()}.
     */
    public String incomingNote(final int index)
    {
        return incomingNotes.get(index);
    }

    /**
     * The note of the pending request from {@code fromUserId}, null when none is pending.
     */
    public String incomingNoteFrom(final long fromUserId)
    {
        final int index = incomingRequests.indexOf(fromUserId);
        return index >= 0 ? incomingNotes.get(index) : null;
    }

    public void addIncomingRequest(final long fromUserId, final String note)
    {
        final int index = incomingRequests.indexOf(fromUserId);
        if (index >= 0)
        {
            incomingNotes.set(index, note);
            return;
        }
        incomingRequests.add(fromUserId);
        incomingNotes.add(-(index + 1), note);
    }

    public boolean removeIncomingRequest(final long fromUserId)
    {
        final int index = incomingRequests.indexOf(fromUserId);
        if (index < 0)
        {
            return false;
        }
        incomingRequests.remove(fromUserId);
        incomingNotes.remove(index);
        return true;
    }

    // ----------------------------------------------------------------- presence subscribers

    private static final Comparator<Device> BY_USER_THEN_DEVICE =
        Comparator.<Device>comparingLong(d -> d.user().userId()).thenComparingLong(Device::deviceId);

    /**
     * Devices of other users subscribed to this user's presence, ascending (user id, device id).
     */
    public ArrayList<Device> presenceSubscribers()
    {
        return presenceSubscribers;
    }

    public void addPresenceSubscriber(final Device device)
    {
        final int index = java.util.Collections.binarySearch(presenceSubscribers, device, BY_USER_THEN_DEVICE);
        if (index < 0)
        {
            presenceSubscribers.add(-(index + 1), device);
        }
    }

    public void removePresenceSubscriber(final Device device)
    {
        final int index = java.util.Collections.binarySearch(presenceSubscribers, device, BY_USER_THEN_DEVICE);
        if (index >= 0)
        {
            presenceSubscribers.remove(index);
        }
    }
}
