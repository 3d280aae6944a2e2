package io.banter.codecs.framing;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The Simple Open Framing Header that precedes every SBE message on a Banter TCP stream:
 * a 4-byte big-endian message length (header included) and a 2-byte big-endian encoding type,
 * {@code 0xEB50} for SBE 1.0 little-endian.
 * <p>
 * Stateless helpers over buffers: frame a message in place, and check and read a frame header.
 */
public final class SimpleOpenFramingHeader
{
    /** Bytes in the header. */
    public static final int HEADER_LENGTH = 6;

    /** Encoding type for SBE version 1.0, little-endian. */
    public static final int SBE_LITTLE_ENDIAN_ENCODING_TYPE = 0xEB50;

    private static final int ENCODING_TYPE_OFFSET = 4;

    /** Result of {@link #check}: the frame header is complete and valid. */
    public static final int VALID = 0;
    /** Result of {@link #check}: more bytes are needed to read the header. */
    public static final int INCOMPLETE = 1;
    /** Result of {@link #check}: the encoding type is not SBE little-endian. */
    public static final int BAD_ENCODING_TYPE = 2;
    /** Result of {@link #check}: the length is smaller than a header plus an SBE message header. */
    public static final int TOO_SHORT = 3;
    /** Result of {@link #check}: the length exceeds the receiver's maximum frame. */
    public static final int TOO_LONG = 4;

    private SimpleOpenFramingHeader()
    {
    }

    /**
     * Write a header for an SBE message of {@code sbeLength} bytes that starts at
     * {@code offset + HEADER_LENGTH}.
     *
     * @return the whole frame length, header included.
     */
    public static int writeHeader(final MutableDirectBuffer buffer, final int offset, final int sbeLength)
    {
        final int frameLength = HEADER_LENGTH + sbeLength;
        buffer.putInt(offset, frameLength, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + ENCODING_TYPE_OFFSET, (short)SBE_LITTLE_ENDIAN_ENCODING_TYPE, ByteOrder.BIG_ENDIAN);
        return frameLength;
    }

    /**
     * The frame length (header included) announced by the header at {@code offset}.
     */
    public static int frameLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ByteOrder.BIG_ENDIAN);
    }

    /**
     * The encoding type announced by the header at {@code offset}.
     */
    public static int encodingType(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + ENCODING_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * Check the header of a frame whose first {@code available} bytes are at {@code offset}.
     *
     * @param minSbeLength   the smallest SBE message accepted (its message header).
     * @param maxFrameLength the largest frame accepted, header included.
     * @return {@link #VALID}, {@link #INCOMPLETE} or the reason the frame is malformed.
     */
    public static int check(
        final DirectBuffer buffer, final int offset, final int available, final int minSbeLength, final int maxFrameLength)
    {
        if (available < HEADER_LENGTH)
        {
            return INCOMPLETE;
        }
        if (encodingType(buffer, offset) != SBE_LITTLE_ENDIAN_ENCODING_TYPE)
        {
            return BAD_ENCODING_TYPE;
        }
        final int frameLength = frameLength(buffer, offset);
        if (frameLength < HEADER_LENGTH + minSbeLength)
        {
            return TOO_SHORT;
        }
        if (frameLength > maxFrameLength)
        {
            return TOO_LONG;
        }
        return VALID;
    }

    /**
     * Text for a {@link #check} result, for error messages and logs.
     */
    public static String describe(final int checkResult)
    {
        switch (checkResult)
        {
            case VALID:
                return "valid";
            case INCOMPLETE:
                return "incomplete header";
            case BAD_ENCODING_TYPE:
                return "encoding type is not SBE little-endian 0xEB50";
            case TOO_SHORT:
                return "frame shorter than an SBE message header";
            case TOO_LONG:
                return "frame longer than the maximum frame length";
            default:
                return "unknown result " + checkResult;
        }
    }
}
