package io.banter.engine.snapshot;

import io.banter.codecs.BooleanType;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.SnapshotChunkEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Turns the record stream into checksummed chunks: records are length-prefixed and packed into
 * chunks of at most {@code chunkLength} data bytes; a record may span chunks. Each chunk carries
 * its index and the CRC-32C of its data, so a reader detects a torn, reordered or corrupt stream.
 */
public final class ChunkingRecordSink implements RecordSink
{
    public static final int DEFAULT_CHUNK_LENGTH = 64 * 1024;
    static final int RECORD_LENGTH_PREFIX = 4;

    private final SnapshotSink sink;
    private final int chunkLength;
    private final UnsafeBuffer data;
    private final UnsafeBuffer prefix = new UnsafeBuffer(new byte[RECORD_LENGTH_PREFIX]);
    private final ExpandableArrayBuffer chunkBuffer;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SnapshotChunkEncoder chunkEncoder = new SnapshotChunkEncoder();
    private int dataLength;
    private int chunkIndex;
    private boolean finished;

    public ChunkingRecordSink(final SnapshotSink sink)
    {
        this(sink, DEFAULT_CHUNK_LENGTH);
    }

    public ChunkingRecordSink(final SnapshotSink sink, final int chunkLength)
    {
        this.sink = sink;
        this.chunkLength = chunkLength;
        this.data = new UnsafeBuffer(new byte[chunkLength]);
        this.chunkBuffer = new ExpandableArrayBuffer(chunkLength + 64);
    }

    public void onRecord(final DirectBuffer buffer, final int offset, final int length)
    {
        prefix.putInt(0, length);
        append(prefix, 0, RECORD_LENGTH_PREFIX);
        append(buffer, offset, length);
    }

    /**
     * Emit the last chunk (possibly empty), flagged as last.
     */
    public void finish()
    {
        if (!finished)
        {
            emit(true);
            finished = true;
        }
    }

    private void append(final DirectBuffer buffer, final int offset, final int length)
    {
        int position = 0;
        while (position < length)
        {
            if (dataLength == chunkLength)
            {
                emit(false);
            }
            final int toCopy = Math.min(length - position, chunkLength - dataLength);
            data.putBytes(dataLength, buffer, offset + position, toCopy);
            dataLength += toCopy;
            position += toCopy;
        }
    }

    private void emit(final boolean last)
    {
        chunkEncoder.wrapAndApplyHeader(chunkBuffer, 0, headerEncoder)
            .chunkIndex(chunkIndex++)
            .crc32c(Crc32c.compute(data, 0, dataLength))
            .last(last ? BooleanType.TRUE : BooleanType.FALSE)
            .putData(data, 0, dataLength);
        sink.onChunk(chunkBuffer, 0, chunkEncoder.limit());
        dataLength = 0;
    }
}
