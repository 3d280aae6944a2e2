package io.banter.codecs.batch;

import io.banter.codecs.CommandBatchDecoder;
import io.banter.codecs.CommandBatchEncoder;
import io.banter.codecs.EventBatchEncoder;
import io.banter.codecs.HeartbeatEncoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchWriterReaderTest
{
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[256]);

    @Test
    void entriesComeBackInOrderAndTheGeneratedDecoderReadsTheSameLayout()
    {
        final BatchWriter writer = new BatchWriter(CommandBatchEncoder.TEMPLATE_ID, 1024);
        final List<byte[]> written = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            final byte[] message = heartbeat(1000 + i, i * 3);
            written.add(message);
            assertTrue(writer.append(new UnsafeBuffer(message), 0, message.length));
        }
        final int offset = writer.offset();
        final int length = writer.length();

        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(writer.buffer(), offset);
        assertEquals(CommandBatchEncoder.TEMPLATE_ID, header.templateId());
        final CommandBatchDecoder decoder = new CommandBatchDecoder()
            .wrap(writer.buffer(), offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        int index = 0;
        for (final CommandBatchDecoder.CommandsDecoder command : decoder.commands())
        {
            final byte[] read = new byte[command.commandLength()];
            command.getCommand(read, 0, read.length);
            assertArrayEquals(written.get(index++), read);
        }
        assertEquals(5, index);
        assertEquals(length, decoder.limit() - offset);

        final BatchReader reader = new BatchReader();
        assertTrue(reader.wrap(writer.buffer(), offset, length), reader.refusal());
        assertEquals(5, reader.count());
        index = 0;
        while (reader.next())
        {
            final byte[] read = new byte[reader.entryLength()];
            writer.buffer().getBytes(reader.entryOffset(), read);
            assertArrayEquals(written.get(index++), read);
        }
        assertEquals(5, index);
    }

    @Test
    void aBatchOfOneIsOfferedAsItsOnlyEntry()
    {
        final BatchWriter writer = new BatchWriter(EventBatchEncoder.TEMPLATE_ID, 256);
        final byte[] message = heartbeat(7, 0);
        assertTrue(writer.append(new UnsafeBuffer(message), 0, message.length));
        final byte[] offered = new byte[writer.length()];
        writer.buffer().getBytes(writer.offset(), offered);
        assertArrayEquals(message, offered);
    }

    @Test
    void anEntryThatDoesNotFitIsRefusedAndNothingIsCopied()
    {
        final byte[] message = heartbeat(7, 40);
        final int capacity = BatchLayout.FIRST_ENTRY_OFFSET + 2 * (4 + message.length) + 3;
        final BatchWriter writer = new BatchWriter(CommandBatchEncoder.TEMPLATE_ID, capacity);
        assertTrue(writer.append(new UnsafeBuffer(message), 0, message.length));
        assertTrue(writer.append(new UnsafeBuffer(message), 0, message.length));
        final int lengthBefore = writer.length();
        assertFalse(writer.append(new UnsafeBuffer(message), 0, message.length));
        assertEquals(2, writer.count());
        assertEquals(lengthBefore, writer.length());
        writer.reset();
        assertTrue(writer.isEmpty());
        assertTrue(writer.append(new UnsafeBuffer(message), 0, message.length));
    }

    @Test
    void claimAndCommitEncodeInPlace()
    {
        final BatchWriter writer = new BatchWriter(EventBatchEncoder.TEMPLATE_ID, 512);
        for (int i = 0; i < 3; i++)
        {
            final int at = writer.claim(64);
            assertTrue(at > 0);
            final HeartbeatEncoder encoder = new HeartbeatEncoder()
                .wrapAndApplyHeader(writer.buffer(), at, new MessageHeaderEncoder()).nonce(i);
            writer.commit(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        }
        final BatchReader reader = new BatchReader();
        assertTrue(reader.wrap(writer.buffer(), writer.offset(), writer.length()), reader.refusal());
        assertEquals(3, reader.count());
        assertEquals(-1, writer.claim(1024));
    }

    @Test
    void everyMalformedBatchIsRefusedWithAReason()
    {
        final BatchWriter writer = new BatchWriter(CommandBatchEncoder.TEMPLATE_ID, 1024);
        final byte[] message = heartbeat(1, 4);
        writer.append(new UnsafeBuffer(message), 0, message.length);
        writer.append(new UnsafeBuffer(message), 0, message.length);
        final int length = writer.length();
        final UnsafeBuffer batch = new UnsafeBuffer(new byte[length + 16]);
        batch.putBytes(0, writer.buffer(), writer.offset(), length);
        final BatchReader reader = new BatchReader();
        assertTrue(reader.wrap(batch, 0, length));

        assertRefused(reader, batch, length - 1, "does not fit");
        assertRefused(reader, batch, BatchLayout.FIRST_ENTRY_OFFSET + 2, "lies past");
        assertRefused(reader, batch, length + 3, "bytes after");
        assertRefused(reader, batch, 6, "shorter than its headers");

        final int firstLength = BatchLayout.FIRST_ENTRY_OFFSET;
        batch.putInt(firstLength, 1 << 30, ByteOrder.LITTLE_ENDIAN);
        assertRefused(reader, batch, length, "does not fit");
        batch.putInt(firstLength, 3, ByteOrder.LITTLE_ENDIAN);
        assertRefused(reader, batch, length, "does not fit");
        batch.putInt(firstLength, message.length, ByteOrder.LITTLE_ENDIAN);

        new MessageHeaderEncoder().wrap(batch, firstLength + 4).templateId(EventBatchEncoder.TEMPLATE_ID);
        assertRefused(reader, batch, length, "itself a batch");
    }

    private static void assertRefused(final BatchReader reader, final UnsafeBuffer batch, final int length, final String why)
    {
        assertFalse(reader.wrap(batch, 0, length));
        assertNotNull(reader.refusal());
        assertTrue(reader.refusal().contains(why), reader.refusal());
        assertFalse(reader.next());
    }

    private byte[] heartbeat(final long timestamp, final int padding)
    {
        final HeartbeatEncoder encoder = new HeartbeatEncoder()
            .wrapAndApplyHeader(scratch, 0, new MessageHeaderEncoder()).nonce(timestamp);
        final byte[] bytes = new byte[MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength() + padding];
        scratch.getBytes(0, bytes, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        return bytes;
    }
}
