package io.banter.access.client;

import io.banter.access.framing.SofhFrames;
import io.banter.codecs.HeartbeatEncoder;
import io.banter.codecs.HistoryEncoder;
import io.banter.codecs.ListConversationsEncoder;
import io.banter.codecs.LoginEncoder;
import io.banter.codecs.LookupUserEncoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.Platform;
import io.banter.codecs.PresenceQueryEncoder;
import io.banter.codecs.ResumeSendsEncoder;
import io.banter.codecs.SendEncoder;
import io.banter.codecs.SyncAckEncoder;
import io.banter.codecs.SyncEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes the client's requests as SOFH-framed SBE messages. One instance per client, used on
 * its event-loop thread only.
 */
final class ClientFrames
{
    static final int MAX_REQUEST_LENGTH = 64 * 1024;
    private static final int BODY = SofhFrames.BODY_OFFSET;

    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[MAX_REQUEST_LENGTH]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final LoginEncoder login = new LoginEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final SendEncoder send = new SendEncoder();
    private final SyncEncoder sync = new SyncEncoder();
    private final SyncAckEncoder syncAck = new SyncAckEncoder();
    private final HistoryEncoder history = new HistoryEncoder();
    private final ListConversationsEncoder listConversations = new ListConversationsEncoder();
    private final LookupUserEncoder lookupUser = new LookupUserEncoder();
    private final PresenceQueryEncoder presenceQuery = new PresenceQueryEncoder();
    private final ResumeSendsEncoder resumeSends = new ResumeSendsEncoder();

    ByteBuf login(
        final ByteBufAllocator alloc,
        final long correlationId,
        final long userId,
        final long deviceId,
        final Platform platform,
        final String token)
    {
        login.wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).userId(userId).deviceId(deviceId).platform(platform).token(token);
        return framed(alloc, login.limit());
    }

    ByteBuf resumeSends(final ByteBufAllocator alloc, final long correlationId)
    {
        resumeSends.wrapAndApplyHeader(scratch, BODY, header).correlationId(correlationId);
        return framed(alloc, resumeSends.limit());
    }

    ByteBuf heartbeat(final ByteBufAllocator alloc, final long nonce)
    {
        heartbeat.wrapAndApplyHeader(scratch, BODY, header).nonce(nonce);
        return framed(alloc, heartbeat.limit());
    }

    ByteBuf send(
        final ByteBufAllocator alloc,
        final long clientMsgId,
        final long conversationId,
        final long toUserId,
        final int contentType,
        final byte[] payload)
    {
        send.wrapAndApplyHeader(scratch, BODY, header)
            .clientMsgId(clientMsgId).conversationId(conversationId).toUserId(toUserId).contentType(contentType)
            .putPayload(payload, 0, payload.length);
        return framed(alloc, send.limit());
    }

    ByteBuf sync(final ByteBufAllocator alloc, final long correlationId, final long afterChangeSeq, final int maxEntries)
    {
        sync.wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).afterChangeSeq(afterChangeSeq).maxEntries(maxEntries);
        return framed(alloc, sync.limit());
    }

    ByteBuf syncAck(final ByteBufAllocator alloc, final long changeSeq)
    {
        syncAck.wrapAndApplyHeader(scratch, BODY, header).changeSeq(changeSeq);
        return framed(alloc, syncAck.limit());
    }

    ByteBuf history(
        final ByteBufAllocator alloc,
        final long correlationId,
        final long conversationId,
        final long beforeSeq,
        final int maxEntries)
    {
        history.wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).conversationId(conversationId).beforeSeq(beforeSeq).maxEntries(maxEntries);
        return framed(alloc, history.limit());
    }

    ByteBuf listConversations(
        final ByteBufAllocator alloc, final long correlationId, final long afterConversationId, final int maxEntries)
    {
        listConversations.wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).afterConversationId(afterConversationId).maxEntries(maxEntries);
        return framed(alloc, listConversations.limit());
    }

    ByteBuf lookupUser(final ByteBufAllocator alloc, final long correlationId, final long userId, final String name)
    {
        lookupUser.wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).userId(userId).name(name);
        return framed(alloc, lookupUser.limit());
    }

    ByteBuf presence(final ByteBufAllocator alloc, final long correlationId, final long userId)
    {
        presenceQuery.wrapAndApplyHeader(scratch, BODY, header).correlationId(correlationId).userId(userId);
        return framed(alloc, presenceQuery.limit());
    }

    private ByteBuf framed(final ByteBufAllocator alloc, final int limit)
    {
        return SofhFrames.framed(alloc, scratch, limit);
    }
}
