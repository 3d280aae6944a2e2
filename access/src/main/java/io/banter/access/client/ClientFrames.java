package io.banter.access.client;

import io.banter.access.framing.SofhFrames;
import io.banter.codecs.AddMembersEncoder;
import io.banter.codecs.BlockEncoder;
import io.banter.codecs.BooleanType;
import io.banter.codecs.ConversationsQueryEncoder;
import io.banter.codecs.CreateGroupEncoder;
import io.banter.codecs.FriendRequestEncoder;
import io.banter.codecs.FriendRespondEncoder;
import io.banter.codecs.GroupInfoQueryEncoder;
import io.banter.codecs.GroupRole;
import io.banter.codecs.LeaveGroupEncoder;
import io.banter.codecs.MarkReadEncoder;
import io.banter.codecs.RecallEncoder;
import io.banter.codecs.ReceiptQueryEncoder;
import io.banter.codecs.RelationList;
import io.banter.codecs.RelationsQueryEncoder;
import io.banter.codecs.RemoveFriendEncoder;
import io.banter.codecs.RemoveMemberEncoder;
import io.banter.codecs.SetRoleEncoder;
import io.banter.codecs.SubscribePresenceEncoder;
import io.banter.codecs.UpdateGroupEncoder;
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

    /**
     * The length of the frame {@link #send} writes for a payload of {@code payloadLength} bytes,
     * SOFH header included.
     */
    static int sendFrameLength(final int payloadLength)
    {
        return BODY + MessageHeaderEncoder.ENCODED_LENGTH + SendEncoder.BLOCK_LENGTH +
            SendEncoder.payloadHeaderLength() + payloadLength;
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

    ByteBuf conversationsByActivity(
        final ByteBufAllocator alloc, final long correlationId, final long beforeActivity, final int maxEntries)
    {
        final ConversationsQueryEncoder encoder = new ConversationsQueryEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).beforeActivity(beforeActivity).maxEntries(maxEntries);
        return framed(alloc, encoder.limit());
    }

    ByteBuf markRead(final ByteBufAllocator alloc, final long correlationId, final long conversationId, final long seq)
    {
        final MarkReadEncoder encoder = new MarkReadEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).conversationId(conversationId).seq(seq);
        return framed(alloc, encoder.limit());
    }

    ByteBuf receipts(
        final ByteBufAllocator alloc,
        final long correlationId,
        final long conversationId,
        final long seq,
        final boolean readers,
        final long afterUserId,
        final int maxEntries)
    {
        final ReceiptQueryEncoder encoder = new ReceiptQueryEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).conversationId(conversationId).seq(seq)
            .readers(readers ? BooleanType.TRUE : BooleanType.FALSE).afterUserId(afterUserId).maxEntries(maxEntries);
        return framed(alloc, encoder.limit());
    }

    ByteBuf recall(final ByteBufAllocator alloc, final long correlationId, final long conversationId, final long seq)
    {
        final RecallEncoder encoder = new RecallEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).conversationId(conversationId).seq(seq);
        return framed(alloc, encoder.limit());
    }

    ByteBuf createGroup(
        final ByteBufAllocator alloc,
        final long correlationId,
        final String name,
        final boolean membersCanInvite,
        final long[] members)
    {
        final CreateGroupEncoder encoder = new CreateGroupEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).membersCanInvite(membersCanInvite ? BooleanType.TRUE : BooleanType.FALSE);
        final CreateGroupEncoder.MembersEncoder entries = encoder.membersCount(members.length);
        for (final long member : members)
        {
            entries.next().userId(member);
        }
        encoder.name(name);
        return framed(alloc, encoder.limit());
    }

    ByteBuf addMembers(final ByteBufAllocator alloc, final long correlationId, final long conversationId, final long[] members)
    {
        final AddMembersEncoder encoder = new AddMembersEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).conversationId(conversationId);
        final AddMembersEncoder.MembersEncoder entries = encoder.membersCount(members.length);
        for (final long member : members)
        {
            entries.next().userId(member);
        }
        return framed(alloc, encoder.limit());
    }

    ByteBuf removeMember(
        final ByteBufAllocator alloc, final long correlationId, final long conversationId, final long userId)
    {
        final RemoveMemberEncoder encoder = new RemoveMemberEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).conversationId(conversationId).userId(userId);
        return framed(alloc, encoder.limit());
    }

    ByteBuf leaveGroup(final ByteBufAllocator alloc, final long correlationId, final long conversationId)
    {
        final LeaveGroupEncoder encoder = new LeaveGroupEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).conversationId(conversationId);
        return framed(alloc, encoder.limit());
    }

    ByteBuf setRole(
        final ByteBufAllocator alloc,
        final long correlationId,
        final long conversationId,
        final long userId,
        final GroupRole role)
    {
        final SetRoleEncoder encoder = new SetRoleEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).conversationId(conversationId).userId(userId).role(role);
        return framed(alloc, encoder.limit());
    }

    ByteBuf updateGroup(
        final ByteBufAllocator alloc,
        final long correlationId,
        final long conversationId,
        final boolean membersCanInvite,
        final String name)
    {
        final UpdateGroupEncoder encoder = new UpdateGroupEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).conversationId(conversationId)
            .membersCanInvite(membersCanInvite ? BooleanType.TRUE : BooleanType.FALSE).name(name);
        return framed(alloc, encoder.limit());
    }

    ByteBuf groupInfo(
        final ByteBufAllocator alloc,
        final long correlationId,
        final long conversationId,
        final long afterUserId,
        final int maxEntries)
    {
        final GroupInfoQueryEncoder encoder = new GroupInfoQueryEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).conversationId(conversationId).afterUserId(afterUserId).maxEntries(maxEntries);
        return framed(alloc, encoder.limit());
    }

    ByteBuf friendRequest(final ByteBufAllocator alloc, final long correlationId, final long toUserId, final String note)
    {
        final FriendRequestEncoder encoder = new FriendRequestEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).toUserId(toUserId).note(note);
        return framed(alloc, encoder.limit());
    }

    ByteBuf friendRespond(
        final ByteBufAllocator alloc, final long correlationId, final long fromUserId, final boolean accept)
    {
        final FriendRespondEncoder encoder = new FriendRespondEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).fromUserId(fromUserId).accept(accept ? BooleanType.TRUE : BooleanType.FALSE);
        return framed(alloc, encoder.limit());
    }

    ByteBuf removeFriend(final ByteBufAllocator alloc, final long correlationId, final long userId)
    {
        final RemoveFriendEncoder encoder = new RemoveFriendEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).userId(userId);
        return framed(alloc, encoder.limit());
    }

    ByteBuf block(final ByteBufAllocator alloc, final long correlationId, final long userId, final boolean blocked)
    {
        final BlockEncoder encoder = new BlockEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).userId(userId).blocked(blocked ? BooleanType.TRUE : BooleanType.FALSE);
        return framed(alloc, encoder.limit());
    }

    ByteBuf relations(
        final ByteBufAllocator alloc,
        final long correlationId,
        final RelationList list,
        final long afterUserId,
        final int maxEntries)
    {
        final RelationsQueryEncoder encoder = new RelationsQueryEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).list(list).afterUserId(afterUserId).maxEntries(maxEntries);
        return framed(alloc, encoder.limit());
    }

    ByteBuf subscribePresence(
        final ByteBufAllocator alloc, final long correlationId, final long userId, final boolean subscribe)
    {
        final SubscribePresenceEncoder encoder = new SubscribePresenceEncoder().wrapAndApplyHeader(scratch, BODY, header)
            .correlationId(correlationId).userId(userId).subscribe(subscribe ? BooleanType.TRUE : BooleanType.FALSE);
        return framed(alloc, encoder.limit());
    }
}
