package io.banter.codecs.batch;

import io.banter.codecs.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Gathers whole SBE messages into one {@code CommandBatch} or {@code EventBatch} in a reused
 * buffer, so a hop that would offer one message each offers one per duty cycle instead.
 * <p>
 * {@link #append} copies and answers false when the entry does not fit (offer what is gathered,
 * {@link #reset}, append again; an entry that does not fit an empty batch is offered alone).
 * A batch of one is offered as its only entry, unwrapped: a quiet path pays nothing for batching.
 * Single-threaded; no allocation after construction.
 */
public final class BatchWriter
{
    private final int templateId;
    private final UnsafeBuffer buffer;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private int limit = BatchLayout.FIRST_ENTRY_OFFSET;
    private int count;
    private int lastEntryOffset;
    private int lastEntryLength;

    /**
     * @param templateId {@code CommandBatchEncoder.TEMPLATE_ID} or {@code EventBatchEncoder.TEMPLATE_ID}.
     * @param capacity   the largest batch, in bytes, header included: at most what one offer takes.
     */
    public BatchWriter(final int templateId, final int capacity)
    {
        if (!BatchLayout.isBatch(templateId))
        {
            throw new IllegalArgumentException("not a batch template: " + templateId);
        }
        if (capacity < BatchLayout.FIRST_ENTRY_OFFSET + BatchLayout.ENTRY_LENGTH_FIELD + MessageHeaderEncoder.ENCODED_LENGTH)
        {
            throw new IllegalArgumentException("batch capacity too small: " + capacity);
        }
        this.templateId = templateId;
        this.buffer = new UnsafeBuffer(new byte[capacity]);
    }

    /**
     * Copy one message in, after those already gathered.
     *
     * @return false, copying nothing, if it does not fit in what is left or the batch is full.
     */
    public boolean append(final DirectBuffer source, final int offset, final int length)
    {
        final int entryOffset = limit + BatchLayout.ENTRY_LENGTH_FIELD;
        if (count == BatchLayout.MAX_ENTRIES || entryOffset + length > buffer.capacity())
        {
            return false;
        }
        buffer.putInt(limit, length, ByteOrder.LITTLE_ENDIAN);
        buffer.putBytes(entryOffset, source, offset, length);
        limit = entryOffset + length;
        lastEntryOffset = entryOffset;
        lastEntryLength = length;
        count++;
        return true;
    }

    /**
     * Room for a message of {@code length} bytes is reserved and handed out to encode into in place
     * (no copy); {@link #commit} it with its encoded length.
     *
     * @return the offset in {@link #buffer()} to encode at, or -1 if {@code maxLength} does not fit.
     */
    public int claim(final int maxLength)
    {
        final int entryOffset = limit + BatchLayout.ENTRY_LENGTH_FIELD;
        if (count == BatchLayout.MAX_ENTRIES || entryOffset + maxLength > buffer.capacity())
        {
            return -1;
        }
        return entryOffset;
    }

    /**
     * The message encoded at the offset {@link #claim} gave is {@code length} bytes long.
     */
    public void commit(final int length)
    {
        final int entryOffset = limit + BatchLayout.ENTRY_LENGTH_FIELD;
        buffer.putInt(limit, length, ByteOrder.LITTLE_ENDIAN);
        limit = entryOffset + length;
        lastEntryOffset = entryOffset;
        lastEntryLength = length;
        count++;
    }

    public int count()
    {
        return count;
    }

    public boolean isEmpty()
    {
        return 0 == count;
    }

    /**
     * The buffer to offer from, with {@link #offset()} and {@link #length()}; fills in the headers.
     */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Where what is to be offered starts: the batch's header, or the only entry of a batch of one.
     */
    public int offset()
    {
        if (1 == count)
        {
            return lastEntryOffset;
        }
        headerEncoder.wrap(buffer, 0)
            .blockLength(0)
            .templateId(templateId)
            .schemaId(MessageHeaderEncoder.SCHEMA_ID)
            .version(MessageHeaderEncoder.SCHEMA_VERSION);
        buffer.putShort(BatchLayout.GROUP_HEADER_OFFSET, (short)0, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(BatchLayout.GROUP_HEADER_OFFSET + 2, (short)count, ByteOrder.LITTLE_ENDIAN);
        return 0;
    }

    public int length()
    {
        return 1 == count ? lastEntryLength : limit;
    }

    public void reset()
    {
        limit = BatchLayout.FIRST_ENTRY_OFFSET;
        count = 0;
    }
}
