package io.banter.perf.baseline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The baseline's Redis reply reader: answers, errors and pub/sub messages, whole or split
 * anywhere across reads, and the commands it writes.
 */
final class RespReaderTest
{
    private final List<String> seen = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new RespReader(new RespReader.Listener()
    {
        public void onAnswer(final boolean error)
        {
            seen.add(error ? "error" : "answer");
        }

        public void onPubSubMessage(final ByteBuf buffer, final int payloadIndex, final int payloadLength)
        {
            seen.add("message:" + buffer.toString(payloadIndex, payloadLength, StandardCharsets.US_ASCII));
        }
    }));

    @Test
    void answersErrorsSubscriptionsAndMessagesAreTold()
    {
        write(":1\r\n+OK\r\n-ERR wrong type\r\n" +
            "*3\r\n$9\r\nsubscribe\r\n$6\r\nuser:1\r\n:1\r\n" +
            "*3\r\n$7\r\nmessage\r\n$6\r\nuser:1\r\n$5\r\nhello\r\n" +
            "$-1\r\n");
        assertEquals(List.of("answer", "answer", "error", "answer", "message:hello", "answer"), seen);
    }

    @Test
    void aReplySplitAtEveryByteIsToldOnceWhenComplete()
    {
        final String stream = "*3\r\n$7\r\nmessage\r\n$6\r\nuser:2\r\n$4\r\nab\r\n\r\n:7\r\n";
        for (int i = 0; i < stream.length(); i++)
        {
            write(stream.substring(i, i + 1));
            final int lastByteOfMessage = stream.indexOf(":7") - 1;
            if (i < lastByteOfMessage)
            {
                assertEquals(List.of(), seen, "nothing before the message is complete, at byte " + i);
            }
            else if (i < stream.length() - 1)
            {
                assertEquals(List.of("message:ab\r\n"), seen, "a binary payload containing CRLF is read whole");
            }
        }
        assertEquals(List.of("message:ab\r\n", "answer"), seen);
    }

    @Test
    void commandsAreWrittenAsArraysOfBulkStrings()
    {
        final ByteBuf out = Unpooled.buffer();
        RespWriter.command(out, "ZADD".getBytes(), "queue:1".getBytes(), "5".getBytes(), "5".getBytes());
        assertEquals("*4\r\n$4\r\nZADD\r\n$7\r\nqueue:1\r\n$1\r\n5\r\n$1\r\n5\r\n", out.toString(StandardCharsets.US_ASCII));
        out.release();
    }

    private void write(final String text)
    {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }
}
