package io.banter.replica;

import io.banter.access.client.BanterClient;
import io.banter.access.client.BanterException;
import io.banter.access.client.BanterClientContext;
import io.banter.access.client.ClientState;
import io.banter.access.client.Presence;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.ErrorDecoder;
import io.banter.codecs.HeartbeatDecoder;
import io.banter.codecs.HeartbeatEncoder;
import io.banter.codecs.LoginResultDecoder;
import io.banter.codecs.RegisterUserEncoder;
import io.banter.codecs.SendDecoder;
import io.banter.codecs.SendRejectedDecoder;
import io.banter.codecs.framing.SimpleOpenFramingHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the gateway refuses, and that a refusal touches only the connection that earned it.
 */
final class GatewayTest
{
    private static final AtomicLong NAMES = new AtomicLong();

    @TempDir
    static File dataDir;

    private static TestCluster cluster;

    @BeforeAll
    static void start() throws InterruptedException
    {
        cluster = TestCluster.start(dataDir, 22_000, 1);
    }

    @AfterAll
    static void stop()
    {
        cluster.close();
    }

    private static int port()
    {
        return cluster.server(0).gateway().port();
    }

    @Test
    void malformedAndOversizedFramesCloseOnlyTheirConnection() throws Exception
    {
        final long alice = cluster.addUser("alice" + NAMES.incrementAndGet());
        final long bob = cluster.addUser("bob" + NAMES.incrementAndGet());
        final RecordingListener bobInbox = new RecordingListener();
        final BanterClient aliceClient = cluster.onlineClient(alice, 1, new RecordingListener());
        final BanterClient bobClient = cluster.onlineClient(bob, 1, bobInbox);
        aliceClient.sendText(bob, "before").get(10, TimeUnit.SECONDS);
        final long malformedBefore = cluster.server(0).gateway().counters().malformedFrames();

        try (RawConnection badEncoding = new RawConnection(port());
            RawConnection oversized = new RawConnection(port());
            RawConnection tooShort = new RawConnection(port()))
        {
            badEncoding.writeBytes(frameHeader(20, 0x1234));
            oversized.writeBytes(frameHeader(10_000_000, SimpleOpenFramingHeader.SBE_LITTLE_ENDIAN_ENCODING_TYPE));
            tooShort.writeBytes(frameHeader(7, SimpleOpenFramingHeader.SBE_LITTLE_ENDIAN_ENCODING_TYPE));
            assertTrue(badEncoding.closedByServer(), "wrong encoding type closes the connection");
            assertTrue(oversized.closedByServer(), "a frame above the maximum closes the connection");
            assertTrue(tooShort.closedByServer(), "a frame shorter than an SBE header closes the connection");
        }
        assertEquals(malformedBefore + 3, cluster.server(0).gateway().counters().malformedFrames());

        aliceClient.sendText(bob, "after").get(10, TimeUnit.SECONDS);
        bobClient.sendText(alice, "still here").get(10, TimeUnit.SECONDS);
        final var received = bobInbox.awaitCount(2, 10, TimeUnit.SECONDS);
        assertEquals("before", received.get(0).text());
        assertEquals("after", received.get(1).text());
        assertEquals(ClientState.ONLINE, aliceClient.state());
        assertEquals(ClientState.ONLINE, bobClient.state());
    }

    @Test
    void requestsAClientMayNotSendAreRefusedAndTheConnectionStays() throws Exception
    {
        try (RawConnection raw = new RawConnection(port()))
        {
            final RegisterUserEncoder forged = new RegisterUserEncoder()
                .wrapAndApplyHeader(raw.encodeBuffer(), SimpleOpenFramingHeader.HEADER_LENGTH, raw.headerEncoder())
                .correlationId(1).userId(666).name("mallory");
            raw.writeEncoded(forged.limit() - SimpleOpenFramingHeader.HEADER_LENGTH);
            final ErrorDecoder unknown = raw.error();
            assertEquals(ErrorCode.UNKNOWN_TEMPLATE, unknown.code());
            assertEquals(RegisterUserEncoder.TEMPLATE_ID, unknown.requestTemplateId());

            // Before a valid login the gateway answers a request itself: nothing reaches the log.
            raw.headerEncoder().wrap(raw.encodeBuffer(), SimpleOpenFramingHeader.HEADER_LENGTH)
                .blockLength(SendDecoder.BLOCK_LENGTH).templateId(SendDecoder.TEMPLATE_ID)
                .schemaId(SendDecoder.SCHEMA_ID).version(SendDecoder.SCHEMA_VERSION);
            raw.writeEncoded(8);
            assertEquals(SendRejectedDecoder.TEMPLATE_ID, raw.readTemplateId(), "refused before it reaches the log");

            final long carol = cluster.addUser("carol" + NAMES.incrementAndGet());
            raw.login(2, carol, 1, cluster.token(carol));
            assertEquals(ErrorCode.NONE, raw.loginResult().code());

            // Logged in, a Send that is only an SBE header reaches the engine, which says why it is refused.
            raw.headerEncoder().wrap(raw.encodeBuffer(), SimpleOpenFramingHeader.HEADER_LENGTH)
                .blockLength(SendDecoder.BLOCK_LENGTH).templateId(SendDecoder.TEMPLATE_ID)
                .schemaId(SendDecoder.SCHEMA_ID).version(SendDecoder.SCHEMA_VERSION);
            raw.writeEncoded(8);
            final ErrorDecoder malformed = raw.error();
            assertEquals(ErrorCode.MALFORMED, malformed.code());
            assertEquals(SendDecoder.TEMPLATE_ID, malformed.requestTemplateId());

            final HeartbeatEncoder heartbeat = new HeartbeatEncoder()
                .wrapAndApplyHeader(raw.encodeBuffer(), SimpleOpenFramingHeader.HEADER_LENGTH, raw.headerEncoder())
                .nonce(42);
            raw.writeEncoded(heartbeat.limit() - SimpleOpenFramingHeader.HEADER_LENGTH);
            assertEquals(HeartbeatDecoder.TEMPLATE_ID, raw.readTemplateId(), "the connection still serves");
            assertEquals(42, raw.frame.getLong(8));
        }
        assertEquals(0, (long)cluster.inspect(0, engine -> engine.state().userIdByName("mallory")));
    }

    @Test
    void badTokensAreRefusedWithTheirReason() throws Exception
    {
        final long carol = cluster.addUser("carol" + NAMES.incrementAndGet());
        final long dave = cluster.addUser("dave" + NAMES.incrementAndGet());

        assertRefused(cluster.clientContext(carol, 1, new RecordingListener()).token(cluster.token(dave)),
            ErrorCode.BAD_TOKEN);
        assertRefused(cluster.clientContext(carol, 1, new RecordingListener()).token("not-a-token"),
            ErrorCode.BAD_TOKEN);
        final String expired = new io.banter.access.auth.TokenAuthority(TestCluster.SECRET)
            .issue(carol, System.currentTimeMillis() - 1);
        assertRefused(cluster.clientContext(carol, 1, new RecordingListener()).token(expired), ErrorCode.TOKEN_EXPIRED);
        final String forged = new io.banter.access.auth.TokenAuthority("another-secret-0123456789".getBytes())
            .issue(carol, System.currentTimeMillis() + 60_000);
        assertRefused(cluster.clientContext(carol, 1, new RecordingListener()).token(forged), ErrorCode.BAD_TOKEN);

        // A well-signed token for a user the engine does not know: the engine refuses.
        final long ghost = 987_654_321L;
        assertRefused(cluster.clientContext(ghost, 1, new RecordingListener()).token(cluster.token(ghost)),
            ErrorCode.UNKNOWN_USER);

        try (RawConnection raw = new RawConnection(port()))
        {
            raw.login(77, carol, 3, "garbage");
            final LoginResultDecoder result = raw.loginResult();
            assertEquals(77, result.correlationId());
            assertEquals(ErrorCode.BAD_TOKEN, result.code());
            assertFalse(result.text().isEmpty());
        }
        final BanterClient carolClient = cluster.onlineClient(carol, 1, new RecordingListener());
        final Presence nobodyElse = carolClient.presence(carol).get(10, TimeUnit.SECONDS);
        assertEquals(1, nobodyElse.onlineDevices(), "refused logins left no device online");
    }

    @Test
    void aConnectionThatMissesHeartbeatsIsClosedAndReportedOffline() throws Exception
    {
        final long erin = cluster.addUser("erin" + NAMES.incrementAndGet());
        final long frank = cluster.addUser("frank" + NAMES.incrementAndGet());
        final BanterClient frankClient = cluster.onlineClient(frank, 1, new RecordingListener());
        final long timeoutsBefore = cluster.server(0).gateway().counters().heartbeatTimeouts();
        try (RawConnection silent = new RawConnection(port()))
        {
            silent.login(1, erin, 5, cluster.token(erin));
            assertEquals(ErrorCode.NONE, silent.loginResult().code());
            assertTrue(frankClient.presence(erin).get(10, TimeUnit.SECONDS).online());

            assertTrue(silent.closedByServer(), "closed after the 2 s heartbeat timeout");
        }
        assertEquals(timeoutsBefore + 1, cluster.server(0).gateway().counters().heartbeatTimeouts());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (frankClient.presence(erin).get(10, TimeUnit.SECONDS).online())
        {
            assertTrue(System.nanoTime() < deadline, "erin reported offline");
            Thread.sleep(50);
        }
        assertEquals(ClientState.ONLINE, frankClient.state(), "a client that heartbeats stays connected");
    }

    private static void assertRefused(final BanterClientContext context, final ErrorCode expected)
    {
        final BanterClient client = cluster.client(context);
        final ExecutionException failure = assertThrows(ExecutionException.class,
            () -> client.online().get(10, TimeUnit.SECONDS));
        final BanterException refusal = assertInstanceOf(BanterException.class, failure.getCause());
        assertEquals(expected, refusal.code());
        assertEquals(ClientState.CLOSED, client.state(), "a refused login is not retried");
    }

    private static byte[] frameHeader(final int length, final int encodingType)
    {
        return ByteBuffer.allocate(SimpleOpenFramingHeader.HEADER_LENGTH + 2)
            .putInt(length).putShort((short)encodingType).putShort((short)0).array();
    }
}
