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
     * @return true when a var-data field whose length field starts at {@code limit} fits
     * before {@code end}, length field included. Reads nothing past {@code end}.
     */
    public static boolean varDataFits(
        final org.agrona.DirectBuffer buffer, final int limit, final int end, final int lengthFieldSize)
    {
        if (limit + lengthFieldSize > end)
        {
            return false;
        }
        final long dataLength = 4 == lengthFieldSize ?
            buffer.getInt(limit, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL :
            buffer.getShort(limit, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        return limit + lengthFieldSize + dataLength <= end;
    }
}
