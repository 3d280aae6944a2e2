package io.banter.journal.cold;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One append-only file of the cold tier. A 16-byte header (magic, format version, segment
 * number) and then records, each an 8-byte header (length, CRC-32C of the message) and the
 * stored message itself (SBE header and {@code StoredMessage}), little-endian.
 */
final class ColdSegment implements AutoCloseable
{
    static final long MAGIC = 0x444C_4F43_5254_4E42L; // "BNTRCOLD" read little-endian
    static final int FORMAT_VERSION = 1;
    static final int HEADER_LENGTH = 16;
    static final int RECORD_HEADER_LENGTH = 8;
    static final String SUFFIX = ".seg";

    private final int number;
    private final Path path;
    private final FileChannel channel;
    private long length;

    private ColdSegment(final int number, final Path path, final FileChannel channel, final long length)
    {
        this.number = number;
        this.path = path;
        this.channel = channel;
        this.length = length;
    }

    static String fileName(final int number)
    {
        return String.format("%010d", number) + SUFFIX;
    }

    /**
     * A new, empty segment; its header is on disk before it is used.
     */
    static ColdSegment create(final Path directory, final int number) throws IOException
    {
        final Path path = directory.resolve(fileName(number));
        final FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(MAGIC).putInt(FORMAT_VERSION).putInt(number).flip();
        writeFully(channel, header, 0);
        channel.force(true);
        return new ColdSegment(number, path, channel, HEADER_LENGTH);
    }

    /**
     * An existing segment, its header checked.
     *
     * @throws ColdTierCorruptException when the header is not a cold segment's or names another number.
     */
    static ColdSegment open(final Path path, final int number, final boolean readOnly) throws IOException
    {
        final FileChannel channel = readOnly ? FileChannel.open(path, StandardOpenOption.READ) :
            FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        final long size = channel.size();
        final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        if (size < HEADER_LENGTH || channel.read(header, 0) < HEADER_LENGTH ||
            MAGIC != header.getLong(0) || FORMAT_VERSION != header.getInt(8) || number != header.getInt(12))
        {
            channel.close();
            throw new ColdTierCorruptException(path + ": not a cold segment header (" + size + " bytes)");
        }
        return new ColdSegment(number, path, channel, size);
    }

    static void writeFully(final FileChannel channel, final ByteBuffer buffer, final long position) throws IOException
    {
        long at = position;
        while (buffer.hasRemaining())
        {
            at += channel.write(buffer, at);
        }
    }

    static void readFully(final FileChannel channel, final ByteBuffer buffer, final long position) throws IOException
    {
        long at = position;
        while (buffer.hasRemaining())
        {
            final int read = channel.read(buffer, at);
            if (read < 0)
            {
                throw new ColdTierCorruptException("unexpected end of segment at " + at);
            }
            at += read;
        }
    }

    /**
     * Append a framed record at the end.
     *
     * @return the record's offset.
     */
    long append(final ByteBuffer record) throws IOException
    {
        final long offset = length;
        final int recordLength = record.remaining();
        writeFully(channel, record, offset);
        length += recordLength;
        return offset;
    }

    /**
     * Cut a torn tail off: everything from {@code validLength} on is dropped.
     */
    void truncate(final long validLength) throws IOException
    {
        channel.truncate(validLength);
        channel.force(true);
        length = validLength;
    }

    void force() throws IOException
    {
        channel.force(false);
    }

    int number()
    {
        return number;
    }

    Path path()
    {
        return path;
    }

    FileChannel channel()
    {
        return channel;
    }

    long length()
    {
        return length;
    }

    public void close() throws IOException
    {
        channel.close();
    }
}
