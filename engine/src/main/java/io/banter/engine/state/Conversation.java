package io.banter.engine.state;

import io.banter.codecs.ConversationKind;

/**
 * A conversation: its members and its continuous sequence. Bodies live in the message store,
 * keyed by (conversationId, seq).
 */
public final class Conversation
{
    private final long conversationId;
    private final ConversationKind kind;
    private final long[] members;
    private long headSeq;
    private long lastTimestamp;

    public Conversation(final long conversationId, final ConversationKind kind, final long[] members)
    {
        this.conversationId = conversationId;
        this.kind = kind;
        this.members = members;
    }

    public long conversationId()
    {
        return conversationId;
    }

    public ConversationKind kind()
    {
        return kind;
    }

    public int memberCount()
    {
        return members.length;
    }

    public long member(final int index)
    {
        return members[index];
    }

    public boolean isMember(final long userId)
    {
        for (final long member : members)
        {
            if (member == userId)
            {
                return true;
            }
        }
        return false;
    }

    public long headSeq()
    {
        return headSeq;
    }

    public long lastTimestamp()
    {
        return lastTimestamp;
    }

    /**
     * Allocate the next continuous sequence for a message applied at {@code timestamp}.
     */
    public long nextSeq(final long timestamp)
    {
        lastTimestamp = timestamp;
        return ++headSeq;
    }

    public void restore(final long headSeq, final long lastTimestamp)
    {
        this.headSeq = headSeq;
        this.lastTimestamp = lastTimestamp;
    }
}
