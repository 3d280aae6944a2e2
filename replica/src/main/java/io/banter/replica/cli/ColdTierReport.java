package io.banter.replica.cli;

import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.StoredMessageDecoder;
import io.banter.journal.cold.ColdRecovery;
import io.banter.journal.cold.ColdTier;
import io.banter.journal.cold.ColdTierContext;
import io.banter.replica.node.NodeContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code banter journal cold}: a member's cold tier opened read-only, summarised, and a page of
 * one conversation printed.
 */
final class ColdTierReport
{
    private static final int TEXT_SHOWN = 60;

    private ColdTierReport()
    {
    }

    static int print(
        final NodeContext node, final long conversationId, final long beforeSeq, final int limit, final PrintStream out)
    {
        try (ColdTier tier = ColdTier.open(new ColdTierContext().directory(node.coldTierDir().toPath()).readOnly(true)))
        {
            final ColdRecovery recovery = tier.recovery();
            out.printf("member %d cold tier in %s: %d segments, %d records, %d conversations%n", node.memberId(),
                node.coldTierDir(), recovery.segments(), tier.records(), tier.conversationCount());
            if (recovery.tornBytes() > 0)
            {
                out.printf("  %d bytes at the end not (yet) a whole record: a write going on, or torn by a crash%n",
                    recovery.tornBytes());
            }
            if (recovery.corruptRecords() > 0 || recovery.corruptSegments() > 0)
            {
                out.printf("  DAMAGED: %d records failed their checksum, %d segments have broken framing; " +
                    "they are not served (the replicated log can write them again)%n",
                    recovery.corruptRecords(), recovery.corruptSegments());
            }
            if (0 != conversationId)
            {
                printPage(tier, conversationId, beforeSeq, limit, out);
            }
            return recovery.corruptRecords() > 0 || recovery.corruptSegments() > 0 ? 1 : 0;
        }
    }

    private static void printPage(
        final ColdTier tier, final long conversationId, final long beforeSeq, final int limit, final PrintStream out)
    {
        out.printf("conversation %d, newest first%s (highest seq held %d):%n", conversationId,
            0 == beforeSeq ? "" : " before seq " + beforeSeq, tier.highestSeq(conversationId));
        out.println("       seq           messageId              sender  timestamp      flags  text");
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final StoredMessageDecoder stored = new StoredMessageDecoder();
        final int printed = tier.page(conversationId, beforeSeq, limit, new UnsafeBuffer(new byte[128 * 1024]),
            (seq, buffer, offset, length) ->
            {
                header.wrap(buffer, offset);
                stored.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                    header.version());
                final byte[] body = new byte[stored.payloadLength()];
                stored.getPayload(body, 0, body.length);
                String text = new String(body, StandardCharsets.UTF_8).replace('\n', ' ');
                if (text.length() > TEXT_SHOWN)
                {
                    text = text.substring(0, TEXT_SHOWN) + "…";
                }
                out.printf("%10d %19d %19d %10d %10s  %s%n", seq, stored.messageId(), stored.senderUserId(),
                    stored.timestamp(), 0 == (stored.flags() & 1) ? "" : "recalled", text);
            });
        out.println(printed + " messages");
    }
}
