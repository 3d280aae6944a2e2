package io.banter.perf.load;

import io.banter.access.framing.SofhFrames;
import io.banter.codecs.AddMembersEncoder;
import io.banter.codecs.BooleanType;
import io.banter.codecs.CreateGroupEncoder;
import io.banter.codecs.HistoryEncoder;
import io.banter.codecs.HeartbeatEncoder;
import io.banter.codecs.LoginEncoder;
import io.banter.codecs.MarkReadEncoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.Platform;
import io.banter.codecs.ResumeSendsEncoder;
import io.banter.codecs.SendEncoder;
import io.banter.codecs.SyncEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes the few client requests a load connection sends, as SOFH-framed SBE in pooled Netty
 * buffers. One instance per sending thread.
 */
final class LoadFrames
{
    static final int PAYLOAD_LENGTH = 64;
    private static final int BODY = SofhFrames.BODY_OFFSET;

    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[16 * 1024]);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_LENGTH]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final LoginEncoder login = new LoginEncoder();
    private final SendEncoder send = new SendEncoder();
    private final SyncEncoder sync = new SyncEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final ResumeSendsEncoder resumeSends = new ResumeSendsEncoder();
    private final HistoryEncoder history = new HistoryEncoder();
    private final MarkReadEncoder markRead = new MarkReadEncoder();

    ByteBuf login(final ByteBufAllocator alloc, final long userId, final long deviceId, final String token)
    {
        login.wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(1).userId(userId).deviceId(deviceId).platform(Platform.DESKTOP).token(token);
        return framed(alloc, login.limit());
    }

    /**
     * A send whose payload carries the time it was due (for latency from the intended time,
     * which corrects coordinated omission) and the message's number in the run.
     */
    ByteBuf send(final ByteBufAllocator alloc, final long clientMsgId, final long toUserId, final long dueNs,
        final long messageNumber)
    {
        payload.putLong(0, dueNs);
        payload.putLong(8, messageNumber);
        send.wrapAndApplyHeader(scratch, BODY, header)
            .clientMsgId(clientMsgId).conversationId(0).toUserId(toUserId).contentType(0)
            .putPayload(payload, 0, PAYLOAD_LENGTH);
        return framed(alloc, send.limit());
    }

    /**
     * A send into a group, with the same timing payload as {@link #send}.
     */
    ByteBuf groupSend(final ByteBufAllocator alloc, final long clientMsgId, final long conversationId, final long dueNs,
        final long messageNumber)
    {
        payload.putLong(0, dueNs);
        payload.putLong(8, messageNumber);
        send.wrapAndApplyHeader(scratch, BODY, header)
            .clientMsgId(clientMsgId).conversationId(conversationId).toUserId(0).contentType(0)
            .putPayload(payload, 0, PAYLOAD_LENGTH);
        return framed(alloc, send.limit());
    }

    ByteBuf createGroup(final ByteBufAllocator alloc, final String name, final long[] members)
    {
        final CreateGroupEncoder encoder = new CreateGroupEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(3).membersCanInvite(BooleanType.FALSE);
        final CreateGroupEncoder.MembersEncoder entries = encoder.membersCount(members.length);
        for (final long member : members)
        {
            entries.next().userId(member);
        }
        encoder.name(name);
        return framed(alloc, encoder.limit());
    }

    ByteBuf addMembers(final ByteBufAllocator alloc, final long conversationId, final long[] members)
    {
        final AddMembersEncoder encoder = new AddMembersEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(4).conversationId(conversationId);
        final AddMembersEncoder.MembersEncoder entries = encoder.membersCount(members.length);
        for (final long member : members)
        {
            entries.next().userId(member);
        }
        return framed(alloc, encoder.limit());
    }

    /**
     * The newest {@code maxEntries} messages of a conversation (a super group's pull).
     */
    /** Correlation of a pull of a group's newest messages. */
    static final long PULL_NEWEST = 5;
    /** Correlation of a page further back, filling a gap a newest-first pull left. */
    static final long PULL_GAP = 6;

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

    ByteBuf sync(final ByteBufAllocator alloc, final long afterChangeSeq)
    {
        return sync(alloc, 2, afterChangeSeq);
    }

    ByteBuf sync(final ByteBufAllocator alloc, final long correlationId, final long afterChangeSeq)
    {
        sync.wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).afterChangeSeq(afterChangeSeq).maxEntries(256);
        return framed(alloc, sync.limit());
    }

    ByteBuf markRead(final ByteBufAllocator alloc, final long correlationId, final long conversationId, final long seq)
    {
        markRead.wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).conversationId(conversationId).seq(seq);
        return framed(alloc, markRead.limit());
    }

    ByteBuf heartbeat(final ByteBufAllocator alloc)
    {
        heartbeat.wrapAndApplyHeader(scratch, BODY, header).nonce(0);
        return framed(alloc, heartbeat.limit());
    }

    ByteBuf resumeSends(final ByteBufAllocator alloc)
    {
        resumeSends.wrapAndApplyHeader(scratch, BODY, header).correlationId(0);
        return framed(alloc, resumeSends.limit());
    }

    private ByteBuf framed(final ByteBufAllocator alloc, final int limit)
    {
        return SofhFrames.framed(alloc, scratch, limit);
    }
}
