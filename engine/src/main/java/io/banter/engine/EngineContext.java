package io.banter.engine;

import io.banter.engine.store.ChronicleMessageStore;
import io.banter.engine.store.HistoryArchive;
import io.banter.engine.store.MessageStore;

/**
 * Configuration of one engine, with defaults sized for a development machine. Every limit here
 * is a bound the engine enforces with a clear rejection.
 */
public final class EngineContext
{
    private int maxPayloadLength = 4096;
    private int maxNameLength = 32;
    private int maxDevicesPerUser = 8;
    private int sentWindowSize = 64;
    private int changeLogCapacity = 4096;
    private int maxSyncEntries = 256;
    private int maxHistoryEntries = 256;
    private int maxPageBytes = 60 * 1024;
    private int maxUsers = 10_000_000;
    private int maxConversationsPerUser = 100_000;
    private long hotTierEntries = 1_000_000;
    private int hotTierAverageMessageBytes = 256;
    private long hotTierMaxAge = 7L * 24 * 60 * 60 * 1000;
    private int hotTierMessagesPerConversation = 1_000;
    private HistoryArchive historyArchive;
    private int maxGroupSize = 100_000;
    private int superGroupThreshold = 1_000;
    private int maxGroupNameLength = 64;
    private long recallWindow = 120_000;
    private boolean strangersMayMessage = false;
    private int maxFriends = 5_000;
    private int maxPendingFriendRequests = 100;
    private int maxBlocked = 1_000;
    private int maxNoteLength = 128;
    private int maxPresenceSubscriptions = 256;
    private int maxMobileSessions = 1;
    private int maxDesktopSessions = 1;
    private int maxWebSessions = 4;
    private int previewLength = 64;
    private MessageStore messageStore;
    private boolean concluded;

    /**
     * Check the settings and create what was not supplied. Called by the engine.
     */
    public EngineContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        requirePositive("maxPayloadLength", maxPayloadLength);
        requirePositive("maxNameLength", maxNameLength);
        requirePositive("maxDevicesPerUser", maxDevicesPerUser);
        requirePowerOfTwo("sentWindowSize", sentWindowSize);
        requirePowerOfTwo("changeLogCapacity", changeLogCapacity);
        requirePositive("maxSyncEntries", maxSyncEntries);
        requirePositive("maxHistoryEntries", maxHistoryEntries);
        requirePositive("maxUsers", maxUsers);
        requirePositive("maxConversationsPerUser", maxConversationsPerUser);
        requirePositive("maxGroupSize", maxGroupSize);
        requirePositive("superGroupThreshold", superGroupThreshold);
        requirePositive("maxGroupNameLength", maxGroupNameLength);
        requirePositive("maxFriends", maxFriends);
        requirePositive("maxPendingFriendRequests", maxPendingFriendRequests);
        requirePositive("maxBlocked", maxBlocked);
        requirePositive("maxNoteLength", maxNoteLength);
        requirePositive("maxPresenceSubscriptions", maxPresenceSubscriptions);
        requirePositive("maxMobileSessions", maxMobileSessions);
        requirePositive("maxDesktopSessions", maxDesktopSessions);
        requirePositive("maxWebSessions", maxWebSessions);
        if (recallWindow < 0 || previewLength < 0)
        {
            throw new IllegalStateException("recallWindow and previewLength must not be negative");
        }
        if (maxPageBytes < 2 * maxStoredMessageLength())
        {
            throw new IllegalStateException("maxPageBytes must hold two of the largest messages: " + maxPageBytes);
        }
        if (maxSyncEntries > 0xFFFF || maxHistoryEntries > 0xFFFF)
        {
            throw new IllegalStateException("page entries must fit an SBE group count (65535)");
        }
        requirePositive("hotTierMaxAge", hotTierMaxAge);
        requirePositive("hotTierMessagesPerConversation", hotTierMessagesPerConversation);
        if (null != historyArchive &&
            (hotTierEntries < 2 || hotTierEntries * hotTierAverageMessageBytes < 2L * maxStoredMessageLength()))
        {
            // Eviction makes room for one message by dropping older ones: the tier must hold two.
            throw new IllegalStateException("the hot tier must hold two of the largest messages");
        }
        if (null == messageStore)
        {
            messageStore = new ChronicleMessageStore(hotTierEntries, hotTierAverageMessageBytes, maxStoredMessageLength());
        }
        concluded = true;
        return this;
    }

    /**
     * The largest encoded {@code StoredMessage}: header, fixed block and the largest payload.
     */
    public int maxStoredMessageLength()
    {
        return 128 + maxPayloadLength;
    }

    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    public EngineContext maxPayloadLength(final int maxPayloadLength)
    {
        this.maxPayloadLength = maxPayloadLength;
        return this;
    }

    public int maxNameLength()
    {
        return maxNameLength;
    }

    public EngineContext maxNameLength(final int maxNameLength)
    {
        this.maxNameLength = maxNameLength;
        return this;
    }

    public int maxDevicesPerUser()
    {
        return maxDevicesPerUser;
    }

    public EngineContext maxDevicesPerUser(final int maxDevicesPerUser)
    {
        this.maxDevicesPerUser = maxDevicesPerUser;
        return this;
    }

    public int sentWindowSize()
    {
        return sentWindowSize;
    }

    /**
     * How many recent sends per device are remembered for idempotent retries (a power of two).
     */
    public EngineContext sentWindowSize(final int sentWindowSize)
    {
        this.sentWindowSize = sentWindowSize;
        return this;
    }

    public int changeLogCapacity()
    {
        return changeLogCapacity;
    }

    /**
     * How many changes per user are retained for sync (a power of two).
     */
    public EngineContext changeLogCapacity(final int changeLogCapacity)
    {
        this.changeLogCapacity = changeLogCapacity;
        return this;
    }

    public int maxSyncEntries()
    {
        return maxSyncEntries;
    }

    public EngineContext maxSyncEntries(final int maxSyncEntries)
    {
        this.maxSyncEntries = maxSyncEntries;
        return this;
    }

    public int maxHistoryEntries()
    {
        return maxHistoryEntries;
    }

    public EngineContext maxHistoryEntries(final int maxHistoryEntries)
    {
        this.maxHistoryEntries = maxHistoryEntries;
        return this;
    }

    public int maxPageBytes()
    {
        return maxPageBytes;
    }

    /**
     * Byte budget of one sync or history page, so a page always fits one event.
     */
    public EngineContext maxPageBytes(final int maxPageBytes)
    {
        this.maxPageBytes = maxPageBytes;
        return this;
    }

    public int maxUsers()
    {
        return maxUsers;
    }

    public EngineContext maxUsers(final int maxUsers)
    {
        this.maxUsers = maxUsers;
        return this;
    }

    public int maxConversationsPerUser()
    {
        return maxConversationsPerUser;
    }

    public EngineContext maxConversationsPerUser(final int maxConversationsPerUser)
    {
        this.maxConversationsPerUser = maxConversationsPerUser;
        return this;
    }

    public long hotTierEntries()
    {
        return hotTierEntries;
    }

    public EngineContext hotTierEntries(final long hotTierEntries)
    {
        this.hotTierEntries = hotTierEntries;
        return this;
    }

    public int hotTierAverageMessageBytes()
    {
        return hotTierAverageMessageBytes;
    }

    public EngineContext hotTierAverageMessageBytes(final int hotTierAverageMessageBytes)
    {
        this.hotTierAverageMessageBytes = hotTierAverageMessageBytes;
        return this;
    }

    public long hotTierMaxAge()
    {
        return hotTierMaxAge;
    }

    /**
     * With an archive: messages older than this (cluster time units, milliseconds by default)
     * leave the hot tier as new messages arrive.
     */
    public EngineContext hotTierMaxAge(final long hotTierMaxAge)
    {
        this.hotTierMaxAge = hotTierMaxAge;
        return this;
    }

    public int hotTierMessagesPerConversation()
    {
        return hotTierMessagesPerConversation;
    }

    /**
     * With an archive: the most messages of one conversation kept hot; older ones leave as new
     * ones arrive, so one busy conversation cannot crowd out the rest.
     */
    public EngineContext hotTierMessagesPerConversation(final int hotTierMessagesPerConversation)
    {
        this.hotTierMessagesPerConversation = hotTierMessagesPerConversation;
        return this;
    }

    public HistoryArchive historyArchive()
    {
        return historyArchive;
    }

    /**
     * The cold tier behind the hot tier. With one, messages leave the hot tier by age, by count
     * per conversation and when it is full (oldest first), and older history is paged from the
     * archive; without one nothing is evicted and a full hot tier refuses sends (HOT_TIER_FULL).
     * Every replica must be configured alike: eviction is part of the replicated state.
     */
    public EngineContext historyArchive(final HistoryArchive historyArchive)
    {
        this.historyArchive = historyArchive;
        return this;
    }

    public int maxGroupSize()
    {
        return maxGroupSize;
    }

    /**
     * Most members a group may have.
     */
    public EngineContext maxGroupSize(final int maxGroupSize)
    {
        this.maxGroupSize = maxGroupSize;
        return this;
    }

    public int superGroupThreshold()
    {
        return superGroupThreshold;
    }

    /**
     * Above this many members a group is a super group: one send costs O(1) plus the online fan-out,
     * members get a coalesced ConversationChanged and pull.
     */
    public EngineContext superGroupThreshold(final int superGroupThreshold)
    {
        this.superGroupThreshold = superGroupThreshold;
        return this;
    }

    public int maxGroupNameLength()
    {
        return maxGroupNameLength;
    }

    /**
     * Longest group name in UTF-8 bytes.
     */
    public EngineContext maxGroupNameLength(final int maxGroupNameLength)
    {
        this.maxGroupNameLength = maxGroupNameLength;
        return this;
    }

    public long recallWindow()
    {
        return recallWindow;
    }

    /**
     * How long after sending (in cluster time units, milliseconds by default) a sender may recall.
     */
    public EngineContext recallWindow(final long recallWindow)
    {
        this.recallWindow = recallWindow;
        return this;
    }

    public boolean strangersMayMessage()
    {
        return strangersMayMessage;
    }

    /**
     * Whether users who are not friends may message each other directly (default: friends only).
     */
    public EngineContext strangersMayMessage(final boolean strangersMayMessage)
    {
        this.strangersMayMessage = strangersMayMessage;
        return this;
    }

    public int maxFriends()
    {
        return maxFriends;
    }

    /**
     * Most friends a user may have.
     */
    public EngineContext maxFriends(final int maxFriends)
    {
        this.maxFriends = maxFriends;
        return this;
    }

    public int maxPendingFriendRequests()
    {
        return maxPendingFriendRequests;
    }

    /**
     * Most pending friend requests a user may have sent, and may have received.
     */
    public EngineContext maxPendingFriendRequests(final int maxPendingFriendRequests)
    {
        this.maxPendingFriendRequests = maxPendingFriendRequests;
        return this;
    }

    public int maxBlocked()
    {
        return maxBlocked;
    }

    /**
     * Most users a user may block.
     */
    public EngineContext maxBlocked(final int maxBlocked)
    {
        this.maxBlocked = maxBlocked;
        return this;
    }

    public int maxNoteLength()
    {
        return maxNoteLength;
    }

    /**
     * Longest friend request note in UTF-8 bytes.
     */
    public EngineContext maxNoteLength(final int maxNoteLength)
    {
        this.maxNoteLength = maxNoteLength;
        return this;
    }

    public int maxPresenceSubscriptions()
    {
        return maxPresenceSubscriptions;
    }

    /**
     * Most users one device session may subscribe to the presence of.
     */
    public EngineContext maxPresenceSubscriptions(final int maxPresenceSubscriptions)
    {
        this.maxPresenceSubscriptions = maxPresenceSubscriptions;
        return this;
    }

    public int maxMobileSessions()
    {
        return maxMobileSessions;
    }

    /**
     * Most MOBILE sessions a user may have online at once; a newer one kicks the oldest.
     */
    public EngineContext maxMobileSessions(final int maxMobileSessions)
    {
        this.maxMobileSessions = maxMobileSessions;
        return this;
    }

    public int maxDesktopSessions()
    {
        return maxDesktopSessions;
    }

    /**
     * Most DESKTOP sessions a user may have online at once; a newer one kicks the oldest.
     */
    public EngineContext maxDesktopSessions(final int maxDesktopSessions)
    {
        this.maxDesktopSessions = maxDesktopSessions;
        return this;
    }

    public int maxWebSessions()
    {
        return maxWebSessions;
    }

    /**
     * Most WEB sessions a user may have online at once; a newer one kicks the oldest.
     */
    public EngineContext maxWebSessions(final int maxWebSessions)
    {
        this.maxWebSessions = maxWebSessions;
        return this;
    }

    public int previewLength()
    {
        return previewLength;
    }

    /**
     * Payload bytes of the latest message shown in the conversation list.
     */
    public EngineContext previewLength(final int previewLength)
    {
        this.previewLength = previewLength;
        return this;
    }

    public MessageStore messageStore()
    {
        return messageStore;
    }

    /**
     * Supply a store instead of the default Chronicle Map hot tier.
     */
    public EngineContext messageStore(final MessageStore messageStore)
    {
        this.messageStore = messageStore;
        return this;
    }

    private static void requirePositive(final String name, final long value)
    {
        if (value <= 0)
        {
            throw new IllegalStateException(name + " must be positive: " + value);
        }
    }

    private static void requirePowerOfTwo(final String name, final int value)
    {
        if (Integer.bitCount(value) != 1)
        {
            throw new IllegalStateException(name + " must be a power of two: " + value);
        }
    }
}
