package io.banter.engine.snapshot;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * A 64-bit hash over the snapshot record stream, which is a complete and deterministic
 * serialisation of the state; equal states give equal hashes. Not cryptographic: it detects
 * divergence between replicas and replays.
 */
public final class StateHash implements RecordSink
{
    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;

    private long hash = 0x27D4EB2F165667C5L;
    private long totalLength;

    public void onRecord(final DirectBuffer buffer, final int offset, final int length)
    {
        mix(length);
        int position = offset;
        final int end = offset + length;
        while (position + 8 <= end)
        {
            mix(buffer.getLong(position, ByteOrder.LITTLE_ENDIAN));
            position += 8;
        }
        long tail = 0;
        int shift = 0;
        while (position < end)
        {
            tail |= (buffer.getByte(position++) & 0xFFL) << shift;
            shift += 8;
        }
        mix(tail);
        totalLength += length;
    }

    public long value()
    {
        long h = hash ^ totalLength;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    private void mix(final long word)
    {
        hash = Long.rotateLeft(hash ^ (word * PRIME_2), 31) * PRIME_1;
    }
}
