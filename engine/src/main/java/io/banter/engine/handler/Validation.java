package io.banter.engine.handler;

import io.banter.codecs.MessageHeaderDecoder;

/**
 * Bounds checks for SBE messages from outside: a message is only decoded once it is known to
 * lie wholly inside the bytes received, so a lying length can never read past them.
 */
public final class Validation
{
    /** Bytes of a {@code varDataEncoding} length field. */
    public static final int VAR_DATA_LENGTH_FIELD = 4;
    /** Bytes of a {@code varStringEncoding} length field. */
    public static final int VAR_STRING_LENGTH_FIELD = 2;
    /** Bytes of a {@code groupSizeEncoding} header. */
    public static final int GROUP_HEADER_LENGTH = 4;

    private Validation()
    {
    }

    /**
     * @return true when the header and a fixed block of at least {@code minBlockLength} bytes
     * fit in {@code length} bytes.
     */
    public static boolean fixedBlockFits(final MessageHeaderDecoder header, final int length, final int minBlockLength)
    {
        final int blockLength = header.blockLength();
        return blockLength >= minBlockLength && MessageHeaderDecoder.ENCODED_LENGTH + blockLength <= length;
    }

    /**
     * @return where a repeating group whose dimension header starts at {@code limit} ends, or -1
     * when the header or its entries do not fit before {@code end} or an entry is shorter than
     * {@code minEntryLength}. Reads nothing past {@code end}.
     */
    public static int groupEnd(
        final org.agrona.DirectBuffer buffer, final int limit, final int end, final int minEntryLength)
    {
        if (limit < 0 || limit + GROUP_HEADER_LENGTH > end)
        {
            return -1;
        }
        final int entryLength = buffer.getShort(limit, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int count = buffer.getShort(limit + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final long groupEnd = limit + GROUP_HEADER_LENGTH + (long)entryLength * count;
        if (entryLength < minEntryLength || groupEnd > end)
        {
            return -1;
        }
        return (int)groupEnd;
    }

    /**
     * @return true when a var-data field whose length field starts at {@code limit} fits
     * before {@code end}, length field included. Reads nothing past {@code end}.
     */
    public static boolean varDataFits(
        final org.agrona.DirectBuffer buffer, final int limit, final int end, final int lengthFieldSize)
    {
        if (limit < 0 || limit + lengthFieldSize > end)
        {
            return false;
        }
        final long dataLength = 4 == lengthFieldSize ?
            buffer.getInt(limit, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL :
            buffer.getShort(limit, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        return limit + lengthFieldSize + dataLength <= end;
    }
}
