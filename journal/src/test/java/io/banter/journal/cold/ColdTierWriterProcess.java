package io.banter.journal.cold;

import java.nio.file.Path;

/**
 * The child process of {@link ColdTierCrashTest}: appends messages to a cold tier without end,
 * flushing every ten and saying after each flush how many are on disk, until it is killed.
 */
public final class ColdTierWriterProcess
{
    public static void main(final String[] args)
    {
        final ColdTierContext context = new ColdTierContext().directory(Path.of(args[0]))
            .segmentBytes(Long.parseLong(args[1])).maxMessageBytes(1024);
        final StoredMessages messages = new StoredMessages();
        final ColdTier tier = ColdTier.open(context);
        for (long seq = 1; ; seq++)
        {
            tier.append(messages.buffer(), 0, messages.encode(seq % 3, seq));
            if (0 == seq % 10)
            {
                tier.flush();
                System.out.println("flushed " + seq);
                System.out.flush();
            }
        }
    }
}
