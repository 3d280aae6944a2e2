package io.banter.engine.store;

import net.openhft.chronicle.hash.serialization.impl.ByteBufferSizedReader;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * The hot tier: message bodies off-heap in an in-memory Chronicle Map.
 * <p>
 * Keys and values are direct {@link ByteBuffer}s reused across calls, so a put or get costs no
 * allocation. Capacity is enforced here, by entry count and by total value bytes, so the map is
 * never asked to grow past the size it was built for.
 */
public final class ChronicleMessageStore implements MessageStore
{
    private static final int KEY_LENGTH = 16;

    private final ChronicleMap<ByteBuffer, ByteBuffer> map;
    private final long maxEntries;
    private final long maxBytes;
    private final ByteBuffer key = ByteBuffer.allocateDirect(KEY_LENGTH);
    private final UnsafeBuffer keyView = new UnsafeBuffer(key);
    private final ByteBuffer value;
    private final UnsafeBuffer valueView;
    private long size;
    private long bytes;

    /**
     * @param maxEntries          most messages held.
     * @param averageMessageBytes expected encoded size; {@code maxEntries * averageMessageBytes}
     *                            bounds the bytes held.
     * @param maxMessageBytes     largest encoded message.
     */
    public ChronicleMessageStore(final long maxEntries, final int averageMessageBytes, final int maxMessageBytes)
    {
        this.maxEntries = maxEntries;
        this.maxBytes = maxEntries * averageMessageBytes;
        this.value = ByteBuffer.allocateDirect(maxMessageBytes);
        this.valueView = new UnsafeBuffer(value);
        this.map = ChronicleMap.of(ByteBuffer.class, ByteBuffer.class)
            .name("banter-hot-tier")
            .constantKeySizeBySample(ByteBuffer.allocate(KEY_LENGTH))
            .keyReaderAndDataAccess(ByteBufferSizedReader.INSTANCE, new ReusableByteBufferDataAccess())
            .valueReaderAndDataAccess(ByteBufferSizedReader.INSTANCE, new ReusableByteBufferDataAccess())
            .averageValueSize(averageMessageBytes)
            .entries(maxEntries)
            .maxBloatFactor(2.0)
            .create();
    }

    public boolean isFull(final int messages, final long length)
    {
        return size + messages > maxEntries || bytes + length > maxBytes;
    }

    public void replace(
        final long conversationId,
        final long seq,
        final DirectBuffer src,
        final int offset,
        final int length,
        final int previousLength)
    {
        if (length > previousLength)
        {
            throw new IllegalArgumentException("a replacement may not grow: " + length + " > " + previousLength);
        }
        writeKey(conversationId, seq);
        valueView.putBytes(0, src, offset, length);
        value.clear().limit(length);
        map.put(key, value);
        bytes += length - previousLength;
    }

    public void put(final long conversationId, final long seq, final DirectBuffer src, final int offset, final int length)
    {
        writeKey(conversationId, seq);
        valueView.putBytes(0, src, offset, length);
        value.clear().limit(length);
        map.put(key, value);
        size++;
        bytes += length;
    }

    public int get(final long conversationId, final long seq, final MutableDirectBuffer dst, final int dstOffset)
    {
        writeKey(conversationId, seq);
        value.clear();
        final ByteBuffer found = map.getUsing(key, value);
        if (null == found)
        {
            return -1;
        }
        final int length = found.remaining();
        if (found == value)
        {
            dst.putBytes(dstOffset, valueView, found.position(), length);
        }
        else
        {
            dst.putBytes(dstOffset, found, found.position(), length);
        }
        return length;
    }

    public int remove(final long conversationId, final long seq)
    {
        writeKey(conversationId, seq);
        // A query context removes without deserialising the old value, which map.remove(key) would allocate.
        try (ExternalMapQueryContext<ByteBuffer, ByteBuffer, ?> query = map.queryContext(key))
        {
            query.updateLock().lock();
            final MapEntry<ByteBuffer, ByteBuffer> entry = query.entry();
            if (null == entry)
            {
                return -1;
            }
            final int length = (int)entry.value().size();
            query.remove(entry);
            size--;
            bytes -= length;
            return length;
        }
    }

    public long size()
    {
        return size;
    }

    public long bytes()
    {
        return bytes;
    }

    public void close()
    {
        map.close();
        BufferUtil.free(key);
        BufferUtil.free(value);
    }

    private void writeKey(final long conversationId, final long seq)
    {
        keyView.putLong(0, conversationId);
        keyView.putLong(8, seq);
        key.clear();
    }
}
