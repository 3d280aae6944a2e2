package io.banter.engine.state;

import io.banter.codecs.ConversationKind;
import io.banter.codecs.GroupRole;

import java.util.Arrays;

/**
 * A conversation: its members with their roles and read positions, its continuous sequence and,
 * for groups, name and settings. Bodies live in the message store, keyed by (conversationId, seq).
 * <p>
 * Members are parallel arrays sorted by user id, so membership is a binary search, receipt pages
 * walk in id order and nothing depends on hash order. A super group also keeps the ids of its
 * online members and, among them, those not yet told of news since they last pulled or read, so
 * a send touches only the members it must tell: nothing at all once everyone online has been
 * told. Both indexes derive from the members, their {@link #NOTIFIED} marks and the users'
 * presence, hence are neither snapshotted nor hashed.
 */
public final class Conversation
{
    /** Member flag: told {@code ConversationChanged} and has not pulled or read since. */
    public static final byte NOTIFIED = 1;

    private final long conversationId;
    private final ConversationKind kind;
    private long[] memberIds;
    private byte[] roles;
    private long[] readSeqs;
    private long[] lastOwnSeqs;
    private long[] joinSeqs;
    private byte[] memberFlags;
    private int memberCount;
    private long headSeq;
    private long lastTimestamp;
    private long activity;
    private long hotFloorSeq = 1;
    private String name = "";
    private boolean membersCanInvite;
    private SortedLongSet onlineMembers;
    private SortedLongSet toTell;

    public Conversation(final long conversationId, final ConversationKind kind, final int initialCapacity)
    {
        this.conversationId = conversationId;
        this.kind = kind;
        final int capacity = Math.max(2, initialCapacity);
        memberIds = new long[capacity];
        roles = new byte[capacity];
        readSeqs = new long[capacity];
        lastOwnSeqs = new long[capacity];
        joinSeqs = new long[capacity];
        memberFlags = new byte[capacity];
    }

    public long conversationId()
    {
        return conversationId;
    }

    public ConversationKind kind()
    {
        return kind;
    }

    public boolean isGroup()
    {
        return kind == ConversationKind.GROUP;
    }

    // ----------------------------------------------------------------- members

    public int memberCount()
    {
        return memberCount;
    }

    /**
     * The member at {@code index} in ascending user id order.
     */
    public long member(final int index)
    {
        return memberIds[index];
    }

    public boolean isMember(final long userId)
    {
        return indexOf(userId) >= 0;
    }

    /**
     * @return the member index of {@code userId}, or {@code -(insertionPoint + 1)} when not a member.
     */
    public int indexOf(final long userId)
    {
        return Arrays.binarySearch(memberIds, 0, memberCount, userId);
    }

    /**
     * @return the index of the first member with a user id above {@code afterUserId}.
     */
    public int firstIndexAfter(final long afterUserId)
    {
        final int index = indexOf(afterUserId);
        return index >= 0 ? index + 1 : -(index + 1);
    }

    /**
     * Add a member that is not one yet.
     *
     * @param joinSeq the head when the user joined: messages up to it came before the member.
     * @return its index.
     */
    public int addMember(final long userId, final GroupRole role, final long readSeq, final long joinSeq)
    {
        final int found = indexOf(userId);
        if (found >= 0)
        {
            throw new IllegalStateException("already a member: " + userId);
        }
        final int index = -(found + 1);
        if (memberCount == memberIds.length)
        {
            final int capacity = memberIds.length * 2;
            memberIds = Arrays.copyOf(memberIds, capacity);
            roles = Arrays.copyOf(roles, capacity);
            readSeqs = Arrays.copyOf(readSeqs, capacity);
            lastOwnSeqs = Arrays.copyOf(lastOwnSeqs, capacity);
            joinSeqs = Arrays.copyOf(joinSeqs, capacity);
            memberFlags = Arrays.copyOf(memberFlags, capacity);
        }
        final int tail = memberCount - index;
        System.arraycopy(memberIds, index, memberIds, index + 1, tail);
        System.arraycopy(roles, index, roles, index + 1, tail);
        System.arraycopy(readSeqs, index, readSeqs, index + 1, tail);
        System.arraycopy(lastOwnSeqs, index, lastOwnSeqs, index + 1, tail);
        System.arraycopy(joinSeqs, index, joinSeqs, index + 1, tail);
        System.arraycopy(memberFlags, index, memberFlags, index + 1, tail);
        memberIds[index] = userId;
        roles[index] = (byte)role.value();
        readSeqs[index] = readSeq;
        lastOwnSeqs[index] = 0;
        joinSeqs[index] = joinSeq;
        memberFlags[index] = 0;
        memberCount++;
        return index;
    }

    public void removeMemberAt(final int index)
    {
        final int tail = memberCount - index - 1;
        System.arraycopy(memberIds, index + 1, memberIds, index, tail);
        System.arraycopy(roles, index + 1, roles, index, tail);
        System.arraycopy(readSeqs, index + 1, readSeqs, index, tail);
        System.arraycopy(lastOwnSeqs, index + 1, lastOwnSeqs, index, tail);
        System.arraycopy(joinSeqs, index + 1, joinSeqs, index, tail);
        System.arraycopy(memberFlags, index + 1, memberFlags, index, tail);
        memberCount--;
    }

    public GroupRole role(final int index)
    {
        return GroupRole.get(roles[index]);
    }

    public void role(final int index, final GroupRole role)
    {
        roles[index] = (byte)role.value();
    }

    public long readSeq(final int index)
    {
        return readSeqs[index];
    }

    public void readSeq(final int index, final long readSeq)
    {
        readSeqs[index] = readSeq;
    }

    /**
     * The seq of the member's latest own message, 0 when none: decides whom a read receipt concerns.
     */
    public long lastOwnSeq(final int index)
    {
        return lastOwnSeqs[index];
    }

    public void lastOwnSeq(final int index, final long seq)
    {
        lastOwnSeqs[index] = seq;
    }

    /**
     * The head when the member last joined; 0 for founding members and direct conversations.
     * A message at {@code seq <= joinSeq} came before the member: it neither read it nor left it
     * unread, so its receipts leave the member out. Leaving drops it; a rejoin starts afresh.
     */
    public long joinSeq(final int index)
    {
        return joinSeqs[index];
    }

    /**
     * Whether the member at {@code index} was a member when message {@code seq} was posted.
     */
    public boolean joinedBefore(final int index, final long seq)
    {
        return joinSeqs[index] < seq;
    }

    public byte memberFlags(final int index)
    {
        return memberFlags[index];
    }

    public void memberFlags(final int index, final byte flags)
    {
        memberFlags[index] = flags;
    }

    /**
     * The owner's user id; 0 for a direct conversation.
     */
    public long ownerUserId()
    {
        for (int i = 0; i < memberCount; i++)
        {
            if (roles[i] == GroupRole.OWNER.value())
            {
                return memberIds[i];
            }
        }
        return 0;
    }

    /**
     * Members other than {@code excludedUserId}, joined before {@code seq}, whose read position is
     * at least {@code seq}.
     */
    public int countReaders(final long seq, final long excludedUserId)
    {
        int readers = 0;
        final long[] readSeqs = this.readSeqs;
        final long[] joinSeqs = this.joinSeqs;
        for (int i = 0, count = memberCount; i < count; i++)
        {
            if (readSeqs[i] >= seq && joinSeqs[i] < seq)
            {
                readers++;
            }
        }
        final int excluded = indexOf(excludedUserId);
        if (excluded >= 0 && readSeqs[excluded] >= seq && joinSeqs[excluded] < seq)
        {
            readers--;
        }
        return readers;
    }

    /**
     * Members other than {@code excludedUserId} who joined before {@code seq}: the readers and
     * non-readers of the message at {@code seq} together.
     */
    public int countJoinedBefore(final long seq, final long excludedUserId)
    {
        int joined = 0;
        final long[] joinSeqs = this.joinSeqs;
        for (int i = 0, count = memberCount; i < count; i++)
        {
            if (joinSeqs[i] < seq)
            {
                joined++;
            }
        }
        final int excluded = indexOf(excludedUserId);
        if (excluded >= 0 && joinSeqs[excluded] < seq)
        {
            joined--;
        }
        return joined;
    }

    // ----------------------------------------------------------------- sequence

    public long headSeq()
    {
        return headSeq;
    }

    public long lastTimestamp()
    {
        return lastTimestamp;
    }

    /**
     * Ordering key of the inbox: the shard-wide id of the latest message, unique per conversation.
     */
    public long activity()
    {
        return activity;
    }

    /**
     * Allocate the next continuous sequence for message {@code messageId} applied at {@code timestamp}.
     */
    public long nextSeq(final long messageId, final long timestamp)
    {
        lastTimestamp = timestamp;
        activity = messageId;
        return ++headSeq;
    }

    /**
     * Restore the sequence from a snapshot. The hot window starts empty ({@code headSeq + 1});
     * the snapshot's messages lower it with {@link #hotFloorSeq(long)}.
     */
    public void restore(final long headSeq, final long lastTimestamp, final long activity)
    {
        this.headSeq = headSeq;
        this.lastTimestamp = lastTimestamp;
        this.activity = activity;
        this.hotFloorSeq = headSeq + 1;
    }

    /**
     * The first seq the hot tier holds: the conversation's messages {@code [hotFloorSeq, headSeq]}
     * are hot, those below it left for the archive (none does without one, so it stays 1).
     * {@code headSeq + 1} when none is hot.
     */
    public long hotFloorSeq()
    {
        return hotFloorSeq;
    }

    public void hotFloorSeq(final long hotFloorSeq)
    {
        this.hotFloorSeq = hotFloorSeq;
    }

    /**
     * Whether message {@code seq} of this conversation left the hot tier for the archive.
     */
    public boolean isArchived(final long seq)
    {
        return seq >= 1 && seq < hotFloorSeq;
    }

    // ----------------------------------------------------------------- group settings

    public String name()
    {
        return name;
    }

    public void name(final String name)
    {
        this.name = name;
    }

    public boolean membersCanInvite()
    {
        return membersCanInvite;
    }

    public void membersCanInvite(final boolean membersCanInvite)
    {
        this.membersCanInvite = membersCanInvite;
    }

    // ----------------------------------------------------------------- super group online index

    /**
     * @return the online members of a super group in ascending id order; null when the
     * conversation is not a super group.
     */
    public SortedLongSet onlineMembers()
    {
        return onlineMembers;
    }

    public boolean isSuperGroup()
    {
        return null != onlineMembers;
    }

    /**
     * Online members of a super group not marked {@link #NOTIFIED}: whom the next send tells.
     */
    public SortedLongSet toTell()
    {
        return toTell;
    }

    public void startOnlineIndex()
    {
        onlineMembers = new SortedLongSet(64);
        toTell = new SortedLongSet(64);
    }

    public void stopOnlineIndex()
    {
        onlineMembers = null;
        toTell = null;
    }

    /**
     * A member of a super group came online or joined while online.
     */
    public void memberOnline(final long userId)
    {
        onlineMembers.add(userId);
        final int index = indexOf(userId);
        if ((memberFlags[index] & NOTIFIED) == 0)
        {
            toTell.add(userId);
        }
    }

    /**
     * A member of a super group went offline or left.
     */
    public void memberOffline(final long userId)
    {
        onlineMembers.remove(userId);
        toTell.remove(userId);
    }

    /**
     * The member at {@code index} was told of news.
     */
    public void markNotified(final int index)
    {
        memberFlags[index] |= NOTIFIED;
    }

    /**
     * The member at {@code index} pulled or read: its next news tells it again.
     */
    public void clearNotified(final int index)
    {
        if ((memberFlags[index] & NOTIFIED) != 0)
        {
            memberFlags[index] &= ~NOTIFIED;
            if (null != onlineMembers && onlineMembers.contains(memberIds[index]))
            {
                toTell.add(memberIds[index]);
            }
        }
    }
}
