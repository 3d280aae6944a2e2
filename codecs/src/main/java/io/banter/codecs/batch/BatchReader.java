package io.banter.codecs.batch;

import io.banter.codecs.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Reads a {@code CommandBatch} or {@code EventBatch} (the layout in {@link BatchLayout}) after
 * checking all of it: {@link #wrap} walks every entry and refuses the batch, naming why, unless
 * each lies inside the message, is at least an SBE header long and is not itself a batch, so a
 * malformed batch is refused whole before any of its entries is applied. Reuse one per thread.
 */
public final class BatchReader
{
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private DirectBuffer buffer;
    private int count;
    private int next;
    private int remaining;
    private int entryOffset;
    private int entryLength;
    private String refusal;

    /**
     * @return true if the batch is well formed; otherwise {@link #refusal()} says why.
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        refusal = null;
        count = 0;
        remaining = 0;
        if (length < BatchLayout.FIRST_ENTRY_OFFSET)
        {
            return refuse("batch shorter than its headers");
        }
        final int end = offset + length;
        final int entries = buffer.getShort(offset + BatchLayout.GROUP_HEADER_OFFSET + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        int position = offset + BatchLayout.FIRST_ENTRY_OFFSET;
        for (int i = 0; i < entries; i++)
        {
            if (position + BatchLayout.ENTRY_LENGTH_FIELD > end)
            {
                return refuse("batch entry " + i + " of " + entries + " lies past the batch's " + length + " bytes");
            }
            final long entryLength = buffer.getInt(position, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            position += BatchLayout.ENTRY_LENGTH_FIELD;
            if (entryLength < MessageHeaderDecoder.ENCODED_LENGTH || position + entryLength > end)
            {
                return refuse("batch entry " + i + " of " + entries + " has length " + entryLength +
                    ", which does not fit the batch's " + length + " bytes");
            }
            if (BatchLayout.isBatch(headerDecoder.wrap(buffer, position).templateId()))
            {
                return refuse("batch entry " + i + " is itself a batch");
            }
            position += (int)entryLength;
        }
        if (position != end)
        {
            return refuse("batch has " + (end - position) + " bytes after its " + entries + " entries");
        }
        count = entries;
        remaining = entries;
        next = offset + BatchLayout.FIRST_ENTRY_OFFSET;
        return true;
    }

    /**
     * Step to the next entry; read it at {@link #entryOffset()} for {@link #entryLength()} bytes.
     *
     * @return false after the last.
     */
    public boolean next()
    {
        if (0 == remaining)
        {
            return false;
        }
        entryLength = buffer.getInt(next, ByteOrder.LITTLE_ENDIAN);
        entryOffset = next + BatchLayout.ENTRY_LENGTH_FIELD;
        next = entryOffset + entryLength;
        remaining--;
        return true;
    }

    public int count()
    {
        return count;
    }

    public int entryOffset()
    {
        return entryOffset;
    }

    public int entryLength()
    {
        return entryLength;
    }

    /**
     * Why the last {@link #wrap} refused the batch, or null.
     */
    public String refusal()
    {
        return refusal;
    }

    /**
     * Whether an SBE message with this template is a batch.
     */
    public static boolean isBatch(final int templateId)
    {
        return BatchLayout.isBatch(templateId);
    }

    private boolean refuse(final String reason)
    {
        refusal = reason;
        return false;
    }
}
