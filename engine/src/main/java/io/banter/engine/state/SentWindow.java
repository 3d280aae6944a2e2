package io.banter.engine.state;

/**
 * The acks of a device's most recent sends, for idempotent retries.
 * <p>
 * A device's clientMsgIds are strictly increasing, so a retry is any id at or below the last one:
 * if it is still in the window its original ack is answered again and nothing is stored twice.
 * The window is bounded; an id below it cannot be told apart from a never-sent one and is refused.
 */
public final class SentWindow
{
    public static final int CLIENT_MSG_ID = 0;
    public static final int CONVERSATION_ID = 1;
    public static final int MESSAGE_ID = 2;
    public static final int SEQ = 3;
    public static final int CHANGE_SEQ = 4;
    public static final int TIMESTAMP = 5;
    private static final int COLUMNS = 6;

    private final BoundedLongRing ring;

    public SentWindow(final int capacity)
    {
        ring = new BoundedLongRing(COLUMNS, capacity);
    }

    public void record(
        final long clientMsgId,
        final long conversationId,
        final long messageId,
        final long seq,
        final long changeSeq,
        final long timestamp)
    {
        ring.appendRow();
        ring.setLast(CLIENT_MSG_ID, clientMsgId);
        ring.setLast(CONVERSATION_ID, conversationId);
        ring.setLast(MESSAGE_ID, messageId);
        ring.setLast(SEQ, seq);
        ring.setLast(CHANGE_SEQ, changeSeq);
        ring.setLast(TIMESTAMP, timestamp);
    }

    public int size()
    {
        return ring.size();
    }

    /**
     * @return the row holding {@code clientMsgId}, or -1. Retries are usually recent, so the
     * search runs newest first.
     */
    public int find(final long clientMsgId)
    {
        for (int row = ring.size() - 1; row >= 0; row--)
        {
            final long id = ring.get(row, CLIENT_MSG_ID);
            if (id == clientMsgId)
            {
                return row;
            }
            if (id < clientMsgId)
            {
                return -1;
            }
        }
        return -1;
    }

    public long get(final int row, final int column)
    {
        return ring.get(row, column);
    }
}
