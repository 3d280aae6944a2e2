package io.banter.engine.state;

import io.banter.codecs.ChangeKind;

/**
 * A user's change stream: every change that concerns the user gets the next change sequence
 * (continuous from 1), so a device that remembers one number can pull everything after it.
 * <p>
 * Only the newest {@code capacity} entries are retained (write diffusion of notifications is
 * bounded per user); a device further behind than {@link #oldest()} falls back to paging each
 * conversation's history.
 */
public final class ChangeLog
{
    private static final int KIND = 0;
    private static final int CONVERSATION_ID = 1;
    private static final int SEQ = 2;
    private static final int USER_ID = 3;

    private final BoundedLongRing ring;
    private long head;

    public ChangeLog(final int capacity)
    {
        ring = new BoundedLongRing(4, capacity);
    }

    /**
     * @return the latest change sequence, 0 when there has been none.
     */
    public long head()
    {
        return head;
    }

    /**
     * @return the oldest change sequence still retained; {@code head() + 1} when none is.
     */
    public long oldest()
    {
        return head - ring.size() + 1;
    }

    public int retained()
    {
        return ring.size();
    }

    /**
     * Record a change and return its change sequence.
     */
    public long append(final ChangeKind kind, final long conversationId, final long seq)
    {
        return append(kind, conversationId, seq, 0);
    }

    /**
     * Record a change that names another user (a reader, a recaller, a friend) and return its
     * change sequence.
     */
    public long append(final ChangeKind kind, final long conversationId, final long seq, final long userId)
    {
        ring.appendRow();
        ring.setLast(KIND, kind.value());
        ring.setLast(CONVERSATION_ID, conversationId);
        ring.setLast(SEQ, seq);
        ring.setLast(USER_ID, userId);
        return ++head;
    }

    /**
     * Restore from a snapshot: the head the oldest retained entry belongs to is set first, then
     * {@link #append} the retained entries oldest first.
     */
    public void resetTo(final long headBeforeRetained)
    {
        ring.clear();
        head = headBeforeRetained;
    }

    public short kind(final long changeSeq)
    {
        return (short)ring.get(index(changeSeq), KIND);
    }

    public long conversationId(final long changeSeq)
    {
        return ring.get(index(changeSeq), CONVERSATION_ID);
    }

    public long seq(final long changeSeq)
    {
        return ring.get(index(changeSeq), SEQ);
    }

    public long userId(final long changeSeq)
    {
        return ring.get(index(changeSeq), USER_ID);
    }

    private int index(final long changeSeq)
    {
        final long oldest = oldest();
        if (changeSeq < oldest || changeSeq > head)
        {
            throw new IndexOutOfBoundsException("change " + changeSeq + " not retained [" + oldest + ", " + head + "]");
        }
        return (int)(changeSeq - oldest);
    }
}
