package io.banter.access.gateway;

import io.banter.codecs.ErrorCode;
import io.banter.codecs.ErrorDecoder;
import io.banter.codecs.HeartbeatEncoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.framing.SimpleOpenFramingHeader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real gateway over loopback against hostile clients, with no cluster behind it: everything
 * here is answered or decided by the gateway itself.
 */
final class GatewayLimitsTest
{
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();

    private final List<Socket> sockets = new ArrayList<>();
    private Gateway gateway;

    @AfterEach
    void stop() throws IOException
    {
        for (final Socket socket : sockets)
        {
            socket.close();
        }
        if (null != gateway)
        {
            gateway.close();
        }
    }

    @Test
    void aClientThatNeverReadsIsClosedOnceItsUnreadAnswersPassTheHighWaterMark() throws Exception
    {
        gateway = launch(new GatewayContext().writeBufferWaterMarks(16 * 1024, 64 * 1024)
            .requestRate(10_000_000, 10_000_000).loginTimeoutNs(TimeUnit.SECONDS.toNanos(120)));
        final Socket socket = connect(4096);
        final OutputStream out = socket.getOutputStream();
        final byte[] heartbeats = framedHeartbeats(256);

        // Heartbeats it never reads the answers to: once the kernel's buffers and the 64 KiB
        // bound are full, the gateway must close it rather than queue without limit.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean closed = false;
        while (!closed && System.nanoTime() < deadline)
        {
            try
            {
                out.write(heartbeats);
            }
            catch (final IOException ex)
            {
                closed = true;
            }
        }
        assertTrue(closed, "a non-reader was still connected after 60 s");
        assertEquals(1, gateway.counters().slowConsumerCloses());
        awaitTrue(() -> 0 == gateway.counters().connectionsOpened() - gateway.counters().connectionsClosed(),
            "the closed connection has left");
    }

    @Test
    void aConnectionThatDoesNotLogInInTimeIsClosed() throws Exception
    {
        gateway = launch(new GatewayContext().loginTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300))
            .heartbeatTimeoutNs(TimeUnit.SECONDS.toNanos(60)));
        final Socket idle = connect(0);
        idle.setSoTimeout(10_000);
        assertEquals(-1, idle.getInputStream().read(), "closed by the gateway, long before the heartbeat timeout");
        assertEquals(1, gateway.counters().loginTimeouts());
        assertEquals(0, gateway.counters().heartbeatTimeouts());
    }

    @Test
    void connectionsPastTheLimitAreRefusedBusyAndClosed() throws Exception
    {
        gateway = launch(new GatewayContext().maxConnections(3).heartbeatTimeoutNs(TimeUnit.SECONDS.toNanos(60)));
        for (int i = 0; i < 3; i++)
        {
            connect(0);
        }
        awaitTrue(() -> 3 == gateway.counters().connectionsOpened(), "three admitted");
        final Socket refused = connect(0);
        refused.setSoTimeout(10_000);
        final DataInputStream in = new DataInputStream(refused.getInputStream());
        final ErrorDecoder error = readError(in);
        assertEquals(ErrorCode.BUSY, error.code());
        final String reason = error.text();
        assertTrue(reason.contains("maximum of 3 connections"), reason);
        assertEquals(-1, in.read(), "and closed");
        assertEquals(1, gateway.counters().refusedConnections());
    }

    @Test
    void aStormOfConnectionsIsAcceptedAtTheAcceptRate() throws Exception
    {
        gateway = launch(new GatewayContext().maxAcceptsPerSecond(20).heartbeatTimeoutNs(TimeUnit.SECONDS.toNanos(60)));
        final long start = System.nanoTime();
        for (int i = 0; i < 50; i++)
        {
            connect(0);
        }
        awaitTrue(() -> 50 == gateway.counters().connectionsOpened(), "all 50 accepted");
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // Two a window of 100 ms: the 50th cannot be accepted before about 2.4 s.
        assertTrue(elapsedMs >= 2_000, "50 connections accepted in " + elapsedMs + " ms at 20 a second");
        assertTrue(gateway.counters().acceptPauses() >= 20);
    }

    @Test
    void aConnectionSendingPastItsRateIsServedAtItsRate() throws Exception
    {
        gateway = launch(new GatewayContext().requestRate(100, 20));
        final Socket socket = connect(0);
        socket.setSoTimeout(20_000);
        final DataInputStream in = new DataInputStream(socket.getInputStream());
        final long start = System.nanoTime();
        final int frames = 220;
        socket.getOutputStream().write(framedHeartbeats(frames));
        for (int i = 0; i < frames; i++)
        {
            readFrame(in);
        }
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // 20 at once, then 100 a second: the last answer cannot come before about 2 s.
        assertTrue(elapsedMs >= 1_800, "220 frames answered in " + elapsedMs + " ms at 100 a second");
        assertTrue(gateway.counters().rateLimitPauses() >= 1);
    }

    @Test
    void aConnectionPastItsRateIsNotReadSoItsSenderBlocks() throws Exception
    {
        gateway = launch(new GatewayContext().requestRate(100, 100));
        final Socket socket = connect(4096);
        final byte[] heartbeats = framedHeartbeats(4096);
        final AtomicLong written = new AtomicLong();
        final Thread writer = new Thread(() ->
        {
            try
            {
                while (written.get() < 256L * 1024 * 1024)
                {
                    socket.getOutputStream().write(heartbeats);
                    written.addAndGet(heartbeats.length);
                }
            }
            catch (final IOException closed)
            {
                // The test ended.
            }
        }, "flooder");
        writer.setDaemon(true);
        writer.start();

        // Once the kernel's buffers are full (a few MiB) the gateway must stop reading: a gateway
        // that went on reading would take hundreds of MiB from this sender in these seconds.
        awaitTrue(() -> gateway.counters().rateLimitPauses() >= 1, "the rate limit applies");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline)
        {
            Thread.sleep(50);
        }
        assertTrue(written.get() < 32L * 1024 * 1024, written.get() + " bytes taken from a sender at 100 frames/s");
        socket.close();
    }

    private Gateway launch(final GatewayContext context)
    {
        // No cluster listens there: the gateway answers what these tests send by itself.
        return Gateway.launch(context.secret(SECRET).port(0).ingressEndpoints("0=localhost:46001"));
    }

    private Socket connect(final int receiveBufferSize) throws IOException
    {
        final Socket socket = new Socket();
        if (receiveBufferSize > 0)
        {
            socket.setReceiveBufferSize(receiveBufferSize);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
        sockets.add(socket);
        return socket;
    }

    private static byte[] framedHeartbeats(final int count)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final HeartbeatEncoder heartbeat = new HeartbeatEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).nonce(7);
        final int length = heartbeat.limit();
        final int frameLength = SimpleOpenFramingHeader.HEADER_LENGTH + length;
        final ByteBuffer frames = ByteBuffer.allocate(frameLength * count).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < count; i++)
        {
            frames.putInt(frameLength).putShort((short)SimpleOpenFramingHeader.SBE_LITTLE_ENDIAN_ENCODING_TYPE);
            frames.put(buffer.byteArray(), 0, length);
        }
        return frames.array();
    }

    private static byte[] readFrame(final DataInputStream in) throws IOException
    {
        final int frameLength = in.readInt();
        in.readShort();
        final byte[] message = new byte[frameLength - SimpleOpenFramingHeader.HEADER_LENGTH];
        in.readFully(message);
        return message;
    }

    private static ErrorDecoder readError(final DataInputStream in) throws IOException
    {
        final UnsafeBuffer message = new UnsafeBuffer(readFrame(in));
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(message, 0);
        assertEquals(ErrorDecoder.TEMPLATE_ID, header.templateId());
        return new ErrorDecoder().wrap(message, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
    }

    private static void awaitTrue(final java.util.function.BooleanSupplier condition, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

}
