package io.banter.access.client;

import io.banter.codecs.BooleanType;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.LoginDecoder;
import io.banter.codecs.LoginResultEncoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.SendDecoder;
import io.banter.codecs.SendRejectedEncoder;
import io.banter.codecs.SyncBatchEncoder;
import io.banter.codecs.SyncDecoder;
import io.banter.codecs.framing.SimpleOpenFramingHeader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the server refuses for good is never resent, and what it could never take is never
 * written. A scripted gateway on a plain socket logs the client in, then refuses every send with
 * the code its text names, counting what arrives; like the real gateway it closes the connection
 * on a frame over 8 KiB.
 */
final class SendRefusalTest
{
    private static final int WAIT_S = 10;
    private static final int MAX_FRAME = 8 * 1024;
    /** Refusals a client may answer by sending again: a pause, a lost login, a leader change. */
    private static final EnumSet<ErrorCode> TRANSIENT =
        EnumSet.of(ErrorCode.BUSY, ErrorCode.NOT_LOGGED_IN, ErrorCode.STALE_CLIENT_MSG_ID);

    private final Map<String, List<Long>> sendsByText = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger oversizedFrames = new AtomicInteger();
    private final List<ClientState> states = new ArrayList<>();
    private ServerSocket server;
    private BanterClient client;

    @BeforeEach
    void start() throws IOException
    {
        server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        final Thread gateway = new Thread(this::serve, "scripted-gateway");
        gateway.setDaemon(true);
        gateway.start();
        final BanterClientContext context = new BanterClientContext()
            .endpoints("127.0.0.1:" + server.getLocalPort())
            .userId(7)
            .deviceId(1)
            .token("any")
            .reconnectBackoff(TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.MILLISECONDS.toNanos(20))
            .listener(new MessageListener()
            {
                public void onMessage(final ChatMessage message)
                {
                }

                public void onStateChange(final ClientState state, final String reason)
                {
                    synchronized (states)
                    {
                        states.add(state);
                    }
                }
            });
        client = BanterClient.connect(context).awaitOnline(WAIT_S, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws IOException
    {
        client.close();
        server.close();
    }

    @Test
    void aSendRefusedForGoodFailsWithItsCodeAndIsSentOnce() throws Exception
    {
        final List<ErrorCode> permanent = new ArrayList<>();
        for (final ErrorCode code : ErrorCode.values())
        {
            if (ErrorCode.NONE != code && ErrorCode.NULL_VAL != code && !TRANSIENT.contains(code))
            {
                permanent.add(code);
            }
        }
        final List<CompletableFuture<SendReceipt>> receipts = new ArrayList<>();
        for (final ErrorCode code : permanent)
        {
            receipts.add(client.send(0, 8, 1, code.name().getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < permanent.size(); i++)
        {
            assertEquals(permanent.get(i), refusal(receipts.get(i)).code());
        }
        // One message more, refused like the rest: everything before it has been answered, and
        // none of the refused ones was written again before it.
        refusal(client.send(0, 8, 1, "UNKNOWN_USER".getBytes(StandardCharsets.UTF_8)));
        for (final ErrorCode code : permanent)
        {
            final int expected = ErrorCode.UNKNOWN_USER == code ? 2 : 1;
            assertEquals(expected, sendsByText.get(code.name()).size(), code + " was sent again");
        }
    }

    @Test
    void aSendStaleAgainAfterANewIdFailsInsteadOfCountingUpForever() throws Exception
    {
        final BanterException stale = refusal(client.send(0, 8, 1,
            "STALE_CLIENT_MSG_ID".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.STALE_CLIENT_MSG_ID, stale.code());
        final List<Long> ids = sendsByText.get("STALE_CLIENT_MSG_ID");
        assertEquals(2, ids.size(), "sent, then once more with a new clientMsgId: " + ids);
        assertNotEquals(ids.get(0), ids.get(1));
    }

    @Test
    void whatTheServerCouldNeverTakeIsRefusedAtSendAndNeverWritten() throws Exception
    {
        // Over the engine's payload maximum (4096 bytes): refused at once, as the engine would.
        final CompletableFuture<SendReceipt> overPayload = client.send(0, 8, 1, new byte[5_000]);
        assertTrue(overPayload.isCompletedExceptionally(), "refused in send itself");
        final BanterException payload = refusal(overPayload);
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, payload.code());
        assertTrue(payload.getMessage().contains("5000 bytes exceeds the maximum of 4096"), payload.getMessage());

        // Far over the gateway's frame maximum (8 KiB): the gateway would close the connection,
        // and the resend after every reconnect would close the next one too.
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, refusal(client.send(0, 8, 1, new byte[16_000])).code());
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, refusal(client.send(0, 8, 1, new byte[200_000])).code());

        // A request whose frame would be over the maximum, or does not fit an encoding at all.
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, refusal(client.requestFriend(8, "n".repeat(10_000))).code());
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, refusal(client.requestFriend(8, "n".repeat(70_000))).code());

        // The connection was never dropped, and the client still sends.
        assertEquals(ErrorCode.UNKNOWN_USER,
            refusal(client.send(0, 8, 1, "UNKNOWN_USER".getBytes(StandardCharsets.UTF_8))).code());
        assertEquals(0, oversizedFrames.get());
        assertEquals(1, connections.get());
        synchronized (states)
        {
            assertTrue(!states.contains(ClientState.DISCONNECTED), "no reconnect: " + states);
        }
    }

    @Test
    void aServerWithOtherLimitsIsMetWithThoseLimits() throws Exception
    {
        // A client told the payload limit is larger than its frame allows still never writes the frame.
        final BanterClientContext context = new BanterClientContext()
            .endpoints("127.0.0.1:1").userId(7).deviceId(2).token("any").maxPayloadLength(60_000);
        try (BanterClient offline = BanterClient.connect(context))
        {
            final BanterException frame = refusal(offline.send(0, 8, 1, new byte[10_000]));
            assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, frame.code());
            assertTrue(frame.getMessage().contains("maximum frame of 8192 bytes"), frame.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> new BanterClientContext()
            .endpoints("127.0.0.1:1").userId(7).deviceId(2).token("any").maxFrameLength(1 << 20).conclude());
    }

    private static BanterException refusal(final CompletableFuture<?> future) throws Exception
    {
        final ExecutionException failed = assertThrows(ExecutionException.class,
            () -> future.get(WAIT_S, TimeUnit.SECONDS));
        return assertInstanceOf(BanterException.class, failed.getCause());
    }

    private void serve()
    {
        while (!server.isClosed())
        {
            try (Socket socket = server.accept())
            {
                connections.incrementAndGet();
                script(socket);
            }
            catch (final IOException ignore)
            {
                // The client or the test closed it: wait for the next connection.
            }
        }
    }

    private void script(final Socket socket) throws IOException
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        final DataInputStream in = new DataInputStream(socket.getInputStream());
        final OutputStream output = socket.getOutputStream();
        final int body = SimpleOpenFramingHeader.HEADER_LENGTH;
        final int sbeHeader = MessageHeaderEncoder.ENCODED_LENGTH;
        while (true)
        {
            final int frameLength = in.readInt();
            in.readShort();
            if (frameLength > MAX_FRAME)
            {
                oversizedFrames.incrementAndGet();
                return; // as the gateway's SofhFrameDecoder does: the connection is closed
            }
            final byte[] frame = new byte[frameLength - body];
            in.readFully(frame);
            final UnsafeBuffer request = new UnsafeBuffer(frame);
            headerDecoder.wrap(request, 0);
            final int length;
            switch (headerDecoder.templateId())
            {
                case LoginDecoder.TEMPLATE_ID:
                {
                    final long correlationId = new LoginDecoder().wrap(request, sbeHeader, headerDecoder.blockLength(),
                        headerDecoder.version()).correlationId();
                    length = sbeHeader + new LoginResultEncoder().wrapAndApplyHeader(out, body, headerEncoder)
                        .correlationId(correlationId).code(ErrorCode.NONE).userId(7).deviceId(1).changeHead(0)
                        .ackedChangeSeq(0).text("").encodedLength();
                    break;
                }
                case SyncDecoder.TEMPLATE_ID:
                {
                    final long correlationId = new SyncDecoder().wrap(request, sbeHeader, headerDecoder.blockLength(),
                        headerDecoder.version()).correlationId();
                    final SyncBatchEncoder batch = new SyncBatchEncoder().wrapAndApplyHeader(out, body, headerEncoder)
                        .correlationId(correlationId).afterChangeSeq(0).headChangeSeq(0).oldestChangeSeq(1)
                        .hasMore(BooleanType.FALSE);
                    batch.entriesCount(0);
                    length = sbeHeader + batch.encodedLength();
                    break;
                }
                case SendDecoder.TEMPLATE_ID:
                {
                    final SendDecoder send = new SendDecoder().wrap(request, sbeHeader, headerDecoder.blockLength(),
                        headerDecoder.version());
                    final long clientMsgId = send.clientMsgId();
                    final byte[] payload = new byte[send.payloadLength()];
                    send.getPayload(payload, 0, payload.length);
                    final String text = new String(payload, StandardCharsets.UTF_8);
                    sendsByText.computeIfAbsent(text, key -> new ArrayList<>()).add(clientMsgId);
                    length = sbeHeader + new SendRejectedEncoder().wrapAndApplyHeader(out, body, headerEncoder)
                        .clientMsgId(clientMsgId).conversationId(0).code(ErrorCode.valueOf(text))
                        .text("refused by the script").encodedLength();
                    break;
                }
                default:
                    continue;
            }
            SimpleOpenFramingHeader.writeHeader(out, 0, length);
            output.write(out.byteArray(), 0, body + length);
            output.flush();
        }
    }
}
