package io.banter.access.client;

import io.banter.codecs.BooleanType;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.ErrorEncoder;
import io.banter.codecs.LoginResultEncoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.SyncBatchEncoder;
import io.banter.codecs.SyncDecoder;
import io.banter.codecs.framing.SimpleOpenFramingHeader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A sync the gateway refuses BUSY (it cannot reach a leader for a moment) must be asked again:
 * a client that kept waiting for its answer would never pull a change again. A scripted gateway
 * on a plain socket refuses the first two syncs and answers the third.
 */
class SyncRefusedTest
{
    private static final int LOGIN = 1;
    private static final int SYNC_REFUSALS = 2;

    @Test
    void aSyncRefusedBusyIsAskedAgainUntilAnswered() throws Exception
    {
        final AtomicInteger syncs = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final Thread gateway = new Thread(() -> script(server, syncs), "scripted-gateway");
            gateway.setDaemon(true);
            gateway.start();

            final BanterClientContext context = new BanterClientContext()
                .endpoints("127.0.0.1:" + server.getLocalPort())
                .userId(7)
                .deviceId(1)
                .token("any")
                .listener(message ->
                {
                });
            try (BanterClient client = BanterClient.connect(context))
            {
                client.online().get(10, TimeUnit.SECONDS);
                assertEquals(ClientState.ONLINE, client.state());
            }
        }
        assertEquals(SYNC_REFUSALS + 1, syncs.get());
    }

    private static void script(final ServerSocket server, final AtomicInteger syncs)
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);
        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        try (Socket socket = server.accept())
        {
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final OutputStream output = socket.getOutputStream();
            while (true)
            {
                final int frameLength = in.readInt();
                in.readShort();
                final byte[] body = new byte[frameLength - SimpleOpenFramingHeader.HEADER_LENGTH];
                in.readFully(body);
                final UnsafeBuffer request = new UnsafeBuffer(body);
                headerDecoder.wrap(request, 0);
                final int length;
                if (LOGIN == headerDecoder.templateId())
                {
                    final LoginResultEncoder result = new LoginResultEncoder()
                        .wrapAndApplyHeader(out, SimpleOpenFramingHeader.HEADER_LENGTH, headerEncoder)
                        .correlationId(1).code(ErrorCode.NONE).userId(7).deviceId(1).changeHead(0).ackedChangeSeq(0)
                        .text("");
                    length = MessageHeaderEncoder.ENCODED_LENGTH + result.encodedLength();
                }
                else if (SyncDecoder.TEMPLATE_ID == headerDecoder.templateId())
                {
                    final long correlationId = new SyncDecoder().wrap(request, MessageHeaderEncoder.ENCODED_LENGTH,
                        headerDecoder.blockLength(), headerDecoder.version()).correlationId();
                    if (syncs.incrementAndGet() <= SYNC_REFUSALS)
                    {
                        final ErrorEncoder error = new ErrorEncoder()
                            .wrapAndApplyHeader(out, SimpleOpenFramingHeader.HEADER_LENGTH, headerEncoder)
                            .correlationId(correlationId).code(ErrorCode.BUSY).requestTemplateId(SyncDecoder.TEMPLATE_ID)
                            .text("the cluster is not accepting commands; retry");
                        length = MessageHeaderEncoder.ENCODED_LENGTH + error.encodedLength();
                    }
                    else
                    {
                        final SyncBatchEncoder batch = new SyncBatchEncoder()
                            .wrapAndApplyHeader(out, SimpleOpenFramingHeader.HEADER_LENGTH, headerEncoder)
                            .correlationId(correlationId).afterChangeSeq(0).headChangeSeq(0).oldestChangeSeq(1)
                            .hasMore(BooleanType.FALSE);
                        batch.entriesCount(0);
                        length = MessageHeaderEncoder.ENCODED_LENGTH + batch.encodedLength();
                    }
                }
                else
                {
                    continue;
                }
                SimpleOpenFramingHeader.writeHeader(out, 0, length);
                output.write(out.byteArray(), 0, SimpleOpenFramingHeader.HEADER_LENGTH + length);
                output.flush();
            }
        }
        catch (final IOException ignore)
        {
            // The client closed the connection: the script is over.
        }
    }
}
