package io.banter.journal.cold;

import io.banter.codecs.ConnectionDeliveryDecoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.ErrorDecoder;
import io.banter.codecs.HistoryBatchDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.engine.EngineContext;
import io.banter.engine.store.ChronicleMessageStore;
import io.banter.engine.store.HistoryArchive;
import io.banter.engine.store.MessageStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History pages below the hot window, answered from the cold tier on the writer's thread and
 * sent by the service thread: the page a request asks for, newest first, encoded as the engine
 * encodes a hot page; a page of a conversation the tier does not hold is refused by name; a
 * member that does not answer (a follower) reads nothing.
 */
class ColdHistoryPagesTest
{
    private static final long GATEWAY = 9;
    private static final long CONNECTION = 44;

    @TempDir
    Path directory;

    private final StoredMessages messages = new StoredMessages();
    private final List<byte[]> replies = new ArrayList<>();

    @Test
    void aPageBelowTheHotWindowIsReadFromTheColdTierNewestFirst() throws Exception
    {
        try (ColdTierHost host = ColdTierHost.start(context()))
        {
            final EngineContext engineContext = new EngineContext();
            final MessageStore store = host.wrap(new ChronicleMessageStore(1_000, 256, 4096));
            final HistoryArchive archive = host.historyArchive(engineContext, () -> true);
            for (long seq = 1; seq <= 100; seq++)
            {
                store.put(5, seq, messages.buffer(), 0, messages.encode(5, seq));
            }

            archive.requestPage(GATEWAY, CONNECTION, 77, 5, 41, 15, 100);
            final HistoryBatchDecoder batch = awaitReply(host, HistoryBatchDecoder.TEMPLATE_ID, new HistoryBatchDecoder());
            assertEquals(77, batch.correlationId());
            assertEquals(5, batch.conversationId());
            assertEquals(100, batch.headSeq(), "the head the engine reported");
            final HistoryBatchDecoder.MessagesDecoder page = batch.messages();
            assertEquals(15, page.count());
            long seq = 40;
            for (final HistoryBatchDecoder.MessagesDecoder message : page)
            {
                assertEquals(seq, message.seq());
                assertEquals(5_000_000 + seq, message.messageId());
                final byte[] payload = new byte[message.payloadLength()];
                message.getPayload(payload, 0, payload.length);
                assertArrayEquals(expectedPayload(5, seq), payload);
                seq--;
            }
            assertEquals(io.banter.codecs.BooleanType.TRUE, batch.hasMore(), "seqs 25..1 are left");

            replies.clear();
            archive.requestPage(GATEWAY, CONNECTION, 78, 5, 3, 15, 100);
            final HistoryBatchDecoder last = awaitReply(host, HistoryBatchDecoder.TEMPLATE_ID, new HistoryBatchDecoder());
            assertEquals(2, last.messages().count());
            assertEquals(io.banter.codecs.BooleanType.FALSE, last.hasMore());
        }
    }

    @Test
    void aPageTheColdTierDoesNotHoldIsRefusedByName() throws Exception
    {
        try (ColdTierHost host = ColdTierHost.start(context()))
        {
            host.wrap(new ChronicleMessageStore(1_000, 256, 4096));
            final HistoryArchive archive = host.historyArchive(new EngineContext(), () -> true);
            archive.requestPage(GATEWAY, CONNECTION, 79, 6, 10, 15, 12);
            final ErrorDecoder error = awaitReply(host, ErrorDecoder.TEMPLATE_ID, new ErrorDecoder());
            assertEquals(79, error.correlationId());
            assertEquals(ErrorCode.ARCHIVED, error.code());
            final String text = error.text();
            assertTrue(text.contains("message 9 of conversation 6 is not in this member's cold tier"), text);
        }
    }

    @Test
    void aMemberThatDoesNotAnswerReadsNothing() throws Exception
    {
        try (ColdTierHost host = ColdTierHost.start(context()))
        {
            final MessageStore store = host.wrap(new ChronicleMessageStore(1_000, 256, 4096));
            final HistoryArchive archive = host.historyArchive(new EngineContext(), () -> false);
            store.put(5, 1, messages.buffer(), 0, messages.encode(5, 1));
            archive.requestPage(GATEWAY, CONNECTION, 80, 5, 2, 15, 1);
            host.awaitDurable();
            Thread.sleep(100);
            assertEquals(0, host.pollReplies((gatewayId, buffer, offset, length) -> replies.add(new byte[0])));
        }
    }

    private byte[] expectedPayload(final long conversationId, final long seq)
    {
        final int length = (int)((conversationId * 31 + seq * 7) % 200) + 1;
        final byte[] payload = new byte[length];
        for (int i = 0; i < length; i++)
        {
            payload[i] = (byte)(conversationId + seq + i);
        }
        return payload;
    }

    /**
     * Poll the host as the service thread does until one reply arrives; unwrap its delivery to
     * the client message of {@code templateId}.
     */
    private <T> T awaitReply(final ColdTierHost host, final int templateId, final T decoder) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (replies.isEmpty())
        {
            host.pollReplies((gatewayId, buffer, offset, length) ->
            {
                assertEquals(GATEWAY, gatewayId);
                final byte[] event = new byte[length];
                buffer.getBytes(offset, event);
                return replies.add(event);
            });
            assertTrue(System.nanoTime() < deadline, "no reply");
            Thread.sleep(1);
        }
        assertEquals(1, replies.size());
        final UnsafeBuffer event = new UnsafeBuffer(replies.get(0));
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(event, 0);
        final ConnectionDeliveryDecoder delivery = new ConnectionDeliveryDecoder().wrap(event,
            MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        final ConnectionDeliveryDecoder.ConnectionsDecoder connections = delivery.connections();
        assertEquals(1, connections.count());
        assertEquals(CONNECTION, connections.next().connectionId());
        final byte[] message = new byte[delivery.messageLength()];
        delivery.getMessage(message, 0, message.length);
        final UnsafeBuffer client = new UnsafeBuffer(message);
        header.wrap(client, 0);
        assertEquals(templateId, header.templateId());
        if (decoder instanceof HistoryBatchDecoder history)
        {
            history.wrap(client, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        }
        else
        {
            ((ErrorDecoder)decoder).wrap(client, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                header.version());
        }
        return decoder;
    }

    private ColdTierContext context()
    {
        return new ColdTierContext().directory(directory).segmentBytes(256 * 1024).maxMessageBytes(1024);
    }
}
