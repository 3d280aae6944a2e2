package io.banter.replica;

import io.banter.codecs.BooleanType;
import io.banter.codecs.ChangeKind;
import io.banter.codecs.CreateGroupEncoder;
import io.banter.codecs.DoneDecoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.FriendRequestEncoder;
import io.banter.codecs.FriendRespondEncoder;
import io.banter.codecs.KickedDecoder;
import io.banter.codecs.MarkReadEncoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessagePushDecoder;
import io.banter.codecs.MessageRecalledDecoder;
import io.banter.codecs.ReadReceiptDecoder;
import io.banter.codecs.ReadStateDecoder;
import io.banter.codecs.RecallEncoder;
import io.banter.codecs.ReceiptPageDecoder;
import io.banter.codecs.ReceiptQueryEncoder;
import io.banter.codecs.RelationChangedDecoder;
import io.banter.codecs.SendAckDecoder;
import io.banter.codecs.SendEncoder;
import io.banter.codecs.SendRejectedDecoder;
import io.banter.codecs.SystemEvent;
import io.banter.codecs.SystemNoticeDecoder;
import io.banter.codecs.framing.SimpleOpenFramingHeader;
import io.banter.engine.EngineContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IM domain over the real wire: raw SBE frames through the gateway into a one-member cluster
 * running the engine's default policy (direct messages between friends only), so what a client
 * of any language sees is checked byte for byte, not through the SDK.
 */
final class DomainWireTest
{
    private static final int FRAME = SimpleOpenFramingHeader.HEADER_LENGTH;

    @TempDir
    static File dataDir;

    private static TestCluster cluster;

    @BeforeAll
    static void start() throws InterruptedException
    {
        cluster = TestCluster.start(dataDir, 23_000, 1, () -> new EngineContext().hotTierEntries(100_000));
    }

    @AfterAll
    static void stop()
    {
        cluster.close();
    }

    @Test
    void friendsMessageGroupReadRecallAndAReplacedSessionIsClosed() throws Exception
    {
        final long alice = cluster.addUser("wire-alice");
        final long bob = cluster.addUser("wire-bob");
        final long carol = cluster.addUser("wire-carol");
        final int port = cluster.server(0).gateway().port();
        try (RawConnection a = new RawConnection(port);
            RawConnection b = new RawConnection(port);
            RawConnection c = new RawConnection(port))
        {
            a.login(1, alice, 11, cluster.token(alice));
            b.login(1, bob, 21, cluster.token(bob));
            c.login(1, carol, 31, cluster.token(carol));
            assertEquals(ErrorCode.NONE, a.loginResult().code());
            assertEquals(ErrorCode.NONE, b.loginResult().code());
            assertEquals(ErrorCode.NONE, c.loginResult().code());

            // Strangers: refused with the reason, and nothing reaches bob.
            send(a, 1, 0, bob, "hello stranger");
            final SendRejectedDecoder rejected = expect(a, SendRejectedDecoder.TEMPLATE_ID, new SendRejectedDecoder());
            assertEquals(ErrorCode.NOT_FRIENDS, rejected.code());

            // A friend request with a note, accepted.
            final FriendRequestEncoder request = new FriendRequestEncoder()
                .wrapAndApplyHeader(a.encodeBuffer(), FRAME, a.headerEncoder())
                .correlationId(2).toUserId(bob).note("it's alice");
            a.writeEncoded(request.limit() - FRAME);
            assertEquals(2, expect(a, DoneDecoder.TEMPLATE_ID, new DoneDecoder()).correlationId());
            final RelationChangedDecoder asked = expect(b, RelationChangedDecoder.TEMPLATE_ID, new RelationChangedDecoder());
            assertEquals(ChangeKind.FRIEND_REQUEST, asked.kind());
            assertEquals(alice, asked.userId());
            assertEquals("it's alice", asked.note());

            final FriendRespondEncoder accept = new FriendRespondEncoder()
                .wrapAndApplyHeader(b.encodeBuffer(), FRAME, b.headerEncoder())
                .correlationId(3).fromUserId(alice).accept(BooleanType.TRUE);
            b.writeEncoded(accept.limit() - FRAME);
            assertEquals(3, expect(b, DoneDecoder.TEMPLATE_ID, new DoneDecoder()).correlationId());
            assertEquals(ChangeKind.FRIEND_ACCEPTED,
                expect(a, RelationChangedDecoder.TEMPLATE_ID, new RelationChangedDecoder()).kind());

            // Friends now: the direct message goes through.
            send(a, 2, 0, bob, "hello friend");
            final SendAckDecoder ack = expect(a, SendAckDecoder.TEMPLATE_ID, new SendAckDecoder());
            final long direct = ack.conversationId();
            final long directSeq = ack.seq(); // the decoder is a flyweight over a frame buffer reused by reads
            final MessagePushDecoder push = expect(b, MessagePushDecoder.TEMPLATE_ID, new MessagePushDecoder());
            assertEquals(direct, push.conversationId());
            assertEquals("hello friend", payload(push));

            // Bob reads it: alice is told, bob learns his unread.
            final MarkReadEncoder read = new MarkReadEncoder()
                .wrapAndApplyHeader(b.encodeBuffer(), FRAME, b.headerEncoder())
                .correlationId(4).conversationId(direct).seq(directSeq);
            b.writeEncoded(read.limit() - FRAME);
            final ReadStateDecoder state = expect(b, ReadStateDecoder.TEMPLATE_ID, new ReadStateDecoder());
            assertEquals(0, state.unread());
            assertEquals(0, state.totalUnread());
            final ReadReceiptDecoder receipt = expect(a, ReadReceiptDecoder.TEMPLATE_ID, new ReadReceiptDecoder());
            assertEquals(bob, receipt.readerUserId());
            assertEquals(directSeq, receipt.readSeq());

            // Alice recalls it: bob gets the tombstone notice.
            final RecallEncoder recall = new RecallEncoder()
                .wrapAndApplyHeader(a.encodeBuffer(), FRAME, a.headerEncoder())
                .correlationId(5).conversationId(direct).seq(directSeq);
            a.writeEncoded(recall.limit() - FRAME);
            assertEquals(5, expect(a, DoneDecoder.TEMPLATE_ID, new DoneDecoder()).correlationId());
            final MessageRecalledDecoder recalled =
                expect(b, MessageRecalledDecoder.TEMPLATE_ID, new MessageRecalledDecoder());
            assertEquals(directSeq, recalled.seq());

            // A group: the creation notice is the first message; a member's message reaches everyone.
            final CreateGroupEncoder create = new CreateGroupEncoder()
                .wrapAndApplyHeader(a.encodeBuffer(), FRAME, a.headerEncoder())
                .correlationId(6).membersCanInvite(BooleanType.FALSE);
            create.membersCount(2).next().userId(bob).next().userId(carol);
            create.name("wire team");
            a.writeEncoded(create.limit() - FRAME);
            final DoneDecoder created = expect(a, DoneDecoder.TEMPLATE_ID, new DoneDecoder());
            final long group = created.conversationId();
            assertEquals(1, created.seq());
            for (final RawConnection member : new RawConnection[]{ b, c })
            {
                final MessagePushDecoder notice = expect(member, MessagePushDecoder.TEMPLATE_ID, new MessagePushDecoder());
                assertEquals(group, notice.conversationId());
                assertEquals(0xFFFF, notice.contentType());
                final UnsafeBuffer body = new UnsafeBuffer(new byte[notice.payloadLength()]);
                notice.getPayload(body, 0, body.capacity());
                final SystemNoticeDecoder decoded = new SystemNoticeDecoder().wrap(body,
                    MessageHeaderDecoder.ENCODED_LENGTH, SystemNoticeDecoder.BLOCK_LENGTH, SystemNoticeDecoder.SCHEMA_VERSION);
                assertEquals(SystemEvent.GROUP_CREATED, decoded.systemEvent());
                assertEquals(alice, decoded.actorUserId());
                assertEquals("wire team", decoded.name());
            }

            send(c, 1, group, 0, "carol here");
            assertEquals(2, expect(c, SendAckDecoder.TEMPLATE_ID, new SendAckDecoder()).seq());
            assertEquals("carol here", payload(expect(a, MessagePushDecoder.TEMPLATE_ID, new MessagePushDecoder())));
            assertEquals("carol here", payload(expect(b, MessagePushDecoder.TEMPLATE_ID, new MessagePushDecoder())));

            // Receipts for carol's message: nobody else has read it yet.
            final ReceiptQueryEncoder receipts = new ReceiptQueryEncoder()
                .wrapAndApplyHeader(c.encodeBuffer(), FRAME, c.headerEncoder())
                .correlationId(7).conversationId(group).seq(2).readers(BooleanType.FALSE).afterUserId(0).maxEntries(10);
            c.writeEncoded(receipts.limit() - FRAME);
            final ReceiptPageDecoder page = expect(c, ReceiptPageDecoder.TEMPLATE_ID, new ReceiptPageDecoder());
            assertEquals(0, page.readCount());
            assertEquals(2, page.unreadCount());

            // Bob's device logs in on another connection: the old one is told why and closed.
            try (RawConnection b2 = new RawConnection(port))
            {
                b2.login(2, bob, 21, cluster.token(bob));
                final KickedDecoder kicked = expect(b, KickedDecoder.TEMPLATE_ID, new KickedDecoder());
                assertEquals(ErrorCode.SESSION_REPLACED, kicked.code());
                assertTrue(b.closedByServer(), "the gateway closes the kicked connection");
                assertEquals(ErrorCode.NONE, b2.loginResult().code());
            }
        }
    }

    private static void send(
        final RawConnection connection, final long clientMsgId, final long conversationId, final long toUserId,
        final String text) throws IOException
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final SendEncoder send = new SendEncoder()
            .wrapAndApplyHeader(connection.encodeBuffer(), FRAME, connection.headerEncoder())
            .clientMsgId(clientMsgId).conversationId(conversationId).toUserId(toUserId).contentType(1)
            .putPayload(bytes, 0, bytes.length);
        connection.writeEncoded(send.limit() - FRAME);
    }

    /**
     * Read the connection's next frame, which must be {@code templateId}, and decode it.
     */
    @SuppressWarnings("unchecked")
    private static <T> T expect(final RawConnection connection, final int templateId, final T decoder) throws IOException
    {
        final int actual = connection.readTemplateId();
        assertEquals(templateId, actual, "next frame's template");
        final MessageHeaderDecoder header = connection.header;
        try
        {
            return (T)decoder.getClass()
                .getMethod("wrap", org.agrona.DirectBuffer.class, int.class, int.class, int.class)
                .invoke(decoder, connection.frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(),
                    header.version());
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static String payload(final MessagePushDecoder push)
    {
        final byte[] bytes = new byte[push.payloadLength()];
        push.getPayload(bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
