package io.banter.journal.cold;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 while a process appends: on reopening, everything it had flushed is there and intact,
 * no damaged record is indexed, and appending goes on.
 */
class ColdTierCrashTest
{
    private static final long SEGMENT_BYTES = 64 * 1024;
    private static final long KILL_AFTER_FLUSHED = 3_000;

    @TempDir
    Path directory;

    @Test
    void everythingFlushedBeforeAKillNineIsReadBackAndNothingDamagedIsServed() throws Exception
    {
        final Process writer = new ProcessBuilder(List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"),
            ColdTierWriterProcess.class.getName(), directory.toString(), Long.toString(SEGMENT_BYTES)))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        long flushed = 0;
        try (BufferedReader lines = new BufferedReader(
            new InputStreamReader(writer.getInputStream(), StandardCharsets.US_ASCII)))
        {
            String line;
            while (flushed < KILL_AFTER_FLUSHED && null != (line = lines.readLine()))
            {
                flushed = Long.parseLong(line.substring("flushed ".length()));
            }
            // SIGKILL, mid-write: the writer never stops appending on its own.
            writer.destroyForcibly();
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(flushed >= KILL_AFTER_FLUSHED, "the writer said it flushed " + flushed);

        final StoredMessages messages = new StoredMessages();
        final UnsafeBuffer read = new UnsafeBuffer(new byte[4096]);
        try (ColdTier tier = ColdTier.open(new ColdTierContext().directory(directory).segmentBytes(SEGMENT_BYTES)
            .maxMessageBytes(1024)))
        {
            assertEquals(0, tier.recovery().corruptRecords(), tier.recovery().toString());
            assertEquals(0, tier.recovery().corruptSegments(), tier.recovery().toString());
            assertTrue(tier.records() >= flushed, tier.records() + " records, " + flushed + " flushed");
            assertTrue(tier.segmentCount() > 1);
            for (long seq = 1; seq <= tier.records(); seq++)
            {
                final int length = messages.encode(seq % 3, seq);
                assertEquals(length, tier.read(seq % 3, seq, read, 0), "seq " + seq);
                for (int i = 0; i < length; i++)
                {
                    assertEquals(messages.buffer().getByte(i), read.getByte(i), "seq " + seq + " byte " + i);
                }
            }
            final long next = tier.records() + 1;
            assertTrue(tier.append(messages.buffer(), 0, messages.encode(next % 3, next)));
        }
    }
}
