package io.banter.journal.cold;

import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.StoredMessageDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A shard's cold history: stored messages in append-only, checksummed segment files, with a
 * per-conversation index kept in memory and rebuilt from the files when opened.
 * <p>
 * Crash safety: a record is written whole after its length and CRC-32C; {@link #flush()} forces
 * it to disk. Opening the tier again cuts a torn tail off the last segment, skips a record whose
 * checksum fails, and stops indexing a sealed segment at broken framing, reporting each in
 * {@link #recovery()}. A read checks the checksum again, so damage that happens later is
 * refused with {@link ColdTierCorruptException} and never served. What the tier lost can be
 * written again from the replicated log: appends are idempotent per (conversation, seq).
 * <p>
 * Not thread-safe: one thread (the cold-tier agent) owns appends and reads.
 */
public final class ColdTier implements AutoCloseable
{
    private static final int SCAN_CHUNK_BYTES = 4 * 1024 * 1024;
    private static final int FIRST_READ_BYTES = 1024;

    private final ColdTierContext context;
    private final Int2ObjectHashMap<ColdSegment> segments = new Int2ObjectHashMap<>();
    private final Long2ObjectHashMap<ConversationColdIndex> conversations = new Long2ObjectHashMap<>();
    private final ByteBuffer recordBuffer;
    private final UnsafeBuffer recordView;
    private final CRC32C crc = new CRC32C();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final StoredMessageDecoder storedDecoder = new StoredMessageDecoder();
    private final ColdRecovery recovery;
    private ByteBuffer scanBuffer;
    private ColdSegment active;
    private int highestNumber;
    private long records;

    private ColdTier(final ColdTierContext context) throws IOException
    {
        this.context = context.conclude();
        this.recordBuffer = ByteBuffer.allocateDirect(ColdSegment.RECORD_HEADER_LENGTH + context.maxMessageBytes())
            .order(ByteOrder.LITTLE_ENDIAN);
        this.recordView = new UnsafeBuffer(recordBuffer);
        if (!context.readOnly())
        {
            Files.createDirectories(context.directory());
        }
        this.recovery = recover();
    }

    /**
     * Open the tier in the context's directory, recovering and indexing what is there.
     */
    public static ColdTier open(final ColdTierContext context)
    {
        try
        {
            return new ColdTier(context);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Append one stored message (its SBE message header and {@code StoredMessage} body).
     *
     * @return false when the tier already holds this conversation's seq (a replay), true when written.
     * @throws IllegalArgumentException when it is not a stored message or is longer than the context allows.
     */
    public boolean append(final DirectBuffer message, final int offset, final int length)
    {
        checkStoredMessage(message, offset, length);
        final ConversationColdIndex index = conversations.get(storedDecoder.conversationId());
        if (null != index && storedDecoder.seq() <= index.highestSeq())
        {
            return false;
        }
        write(message, offset, length, false);
        return true;
    }

    /**
     * Write a newer version of a stored message (a recall's tombstone): reads and pages return
     * it from now on, and so does the index rebuilt on opening, since the newer record comes later.
     */
    public void replace(final DirectBuffer message, final int offset, final int length)
    {
        checkStoredMessage(message, offset, length);
        write(message, offset, length, true);
    }

    private void checkStoredMessage(final DirectBuffer message, final int offset, final int length)
    {
        if (length > context.maxMessageBytes())
        {
            throw new IllegalArgumentException("a stored message of " + length + " bytes is over the cold tier's " +
                context.maxMessageBytes());
        }
        if (!decodeIds(message, offset, length))
        {
            throw new IllegalArgumentException("not a StoredMessage");
        }
    }

    private void write(final DirectBuffer message, final int offset, final int length, final boolean replacing)
    {
        if (context.readOnly())
        {
            throw new IllegalStateException("the cold tier in " + context.directory() + " was opened read-only");
        }
        final long conversationId = storedDecoder.conversationId();
        final long seq = storedDecoder.seq();
        try
        {
            final int recordLength = ColdSegment.RECORD_HEADER_LENGTH + length;
            if (active.length() + recordLength > context.segmentBytes())
            {
                roll();
            }
            recordBuffer.clear();
            message.getBytes(offset, recordView, ColdSegment.RECORD_HEADER_LENGTH, length);
            recordView.putInt(0, length);
            recordView.putInt(4, checksum(ColdSegment.RECORD_HEADER_LENGTH, length));
            recordBuffer.limit(recordLength);
            final long recordOffset = active.append(recordBuffer);
            final long location = ColdLocation.pack(active.number(), recordOffset);
            final ConversationColdIndex index = indexFor(conversationId);
            if (replacing ? index.put(seq, location) : index.add(seq, location))
            {
                records++;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Force everything appended so far to disk: after this returns it survives a crash.
     */
    public void flush()
    {
        if (context.readOnly())
        {
            return;
        }
        try
        {
            active.force();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Copy a stored message into {@code destination}.
     *
     * @return its length, or -1 when the tier does not hold it.
     * @throws ColdTierCorruptException when the record on disk fails its checksum.
     */
    public int read(final long conversationId, final long seq, final MutableDirectBuffer destination, final int offset)
    {
        final ConversationColdIndex index = conversations.get(conversationId);
        final long location = null == index ? -1 : index.locationOf(seq);
        return location < 0 ? -1 : readAt(location, destination, offset);
    }

    /**
     * Read a page of a conversation newest first: messages before {@code beforeSeq} (0: from the
     * newest held), at most {@code maxEntries}, each handed to {@code consumer}.
     *
     * @return the messages handed on.
     */
    public int page(
        final long conversationId,
        final long beforeSeq,
        final int maxEntries,
        final MutableDirectBuffer scratch,
        final PageConsumer consumer)
    {
        final ConversationColdIndex index = conversations.get(conversationId);
        if (null == index)
        {
            return 0;
        }
        int count = 0;
        for (int i = index.newestBefore(beforeSeq); i >= 0 && count < maxEntries; i--)
        {
            final int length = readAt(index.locationAt(i), scratch, 0);
            consumer.onMessage(index.seqAt(i), scratch, 0, length);
            count++;
        }
        return count;
    }

    /**
     * The newest seq of a conversation the tier holds, 0 when none.
     */
    public long highestSeq(final long conversationId)
    {
        final ConversationColdIndex index = conversations.get(conversationId);
        return null == index ? 0 : index.highestSeq();
    }

    public int conversationCount()
    {
        return conversations.size();
    }

    public long records()
    {
        return records;
    }

    public int segmentCount()
    {
        return segments.size();
    }

    public ColdRecovery recovery()
    {
        return recovery;
    }

    public void close()
    {
        try
        {
            flush();
            for (final ColdSegment segment : segments.values())
            {
                segment.close();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * One message of a page.
     */
    @FunctionalInterface
    public interface PageConsumer
    {
        void onMessage(long seq, DirectBuffer buffer, int offset, int length);
    }

    // ------------------------------------------------------------------ internals

    private int readAt(final long location, final MutableDirectBuffer destination, final int offset)
    {
        final ColdSegment segment = segments.get(ColdLocation.segment(location));
        final long recordOffset = ColdLocation.offset(location);
        try
        {
            // One read covers the header and a typical message; a longer one needs a second.
            recordBuffer.clear().limit(Math.min(recordBuffer.capacity(), FIRST_READ_BYTES));
            int read = 0;
            while (read < ColdSegment.RECORD_HEADER_LENGTH)
            {
                final int bytes = segment.channel().read(recordBuffer, recordOffset + read);
                if (bytes < 0)
                {
                    throw corrupt(segment, recordOffset, "record header past the end of the segment");
                }
                read += bytes;
            }
            final int length = recordView.getInt(0);
            final int expectedCrc = recordView.getInt(4);
            if (length <= 0 || length > context.maxMessageBytes())
            {
                throw corrupt(segment, recordOffset, "length " + length);
            }
            final int recordLength = ColdSegment.RECORD_HEADER_LENGTH + length;
            if (read < recordLength)
            {
                recordBuffer.limit(recordLength).position(read);
                ColdSegment.readFully(segment.channel(), recordBuffer, recordOffset + read);
            }
            if (checksum(ColdSegment.RECORD_HEADER_LENGTH, length) != expectedCrc)
            {
                throw corrupt(segment, recordOffset, "checksum mismatch");
            }
            destination.putBytes(offset, recordView, ColdSegment.RECORD_HEADER_LENGTH, length);
            return length;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static ColdTierCorruptException corrupt(final ColdSegment segment, final long offset, final String what)
    {
        return new ColdTierCorruptException(segment.path() + " at " + offset + ": " + what + "; not served");
    }

    /**
     * CRC-32C of the record buffer's bytes at [offset, offset + length); leaves the buffer at
     * position 0 with its limit at the end of those bytes.
     */
    private int checksum(final int offset, final int length)
    {
        return checksum(recordBuffer, offset, length);
    }

    /**
     * CRC-32C of {@code buffer}'s bytes at [offset, offset + length) (intrinsic on direct
     * buffers, no copy); leaves the buffer at position 0 with its limit at the end of those bytes.
     */
    private int checksum(final ByteBuffer buffer, final int offset, final int length)
    {
        crc.reset();
        buffer.limit(offset + length).position(offset);
        crc.update(buffer);
        buffer.position(0);
        return (int)crc.getValue();
    }

    private boolean decodeIds(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH + StoredMessageDecoder.BLOCK_LENGTH)
        {
            return false;
        }
        headerDecoder.wrap(buffer, offset);
        if (StoredMessageDecoder.TEMPLATE_ID != headerDecoder.templateId() ||
            StoredMessageDecoder.SCHEMA_ID != headerDecoder.schemaId())
        {
            return false;
        }
        storedDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        return true;
    }

    private ConversationColdIndex indexFor(final long conversationId)
    {
        ConversationColdIndex index = conversations.get(conversationId);
        if (null == index)
        {
            index = new ConversationColdIndex();
            conversations.put(conversationId, index);
        }
        return index;
    }

    private void roll() throws IOException
    {
        active.force();
        // Past every file seen, so an unreadable one is left as it was found.
        highestNumber++;
        active = ColdSegment.create(context.directory(), highestNumber);
        segments.put(active.number(), active);
    }

    private ColdRecovery recover() throws IOException
    {
        final List<Integer> numbers = new ArrayList<>();
        final boolean readOnly = context.readOnly();
        if (readOnly && !Files.isDirectory(context.directory()))
        {
            return new ColdRecovery(0, 0, 0, 0, 0);
        }
        try (Stream<Path> files = Files.list(context.directory()))
        {
            files.map(path -> path.getFileName().toString())
                .filter(name -> name.endsWith(ColdSegment.SUFFIX))
                .forEach(name -> numbers.add(Integer.parseInt(
                    name.substring(0, name.length() - ColdSegment.SUFFIX.length()))));
        }
        numbers.sort(Integer::compare);
        highestNumber = numbers.isEmpty() ? 0 : numbers.get(numbers.size() - 1);
        long tornBytes = 0;
        long corruptRecords = 0;
        int corruptSegments = 0;
        for (int i = 0; i < numbers.size(); i++)
        {
            final int number = numbers.get(i);
            final boolean last = i == numbers.size() - 1;
            final Path path = context.directory().resolve(ColdSegment.fileName(number));
            final ColdSegment segment;
            try
            {
                segment = ColdSegment.open(path, number, readOnly);
            }
            catch (final ColdTierCorruptException ex)
            {
                if (last && Files.size(path) < ColdSegment.HEADER_LENGTH)
                {
                    // Created, but the crash came before its header reached the disk.
                    tornBytes += Files.size(path);
                    if (!readOnly)
                    {
                        Files.delete(path);
                    }
                    continue;
                }
                corruptSegments++;
                continue;
            }
            segments.put(number, segment);
            final long[] scan = scan(segment);
            final long validLength = scan[0];
            corruptRecords += scan[1];
            if (validLength < segment.length())
            {
                if (last)
                {
                    // A torn write, or (read-only, beside a running writer) one still going on.
                    tornBytes += segment.length() - validLength;
                    if (!readOnly)
                    {
                        segment.truncate(validLength);
                    }
                }
                else
                {
                    corruptSegments++;
                }
            }
            active = segment;
        }
        if (readOnly)
        {
            return new ColdRecovery(segments.size(), records, tornBytes, corruptRecords, corruptSegments);
        }
        if (null == active)
        {
            active = ColdSegment.create(context.directory(), 0);
            segments.put(0, active);
        }
        else if (active.number() != numbers.get(numbers.size() - 1))
        {
            // The last file was dropped or unreadable: append to a fresh segment, never after
            // an older one's end, which may be broken framing.
            roll();
        }
        return new ColdRecovery(segments.size(), records, tornBytes, corruptRecords, corruptSegments);
    }

    /**
     * Index a segment's records, reading it sequentially a large chunk at a time (recovery of a
     * big tier reads gigabytes; a read per record would take minutes).
     *
     * @return the length up to the end of the last well-framed record, and the records skipped for their checksum.
     */
    private long[] scan(final ColdSegment segment) throws IOException
    {
        final long size = segment.length();
        final ByteBuffer chunk = scanBuffer();
        final UnsafeBuffer chunkView = new UnsafeBuffer(chunk);
        long chunkStart = ColdSegment.HEADER_LENGTH;
        int chunkLength = 0;
        long position = ColdSegment.HEADER_LENGTH;
        long skipped = 0;
        while (position + ColdSegment.RECORD_HEADER_LENGTH <= size)
        {
            int at = (int)(position - chunkStart);
            if (at + ColdSegment.RECORD_HEADER_LENGTH > chunkLength)
            {
                chunkLength = fill(segment, chunk, position, size);
                chunkStart = position;
                at = 0;
            }
            final int length = chunkView.getInt(at);
            final int expectedCrc = chunkView.getInt(at + 4);
            if (length <= 0 || length > context.maxMessageBytes() ||
                position + ColdSegment.RECORD_HEADER_LENGTH + length > size)
            {
                break;
            }
            if (at + ColdSegment.RECORD_HEADER_LENGTH + length > chunkLength)
            {
                chunkLength = fill(segment, chunk, position, size);
                chunkStart = position;
                at = 0;
            }
            final int messageOffset = at + ColdSegment.RECORD_HEADER_LENGTH;
            final int actualCrc = checksum(chunk, messageOffset, length);
            chunk.clear();
            if (actualCrc != expectedCrc || !decodeIds(chunkView, messageOffset, length))
            {
                skipped++;
            }
            else if (indexFor(storedDecoder.conversationId()).put(storedDecoder.seq(),
                ColdLocation.pack(segment.number(), position)))
            {
                records++;
            }
            position += ColdSegment.RECORD_HEADER_LENGTH + length;
        }
        return new long[] { position, skipped };
    }

    private ByteBuffer scanBuffer()
    {
        if (null == scanBuffer)
        {
            scanBuffer = ByteBuffer.allocateDirect(Math.max(SCAN_CHUNK_BYTES,
                ColdSegment.RECORD_HEADER_LENGTH + context.maxMessageBytes())).order(ByteOrder.LITTLE_ENDIAN);
        }
        return scanBuffer;
    }

    /**
     * Read the segment from {@code position} into the chunk, as much as fits or is there.
     *
     * @return the bytes now in the chunk.
     */
    private static int fill(final ColdSegment segment, final ByteBuffer chunk, final long position, final long size)
        throws IOException
    {
        chunk.clear();
        chunk.limit((int)Math.min(chunk.capacity(), size - position));
        ColdSegment.readFully(segment.channel(), chunk, position);
        final int filled = chunk.position();
        chunk.clear();
        return filled;
    }
}
