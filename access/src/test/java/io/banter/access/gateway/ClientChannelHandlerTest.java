package io.banter.access.gateway;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import io.banter.access.auth.TokenAuthority;
import io.banter.access.framing.SofhFrameDecoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.ErrorDecoder;
import io.banter.codecs.HeartbeatEncoder;
import io.banter.codecs.LoginEncoder;
import io.banter.codecs.LoginResultDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.Platform;
import io.banter.codecs.ResumeSendsEncoder;
import io.banter.codecs.SendEncoder;
import io.banter.codecs.SendRejectedDecoder;
import io.banter.codecs.SyncEncoder;
import io.banter.codecs.framing.SimpleOpenFramingHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.FastThreadLocal;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Netty side of the gateway with nobody draining the ring: what it answers by itself.
 */
final class ClientChannelHandlerTest
{
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();

    private final HashedWheelTimer timer = new HashedWheelTimer();
    private final GatewayCounters counters = new GatewayCounters();
    private final RingBuffer<InboundEvent> ring =
        RingBuffer.createMultiProducer(() -> new InboundEvent(1024), 4, new BusySpinWaitStrategy());
    private final FastThreadLocal<NettyThreadState> threadState = new FastThreadLocal<>()
    {
        protected NettyThreadState initialValue()
        {
            return new NettyThreadState(1024, SECRET);
        }
    };
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final AtomicLong connectionIds = new AtomicLong();
    private final UserRequestRates userRates = new UserRequestRates();

    @AfterEach
    void stop()
    {
        timer.stop();
    }

    @Test
    void aFullRingIsAnsweredBusyAtOnceAndNothingWaits() throws Exception
    {
        // A poller that never polls gates the ring: it holds 4 slots, the channel's OPENED and
        // its login take two.
        final EventPoller<InboundEvent> stalledAgent = ring.newPoller();
        ring.addGatingSequences(stalledAgent.getSequence());
        final EmbeddedChannel channel = newChannel();
        logIn(channel);
        assertEquals(2, ring.getCursor() + 1, "connection opened, device logging in");

        for (int i = 0; i < 2; i++)
        {
            channel.writeInbound(sync(i));
        }
        assertNull(channel.readOutbound(), "two requests fit");
        channel.writeInbound(send(77, 5));
        final ByteBuf busySend = channel.readOutbound();
        final SendRejectedDecoder rejected = new SendRejectedDecoder();
        wrapReply(busySend, SendRejectedDecoder.TEMPLATE_ID);
        rejected.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        assertEquals(77, rejected.clientMsgId());
        assertEquals(5, rejected.conversationId());
        assertEquals(ErrorCode.BUSY, rejected.code());

        channel.writeInbound(sync(99));
        wrapReply(channel.readOutbound(), ErrorDecoder.TEMPLATE_ID);
        final ErrorDecoder error = new ErrorDecoder()
            .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        assertEquals(99, error.correlationId());
        assertEquals(ErrorCode.BUSY, error.code());
        assertEquals(2, counters.busyRefusals());

        // The close is never dropped: it waits for the agent, so drain before closing.
        stalledAgent.poll((event, sequence, endOfBatch) -> true);
        channel.finishAndReleaseAll();
        assertEquals(InboundEvent.CONNECTION_CLOSED, ring.get(ring.getCursor()).type);
    }

    @Test
    void aSendRefusedBusyPausesTheConnectionsLaterSendsUntilResumeSends()
    {
        final EventPoller<InboundEvent> agent = ring.newPoller();
        ring.addGatingSequences(agent.getSequence());
        final EmbeddedChannel channel = newChannel();
        logIn(channel);
        // OPENED and the login hold two of the ring's four slots: sends 10 and 11 fit, 12 does not.
        for (int i = 0; i < 2; i++)
        {
            channel.writeInbound(send(10 + i, 5));
        }
        channel.writeInbound(send(12, 5));
        assertBusySend(channel.readOutbound(), 12);

        // Room again, but 13 must not overtake 12's retry: it is refused as well.
        drain(agent);
        channel.writeInbound(send(13, 5));
        assertBusySend(channel.readOutbound(), 13);
        assertEquals(1, counters.pausedSendRefusals());
        assertEquals(0, ring.getCursor() - agent.getSequence().get(), "nothing published while paused");

        channel.writeInbound(resumeSends());
        channel.writeInbound(send(12, 5));
        assertNull(channel.readOutbound(), "after ResumeSends the retry goes through");
        assertEquals(InboundEvent.RESUME_SENDS, ring.get(ring.getCursor() - 1).type);
        assertEquals(12, ring.get(ring.getCursor()).clientMsgId);

        drain(agent);
        channel.finishAndReleaseAll();
    }

    @Test
    void aConnectionOverTheLimitIsAnsweredBusyAndClosedAndItsPlaceFreesWhenOneLeaves()
    {
        final EventPoller<InboundEvent> agent = ring.newPoller();
        ring.addGatingSequences(agent.getSequence());
        final ConnectionAdmission admission = new ConnectionAdmission(2, 2);
        final GatewayContext context = new GatewayContext();
        drain(agent);
        final EmbeddedChannel first = newChannel(context, admission);
        drain(agent);
        final EmbeddedChannel second = newChannel(context, admission);
        final long cursor = ring.getCursor();

        drain(agent);
        final EmbeddedChannel third = newChannel(context, admission);
        third.runPendingTasks();
        final ErrorDecoder refusal = readError(third);
        assertEquals(ErrorCode.BUSY, refusal.code());
        final String reason = refusal.text();
        assertTrue(reason.contains("maximum of 2 connections"), reason);
        assertFalse(third.isActive(), "refused connections are closed");
        assertEquals(cursor, ring.getCursor(), "a refused connection never reaches the agent");
        assertEquals(1, counters.refusedConnections());
        assertEquals(2, admission.connections());

        drain(agent);
        first.close();
        assertEquals(1, admission.connections());
        drain(agent);
        final EmbeddedChannel fourth = newChannel(context, admission);
        assertTrue(fourth.isActive());
        assertNull(fourth.readOutbound(), "admitted once a place is free");
        drain(agent);
        second.finishAndReleaseAll();
        drain(agent);
        fourth.finishAndReleaseAll();
        drain(agent);
        third.finishAndReleaseAll();
    }

    @Test
    void connectionsThatHaveNotLoggedInHaveALimitOfTheirOwn()
    {
        final EventPoller<InboundEvent> agent = ring.newPoller();
        ring.addGatingSequences(agent.getSequence());
        final ConnectionAdmission admission = new ConnectionAdmission(10, 1);
        final GatewayContext context = new GatewayContext();
        drain(agent);
        final EmbeddedChannel first = newChannel(context, admission);
        drain(agent);
        final EmbeddedChannel refused = newChannel(context, admission);
        refused.runPendingTasks();
        assertTrue(readError(refused).text().contains("1 connections that have not logged in"));
        assertFalse(refused.isActive());

        drain(agent);
        first.writeInbound(login(1, 8, new TokenAuthority(SECRET).issue(8, System.currentTimeMillis() + 60_000)));
        assertEquals(0, admission.unauthenticated(), "a valid token counts as logged in");
        drain(agent);
        final EmbeddedChannel next = newChannel(context, admission);
        assertTrue(next.isActive());
        assertEquals(2, admission.connections());
        drain(agent);
        first.finishAndReleaseAll();
        drain(agent);
        next.finishAndReleaseAll();
        drain(agent);
        refused.finishAndReleaseAll();
        assertEquals(0, admission.connections());
        assertEquals(0, admission.unauthenticated());
    }

    @Test
    void theGatewaysOwnAnswersRespectTheOutboundBoundAndANonReaderIsClosed()
    {
        final EventPoller<InboundEvent> agent = ring.newPoller();
        ring.addGatingSequences(agent.getSequence());
        drain(agent);
        final EmbeddedChannel channel = newChannel();
        channel.writeInbound(heartbeat(1));
        assertNotNull(channel.readOutbound(), "answered while writable");

        // As if its unread output had passed the high-water mark.
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        channel.writeInbound(heartbeat(2), unknownTemplate());
        assertNull(channel.readOutbound(), "nothing more is queued for a client that does not read");
        assertFalse(channel.isActive(), "closed as a slow consumer");
        assertEquals(1, counters.slowConsumerCloses());
        drain(agent);
        channel.finishAndReleaseAll();
    }

    @Test
    void pastItsBurstAConnectionsFramesWaitUnreadUntilItIsBackWithinItsRate()
    {
        final EventPoller<InboundEvent> agent = ring.newPoller();
        ring.addGatingSequences(agent.getSequence());
        // 100 frames a second, 20 at once: of 40 frames in one read 20 are served, then reading
        // pauses until 50 ms of the rate is free again and a slice of about 6 more is served.
        final EmbeddedChannel channel = framingChannel(new GatewayContext().requestRate(100, 20));
        final ByteBuf frames = Unpooled.buffer();
        for (int i = 0; i < 40; i++)
        {
            final ByteBuf frame = framed(heartbeat(i));
            frames.writeBytes(frame);
            frame.release();
        }
        channel.writeInbound(frames);
        assertEquals(20, drainReplies(channel), "the burst is served");
        assertFalse(channel.config().isAutoRead(), "reads pause past the burst");
        assertEquals(1, counters.rateLimitPauses());

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (1 == counters.rateLimitPauses() && System.nanoTime() < deadline)
        {
            channel.runScheduledPendingTasks();
            Thread.onSpinWait();
        }
        final int slice = drainReplies(channel);
        assertTrue(slice >= 2 && slice <= 7, slice + " served on resuming: a slice of the rate, not half the burst");
        assertEquals(2, counters.rateLimitPauses());
        drain(agent);
        channel.finishAndReleaseAll();
    }

    @Test
    void aRequestAnsweredWithAPageCostsTheRateMoreThanOneFrame()
    {
        final EventPoller<InboundEvent> agent = ring.newPoller();
        ring.addGatingSequences(agent.getSequence());
        // A burst of 20 frames holds one page request (16) but not two.
        final EmbeddedChannel channel = framingChannel(new GatewayContext().requestRate(10, 20));
        channel.writeInbound(framed(login(1, 8, new TokenAuthority(SECRET).issue(8, System.currentTimeMillis() + 60_000))));
        drain(agent);
        final long cursor = ring.getCursor();
        channel.writeInbound(framed(sync(0)), framed(sync(1)));
        assertEquals(cursor + 1, ring.getCursor(), "one page request went on, the second waits");
        assertEquals(1, counters.rateLimitPauses());
        drain(agent);
        channel.finishAndReleaseAll();
    }

    @Test
    void aUsersConnectionsShareOneBudgetSoMoreConnectionsBuyNoMoreRate()
    {
        final EventPoller<InboundEvent> agent = ring.newPoller();
        ring.addGatingSequences(agent.getSequence());
        final GatewayContext context = new GatewayContext().requestRate(1, 3);
        final ConnectionAdmission admission = new ConnectionAdmission(10, 10);
        final String token = new TokenAuthority(SECRET).issue(8, System.currentTimeMillis() + 60_000);
        final EmbeddedChannel firstChannel = framingChannel(context, admission);
        firstChannel.writeInbound(framed(login(1, 8, token)));
        drain(agent);
        firstChannel.writeInbound(framed(heartbeat(1)), framed(heartbeat(2)), framed(heartbeat(3)));
        assertEquals(3, drainReplies(firstChannel), "the user's burst");
        assertEquals(0, counters.rateLimitPauses());

        final EmbeddedChannel secondChannel = framingChannel(context, admission);
        secondChannel.writeInbound(framed(login(2, 8, token)));
        drain(agent);
        secondChannel.writeInbound(framed(heartbeat(4)));
        assertEquals(0, drainReplies(secondChannel), "the same user's second connection has no budget of its own");
        assertEquals(1, counters.rateLimitPauses());
        assertEquals(1, userRates.size());

        firstChannel.finishAndReleaseAll();
        drain(agent);
        secondChannel.finishAndReleaseAll();
        drain(agent);
        assertEquals(1, userRates.size(), "a budget still owing time outlives its connections");
    }

    /**
     * A channel with the gateway's framing in front of the handler, as a real connection has.
     */
    private EmbeddedChannel framingChannel(final GatewayContext context)
    {
        return framingChannel(context, new ConnectionAdmission(10, 10));
    }

    private EmbeddedChannel framingChannel(final GatewayContext context, final ConnectionAdmission admission)
    {
        final ClientChannelHandler handler = new ClientChannelHandler(
            ring, threadState, timer, context, admission, userRates, counters, connectionIds);
        return new EmbeddedChannel(new SofhFrameDecoder(1024, handler), handler);
    }

    private static ByteBuf framed(final ByteBuf message)
    {
        final ByteBuf frame = Unpooled.buffer()
            .writeInt(SimpleOpenFramingHeader.HEADER_LENGTH + message.readableBytes())
            .writeShort(SimpleOpenFramingHeader.SBE_LITTLE_ENDIAN_ENCODING_TYPE)
            .writeBytes(message);
        message.release();
        return frame;
    }

    private static int drainReplies(final EmbeddedChannel channel)
    {
        int replies = 0;
        for (ByteBuf reply; null != (reply = channel.readOutbound()); replies++)
        {
            reply.release();
        }
        return replies;
    }

    @Test
    void aBadTokenIsRefusedByTheGatewayAndNeverReachesTheRing()
    {
        ring.addGatingSequences(ring.newPoller().getSequence());
        final EmbeddedChannel channel = newChannel();
        final long cursor = ring.getCursor();
        final String othersToken = new TokenAuthority(SECRET).issue(8, System.currentTimeMillis() + 60_000);
        channel.writeInbound(login(3, 7, othersToken));
        wrapReply(channel.readOutbound(), LoginResultDecoder.TEMPLATE_ID);
        final LoginResultDecoder result = new LoginResultDecoder()
            .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        assertEquals(3, result.correlationId());
        assertEquals(ErrorCode.BAD_TOKEN, result.code());
        assertEquals(cursor, ring.getCursor(), "nothing published");

        channel.writeInbound(login(4, 8, othersToken));
        assertNull(channel.readOutbound(), "a good token goes to the engine, which answers");
        assertEquals(InboundEvent.DEVICE_LOGIN, ring.get(ring.getCursor()).type);
        assertEquals(8, ring.get(ring.getCursor()).userId);
        channel.finishAndReleaseAll();
    }

    @Test
    void anUndefinedPlatformIsRefusedNamingItAndTheConnectionStaysOpen()
    {
        ring.addGatingSequences(ring.newPoller().getSequence());
        final EmbeddedChannel channel = newChannel();
        final long cursor = ring.getCursor();
        final String token = new TokenAuthority(SECRET).issue(8, System.currentTimeMillis() + 60_000);
        for (int raw = 0; raw < 256; raw++)
        {
            if (raw == Platform.MOBILE.value() || raw == Platform.DESKTOP.value() || raw == Platform.WEB.value())
            {
                continue;
            }
            final ByteBuf login = login(100 + raw, 8, token);
            login.setByte(MessageHeaderEncoder.ENCODED_LENGTH + LoginEncoder.platformEncodingOffset(), raw);
            channel.writeInbound(login);
            wrapReply(channel.readOutbound(), LoginResultDecoder.TEMPLATE_ID);
            final LoginResultDecoder result = new LoginResultDecoder()
                .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
            assertEquals(100 + raw, result.correlationId());
            assertEquals(ErrorCode.MALFORMED, result.code(), "platform " + raw);
            assertEquals("platform must be MOBILE (1), DESKTOP (2) or WEB (3), not " + raw, result.text());
            assertTrue(channel.isActive(), "a refused login keeps the connection");
        }
        assertEquals(cursor, ring.getCursor(), "nothing published");

        channel.writeInbound(login(1, 8, token));
        assertNull(channel.readOutbound(), "a defined platform goes to the engine, which answers");
        assertEquals(InboundEvent.DEVICE_LOGIN, ring.get(ring.getCursor()).type);
        assertEquals(Platform.MOBILE.value(), ring.get(ring.getCursor()).platform);
        channel.finishAndReleaseAll();
    }

    private void assertBusySend(final ByteBuf reply, final long clientMsgId)
    {
        wrapReply(reply, SendRejectedDecoder.TEMPLATE_ID);
        final SendRejectedDecoder rejected = new SendRejectedDecoder()
            .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        assertEquals(clientMsgId, rejected.clientMsgId());
        assertEquals(ErrorCode.BUSY, rejected.code());
    }

    private static void drain(final EventPoller<InboundEvent> agent)
    {
        try
        {
            agent.poll((event, sequence, endOfBatch) -> true);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private ByteBuf resumeSends()
    {
        final ResumeSendsEncoder resume = new ResumeSendsEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(1);
        return Unpooled.copiedBuffer(buffer.byteArray(), 0, resume.limit());
    }

    private EmbeddedChannel newChannel()
    {
        return newChannel(new GatewayContext().heartbeatTimeoutNs(TimeUnit.SECONDS.toNanos(30)),
            new ConnectionAdmission(100, 100));
    }

    private EmbeddedChannel newChannel(final GatewayContext context, final ConnectionAdmission admission)
    {
        return new EmbeddedChannel(new ClientChannelHandler(
            ring, threadState, timer, context, admission, userRates, counters, connectionIds));
    }

    private ByteBuf heartbeat(final long nonce)
    {
        final HeartbeatEncoder heartbeat = new HeartbeatEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder).nonce(nonce);
        return Unpooled.copiedBuffer(buffer.byteArray(), 0, heartbeat.limit());
    }

    private void logIn(final EmbeddedChannel channel)
    {
        channel.writeInbound(login(1, 8, new TokenAuthority(SECRET).issue(8, System.currentTimeMillis() + 60_000)));
    }

    @Test
    void aConnectionWithoutAValidLoginIsAnsweredByTheGatewayAndNothingReachesTheLog()
    {
        final EventPoller<InboundEvent> agent = ring.newPoller();
        ring.addGatingSequences(agent.getSequence());
        final EmbeddedChannel channel = newChannel();
        final long cursor = ring.getCursor();
        channel.writeInbound(send(21, 5));
        wrapReply(channel.readOutbound(), SendRejectedDecoder.TEMPLATE_ID);
        final SendRejectedDecoder rejected = new SendRejectedDecoder()
            .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        assertEquals(21, rejected.clientMsgId());
        assertEquals(ErrorCode.NOT_LOGGED_IN, rejected.code());
        channel.writeInbound(sync(22));
        final ErrorDecoder error = readError(channel);
        assertEquals(22, error.correlationId());
        assertEquals(ErrorCode.NOT_LOGGED_IN, error.code());
        assertEquals(cursor, ring.getCursor(), "nothing went to the agent");
        assertEquals(2, counters.notLoggedInRefusals());

        // Its close is the agent's business only: the engine never heard of it.
        drain(agent);
        channel.finishAndReleaseAll();
        assertEquals(InboundEvent.CONNECTION_CLOSED, ring.get(ring.getCursor()).type);
        assertFalse(ring.get(ring.getCursor()).engineKnows);
    }

    private ErrorDecoder readError(final EmbeddedChannel channel)
    {
        final ByteBuf reply = channel.readOutbound();
        assertNotNull(reply, "an answer");
        wrapReply(reply, ErrorDecoder.TEMPLATE_ID);
        return new ErrorDecoder()
            .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
    }

    private ByteBuf unknownTemplate()
    {
        headerEncoder.wrap(buffer, 0).blockLength(0).templateId(999).schemaId(MessageHeaderEncoder.SCHEMA_ID)
            .version(MessageHeaderEncoder.SCHEMA_VERSION);
        return Unpooled.copiedBuffer(buffer.byteArray(), 0, MessageHeaderEncoder.ENCODED_LENGTH);
    }

    private ByteBuf sync(final long correlationId)
    {
        final SyncEncoder sync = new SyncEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId).afterChangeSeq(0).maxEntries(10);
        return Unpooled.copiedBuffer(buffer.byteArray(), 0, sync.limit());
    }

    private ByteBuf send(final long clientMsgId, final long conversationId)
    {
        final SendEncoder send = new SendEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .clientMsgId(clientMsgId).conversationId(conversationId).toUserId(0).contentType(0).putPayload(new byte[3], 0, 3);
        return Unpooled.copiedBuffer(buffer.byteArray(), 0, send.limit());
    }

    private ByteBuf login(final long correlationId, final long userId, final String token)
    {
        final LoginEncoder login = new LoginEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId).userId(userId).deviceId(1).platform(Platform.MOBILE).token(token);
        return Unpooled.copiedBuffer(buffer.byteArray(), 0, login.limit());
    }

    /**
     * Strip the SOFH header of a reply into {@code buffer} and check its template.
     */
    private void wrapReply(final ByteBuf frame, final int expectedTemplateId)
    {
        final int length = frame.readInt() - 6;
        frame.readShort();
        frame.readBytes(buffer.byteArray(), 0, length);
        frame.release();
        headerDecoder.wrap(buffer, 0);
        assertEquals(expectedTemplateId, headerDecoder.templateId());
    }
}
