package io.banter.engine.snapshot;

import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC-32C over a region of any Agrona buffer.
 */
public final class Crc32c
{
    private Crc32c()
    {
    }

    public static int compute(final DirectBuffer buffer, final int offset, final int length)
    {
        final CRC32C crc = new CRC32C();
        final byte[] array = buffer.byteArray();
        if (null != array)
        {
            crc.update(array, buffer.wrapAdjustment() + offset, length);
        }
        else
        {
            final ByteBuffer byteBuffer = buffer.byteBuffer();
            if (null != byteBuffer)
            {
                final ByteBuffer slice = byteBuffer.duplicate();
                final int start = buffer.wrapAdjustment() + offset;
                slice.limit(start + length).position(start);
                crc.update(slice);
            }
            else
            {
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                crc.update(copy, 0, length);
            }
        }
        return (int)crc.getValue();
    }
}
