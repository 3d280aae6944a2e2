package io.banter.journal.cold;

import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.StoredMessageEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColdTierTest
{
    private static final int CONVERSATIONS = 5;

    @TempDir
    Path directory;

    private final StoredMessages messages = new StoredMessages();
    private final UnsafeBuffer read = new UnsafeBuffer(new byte[8192]);

    @Test
    void everyMessageReadsBackByteForByteAcrossSegmentsAndAfterReopening()
    {
        try (ColdTier tier = ColdTier.open(context()))
        {
            appendAll(tier, 1, 100);
            assertTrue(tier.segmentCount() > 1, "small segments roll: " + tier.segmentCount());
            assertAllReadBack(tier, 1, 100);
        }
        try (ColdTier tier = ColdTier.open(context()))
        {
            assertTrue(tier.recovery().isClean(), tier.recovery().toString());
            assertEquals(CONVERSATIONS * 100, tier.records());
            assertAllReadBack(tier, 1, 100);
            assertEquals(-1, tier.read(1, 101, read, 0));
            assertEquals(-1, tier.read(99, 1, read, 0));
        }
    }

    @Test
    void aSegmentLongerThanTheRecoveryReadChunkIsIndexedWhole()
    {
        // 16 MiB segments and about 12 MiB of records: recovery reads them in 4 MiB chunks, so
        // records straddle chunk ends.
        final ColdTierContext big = context().segmentBytes(16 * 1024 * 1024);
        final long seqs = 12_000;
        try (ColdTier tier = ColdTier.open(big))
        {
            appendAll(tier, 1, seqs);
            assertEquals(1, tier.segmentCount());
        }
        try (ColdTier tier = ColdTier.open(big))
        {
            assertTrue(tier.recovery().isClean(), tier.recovery().toString());
            assertEquals(CONVERSATIONS * seqs, tier.records());
            assertAllReadBack(tier, 1, 5);
            assertAllReadBack(tier, 5_990, 6_010);
            assertAllReadBack(tier, seqs - 5, seqs);
        }
    }

    @Test
    void aMessageLongerThanTheFirstReadIsReadWhole()
    {
        final UnsafeBuffer big = new UnsafeBuffer(new byte[8192]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[5000]);
        for (int i = 0; i < payload.capacity(); i++)
        {
            payload.putByte(i, (byte)(i * 7));
        }
        final StoredMessageEncoder encoder = new StoredMessageEncoder()
            .wrapAndApplyHeader(big, 0, new MessageHeaderEncoder())
            .messageId(1).conversationId(1).seq(1).senderUserId(2).senderDeviceId(1).clientMsgId(1).timestamp(1)
            .contentType(0).flags((short)0).putPayload(payload, 0, payload.capacity());
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        final ColdTierContext large = context().maxMessageBytes(8192).segmentBytes(64 * 1024);
        try (ColdTier tier = ColdTier.open(large))
        {
            assertTrue(tier.append(big, 0, length));
            assertEquals(length, tier.read(1, 1, read, 0));
            for (int i = 0; i < length; i++)
            {
                assertEquals(big.getByte(i), read.getByte(i), "byte " + i);
            }
        }
    }

    @Test
    void pagesAreNewestFirstBeforeTheGivenSeq()
    {
        try (ColdTier tier = ColdTier.open(context()))
        {
            appendAll(tier, 1, 30);
            final List<Long> seqs = new ArrayList<>();
            assertEquals(5, tier.page(2, 20, 5, read, (seq, buffer, offset, length) -> seqs.add(seq)));
            assertEquals(List.of(19L, 18L, 17L, 16L, 15L), seqs);
            seqs.clear();
            assertEquals(3, tier.page(2, 0, 3, read, (seq, buffer, offset, length) -> seqs.add(seq)));
            assertEquals(List.of(30L, 29L, 28L), seqs);
            seqs.clear();
            assertEquals(2, tier.page(2, 3, 10, read, (seq, buffer, offset, length) -> seqs.add(seq)));
            assertEquals(List.of(2L, 1L), seqs);
            assertEquals(0, tier.page(42, 0, 10, read, (seq, buffer, offset, length) -> seqs.add(seq)));
        }
    }

    @Test
    void aMessageWrittenAgainByAReplayIsHeldOnce()
    {
        try (ColdTier tier = ColdTier.open(context()))
        {
            appendAll(tier, 1, 10);
        }
        try (ColdTier tier = ColdTier.open(context()))
        {
            for (long seq = 1; seq <= 10; seq++)
            {
                assertFalse(tier.append(messages.buffer(), 0, messages.encode(1, seq)), "seq " + seq);
            }
            assertTrue(tier.append(messages.buffer(), 0, messages.encode(1, 11)));
            assertEquals(CONVERSATIONS * 10 + 1, tier.records());
        }
        try (ColdTier tier = ColdTier.open(context()))
        {
            assertEquals(CONVERSATIONS * 10 + 1, tier.records());
            assertEquals(11, tier.highestSeq(1));
        }
    }

    @Test
    void aRecallsTombstoneReplacesTheMessageAndStaysReplacedAfterReopening()
    {
        final int tombstoneLength;
        try (ColdTier tier = ColdTier.open(context()))
        {
            appendAll(tier, 1, 10);
            tombstoneLength = messages.encodeTombstone(2, 4);
            tier.replace(messages.buffer(), 0, tombstoneLength);
            assertEquals(tombstoneLength, tier.read(2, 4, read, 0));
            // A replay of the original after the recall does not bring the body back.
            assertFalse(tier.append(messages.buffer(), 0, messages.encode(2, 4)));
            assertEquals(tombstoneLength, tier.read(2, 4, read, 0));
            assertEquals(CONVERSATIONS * 10, tier.records());
        }
        try (ColdTier tier = ColdTier.open(context()))
        {
            assertEquals(CONVERSATIONS * 10, tier.records());
            assertEquals(tombstoneLength, tier.read(2, 4, read, 0));
            messages.encodeTombstone(2, 4);
            for (int i = 0; i < tombstoneLength; i++)
            {
                assertEquals(messages.buffer().getByte(i), read.getByte(i));
            }
            assertEquals(messages.encode(2, 5), tier.read(2, 5, read, 0));
        }
    }

    @Test
    void aTornTailIsCutOffAndAppendingGoesOn() throws IOException
    {
        try (ColdTier tier = ColdTier.open(context()))
        {
            appendAll(tier, 1, 10);
        }
        // A crash mid-write: a record header promising 300 bytes, and only 40 of them.
        final Path last = segmentFiles().get(segmentFiles().size() - 1);
        final byte[] torn = new byte[8 + 40];
        torn[0] = 44;
        torn[1] = 1;
        Files.write(last, torn, StandardOpenOption.APPEND);
        final long tornLength = Files.size(last);

        try (ColdTier tier = ColdTier.open(context()))
        {
            assertEquals(torn.length, tier.recovery().tornBytes());
            assertEquals(0, tier.recovery().corruptRecords());
            assertEquals(tornLength - torn.length, Files.size(last));
            assertAllReadBack(tier, 1, 10);
            appendAll(tier, 11, 12);
        }
        try (ColdTier tier = ColdTier.open(context()))
        {
            assertTrue(tier.recovery().isClean(), tier.recovery().toString());
            assertAllReadBack(tier, 1, 12);
        }
    }

    @Test
    void aSegmentWhoseHeaderNeverReachedTheDiskIsDropped() throws IOException
    {
        try (ColdTier tier = ColdTier.open(context()))
        {
            appendAll(tier, 1, 10);
        }
        final int segments = segmentFiles().size();
        Files.write(directory.resolve(ColdSegment.fileName(segments)), new byte[5]);
        try (ColdTier tier = ColdTier.open(context()))
        {
            assertEquals(5, tier.recovery().tornBytes());
            assertAllReadBack(tier, 1, 10);
            appendAll(tier, 11, 11);
            assertAllReadBack(tier, 11, 11);
        }
    }

    @Test
    void aFlippedBitIsRefusedOnReadAndNotIndexedOnReopen() throws IOException
    {
        final long damagedConversation = 3;
        final long damagedSeq = 5;
        try (ColdTier tier = ColdTier.open(context()))
        {
            appendAll(tier, 1, 10);
            flipLastByteOf(tier, damagedConversation, damagedSeq);
            final ColdTierCorruptException refused = assertThrows(ColdTierCorruptException.class,
                () -> tier.read(damagedConversation, damagedSeq, read, 0));
            assertTrue(refused.getMessage().contains("checksum"), refused.getMessage());
            assertEquals(messages.encode(damagedConversation, damagedSeq + 1),
                tier.read(damagedConversation, damagedSeq + 1, read, 0));
        }
        try (ColdTier tier = ColdTier.open(context()))
        {
            assertEquals(1, tier.recovery().corruptRecords());
            assertEquals(CONVERSATIONS * 10 - 1, tier.records());
            assertEquals(-1, tier.read(damagedConversation, damagedSeq, read, 0));
            // The log can write it again.
            assertTrue(tier.append(messages.buffer(), 0, messages.encode(damagedConversation, damagedSeq)) ||
                tier.highestSeq(damagedConversation) > damagedSeq);
        }
    }

    @Test
    void brokenFramingInASealedSegmentStopsItsIndexAndAppendingGoesOn() throws IOException
    {
        try (ColdTier tier = ColdTier.open(context()))
        {
            appendAll(tier, 1, 100);
        }
        final List<Path> files = segmentFiles();
        assertTrue(files.size() > 2);
        final Path first = files.get(0);
        try (RandomAccessFile file = new RandomAccessFile(first.toFile(), "rw"))
        {
            // The first record's length: larger than any message may be.
            file.seek(ColdSegment.HEADER_LENGTH);
            file.writeInt(0x7fff_ff00);
        }
        try (ColdTier tier = ColdTier.open(context()))
        {
            assertEquals(1, tier.recovery().corruptSegments());
            assertTrue(tier.records() < CONVERSATIONS * 100);
            assertEquals(-1, tier.read(1, 1, read, 0));
            assertAllReadBack(tier, 90, 100);
            // The damaged segment is sealed; appending goes on at the intact last one.
            appendAll(tier, 101, 101);
            assertAllReadBack(tier, 101, 101);
        }
        try (ColdTier tier = ColdTier.open(context()))
        {
            assertEquals(1, tier.recovery().corruptSegments());
            assertAllReadBack(tier, 90, 101);
        }
    }

    @Test
    void readOnlyBesideAWriterChangesNothingOnDisk() throws IOException
    {
        try (ColdTier writer = ColdTier.open(context()))
        {
            appendAll(writer, 1, 10);
            // A record the writer has only half written so far.
            final Path last = segmentFiles().get(segmentFiles().size() - 1);
            Files.write(last, new byte[] {100, 0, 0, 0, 1, 2}, StandardOpenOption.APPEND);
            final long size = Files.size(last);
            final int files = segmentFiles().size();
            try (ColdTier reader = ColdTier.open(context().readOnly(true)))
            {
                assertEquals(CONVERSATIONS * 10, reader.records());
                assertEquals(6, reader.recovery().tornBytes());
                assertAllReadBack(reader, 1, 10);
                assertThrows(IllegalStateException.class, () -> reader.append(messages.buffer(), 0,
                    messages.encode(1, 11)));
            }
            assertEquals(size, Files.size(last));
            assertEquals(files, segmentFiles().size());
        }
        try (ColdTier reader = ColdTier.open(context().directory(directory.resolve("absent")).readOnly(true)))
        {
            assertEquals(0, reader.records());
            assertFalse(Files.exists(directory.resolve("absent")));
        }
    }

    @Test
    void somethingThatIsNotAStoredMessageIsRefused()
    {
        try (ColdTier tier = ColdTier.open(context()))
        {
            final UnsafeBuffer junk = new UnsafeBuffer(new byte[100]);
            assertThrows(IllegalArgumentException.class, () -> tier.append(junk, 0, 100));
            assertThrows(IllegalArgumentException.class, () -> tier.append(junk, 0, 5000));
            assertEquals(0, tier.records());
        }
    }

    private ColdTierContext context()
    {
        return new ColdTierContext().directory(directory).segmentBytes(8 * 1024).maxMessageBytes(1024);
    }

    private void appendAll(final ColdTier tier, final long fromSeq, final long toSeq)
    {
        for (long seq = fromSeq; seq <= toSeq; seq++)
        {
            for (long conversation = 1; conversation <= CONVERSATIONS; conversation++)
            {
                assertTrue(tier.append(messages.buffer(), 0, messages.encode(conversation, seq)));
            }
        }
        tier.flush();
    }

    private void assertAllReadBack(final ColdTier tier, final long fromSeq, final long toSeq)
    {
        for (long seq = fromSeq; seq <= toSeq; seq++)
        {
            for (long conversation = 1; conversation <= CONVERSATIONS; conversation++)
            {
                final int expectedLength = messages.encode(conversation, seq);
                assertEquals(expectedLength, tier.read(conversation, seq, read, 0), conversation + "/" + seq);
                for (int i = 0; i < expectedLength; i++)
                {
                    assertEquals(messages.buffer().getByte(i), read.getByte(i), conversation + "/" + seq + " byte " + i);
                }
            }
        }
    }

    /**
     * Damage the last byte of a record's message on disk, where only its checksum can tell.
     */
    private void flipLastByteOf(final ColdTier tier, final long conversation, final long seq) throws IOException
    {
        final int length = messages.encode(conversation, seq);
        for (final Path file : segmentFiles())
        {
            final byte[] bytes = Files.readAllBytes(file);
            final int at = indexOf(bytes, messages.buffer().byteArray(), length);
            if (at >= 0)
            {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
                {
                    raf.seek(at + length - 1);
                    raf.write(bytes[at + length - 1] ^ 0x10);
                }
                return;
            }
        }
        throw new AssertionError("record " + conversation + "/" + seq + " not found on disk");
    }

    private static int indexOf(final byte[] haystack, final byte[] needle, final int needleLength)
    {
        outer:
        for (int i = 0; i + needleLength <= haystack.length; i++)
        {
            for (int j = 0; j < needleLength; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private List<Path> segmentFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(path -> path.toString().endsWith(ColdSegment.SUFFIX)).sorted().toList();
        }
    }
}
