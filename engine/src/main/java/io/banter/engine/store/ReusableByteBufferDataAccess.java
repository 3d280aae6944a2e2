package io.banter.engine.store;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.RandomDataInput;
import net.openhft.chronicle.core.io.ReferenceOwner;
import net.openhft.chronicle.hash.AbstractData;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.hash.serialization.DataAccess;
import net.openhft.chronicle.wire.WireIn;
import net.openhft.chronicle.wire.WireOut;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Chronicle Map access to a {@link ByteBuffer} key or value that wraps the buffer in a
 * {@link BytesStore} once and reuses it while the same buffer is passed again.
 * <p>
 * Chronicle's own {@code ByteBufferDataAccess} creates a reference-counted store for every
 * call, which is garbage per put and work for Chronicle's background releaser thread; the
 * store passes the same two direct buffers on every call, so one wrapper each is enough.
 */
final class ReusableByteBufferDataAccess extends AbstractData<ByteBuffer> implements DataAccess<ByteBuffer>
{
    private transient ByteBuffer buffer;
    private transient ByteBuffer wrapped;
    private transient BytesStore<?, ByteBuffer> store;

    public Data<ByteBuffer> getData(final ByteBuffer instance)
    {
        if (instance != wrapped)
        {
            releaseStore();
            final ByteOrder order = instance.order();
            store = BytesStore.follow(instance);
            instance.order(order);
            wrapped = instance;
        }
        buffer = instance;
        return this;
    }

    public void uninit()
    {
        buffer = null;
    }

    public RandomDataInput bytes()
    {
        return store;
    }

    public long offset()
    {
        return buffer.position();
    }

    public long size()
    {
        return buffer.remaining();
    }

    public ByteBuffer get()
    {
        return buffer;
    }

    public ByteBuffer getUsing(final ByteBuffer using)
    {
        final int length = buffer.remaining();
        final ByteBuffer target = null == using || using.capacity() < length ? ByteBuffer.allocate(length) : using;
        target.clear();
        target.put(buffer.duplicate()).flip();
        return target;
    }

    public DataAccess<ByteBuffer> copy()
    {
        return new ReusableByteBufferDataAccess();
    }

    public void readMarshallable(final WireIn wireIn)
    {
        // stateless between uses: nothing to read
    }

    public void writeMarshallable(final WireOut wireOut)
    {
        // stateless between uses: nothing to write
    }

    private void releaseStore()
    {
        if (null != store)
        {
            store.release(ReferenceOwner.INIT);
            store = null;
            wrapped = null;
        }
    }
}
