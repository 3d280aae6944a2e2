package io.banter.engine.snapshot;

import io.banter.codecs.BooleanType;
import io.banter.codecs.ChangeKind;
import io.banter.codecs.ConversationKind;
import io.banter.codecs.ConversationRecordDecoder;
import io.banter.codecs.DeviceRecordDecoder;
import io.banter.codecs.MembersRecordDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.RelationsRecordDecoder;
import io.banter.codecs.SnapshotBeginDecoder;
import io.banter.codecs.SnapshotChunkDecoder;
import io.banter.codecs.SnapshotEndDecoder;
import io.banter.codecs.StoredMessageDecoder;
import io.banter.codecs.UserRecordDecoder;
import io.banter.engine.EngineContext;
import io.banter.engine.state.Conversation;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.User;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Rebuilds engine state from snapshot chunks. Chunks must arrive in order with valid checksums;
 * any damage (gap, bad CRC, truncated record, wrong count) fails the load with a reason rather
 * than producing a state that differs from the one snapshotted.
 */
public final class SnapshotLoader
{
    private final EngineContext context;
    private final EngineState state;
    private final ExpandableArrayBuffer pending = new ExpandableArrayBuffer(128 * 1024);
    private final UnsafeBuffer dataView = new UnsafeBuffer(0, 0);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SnapshotChunkDecoder chunkDecoder = new SnapshotChunkDecoder();
    private final SnapshotBeginDecoder beginDecoder = new SnapshotBeginDecoder();
    private final UserRecordDecoder userDecoder = new UserRecordDecoder();
    private final DeviceRecordDecoder deviceDecoder = new DeviceRecordDecoder();
    private final ConversationRecordDecoder conversationDecoder = new ConversationRecordDecoder();
    private final SnapshotEndDecoder endDecoder = new SnapshotEndDecoder();
    private final MembersRecordDecoder membersDecoder = new MembersRecordDecoder();
    private final RelationsRecordDecoder relationsDecoder = new RelationsRecordDecoder();
    private Conversation pendingConversation;
    private int pendingMembers;
    private int pendingLength;
    private int expectedChunkIndex;
    private long recordCount;
    private boolean begun;
    private boolean ended;
    private boolean complete;

    public SnapshotLoader(final EngineContext context, final EngineState state)
    {
        this.context = context;
        this.state = state;
    }

    /**
     * Apply one {@code SnapshotChunk} message (header included).
     */
    public void onChunk(final DirectBuffer buffer, final int offset, final int length)
    {
        if (complete)
        {
            throw new IllegalStateException("snapshot chunk after the last one");
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.templateId() != SnapshotChunkDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("not a snapshot chunk: template " + headerDecoder.templateId());
        }
        chunkDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH,
            headerDecoder.blockLength(), headerDecoder.version());
        final int chunkIndex = chunkDecoder.chunkIndex();
        if (chunkIndex != expectedChunkIndex)
        {
            throw new IllegalStateException("snapshot chunk " + chunkIndex + " where " + expectedChunkIndex + " was due");
        }
        final int crc = chunkDecoder.crc32c();
        final boolean last = chunkDecoder.last() == BooleanType.TRUE;
        chunkDecoder.wrapData(dataView);
        if (Crc32c.compute(dataView, 0, dataView.capacity()) != crc)
        {
            throw new IllegalStateException("snapshot chunk " + chunkIndex + " fails its CRC-32C check");
        }
        expectedChunkIndex++;

        pending.putBytes(pendingLength, dataView, 0, dataView.capacity());
        pendingLength += dataView.capacity();
        applyWholeRecords();

        if (last)
        {
            if (pendingLength != 0 || !ended)
            {
                throw new IllegalStateException("snapshot ends inside a record or without its end record");
            }
            complete = true;
        }
    }

    public boolean isComplete()
    {
        return complete;
    }

    private void applyWholeRecords()
    {
        int position = 0;
        while (pendingLength - position >= ChunkingRecordSink.RECORD_LENGTH_PREFIX)
        {
            final int recordLength = pending.getInt(position);
            final int recordStart = position + ChunkingRecordSink.RECORD_LENGTH_PREFIX;
            if (recordLength < MessageHeaderDecoder.ENCODED_LENGTH)
            {
                throw new IllegalStateException("snapshot record of impossible length " + recordLength);
            }
            if (recordStart + recordLength > pendingLength)
            {
                break;
            }
            applyRecord(pending, recordStart, recordLength);
            position = recordStart + recordLength;
        }
        if (position > 0)
        {
            pending.putBytes(0, pending, position, pendingLength - position);
            pendingLength -= position;
        }
    }

    private void applyRecord(final DirectBuffer buffer, final int offset, final int length)
    {
        if (ended)
        {
            throw new IllegalStateException("snapshot record after the end record");
        }
        recordCount++;
        headerDecoder.wrap(buffer, offset);
        final int templateId = headerDecoder.templateId();
        if (!begun && templateId != SnapshotBeginDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("snapshot does not start with its begin record");
        }
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        switch (templateId)
        {
            case SnapshotBeginDecoder.TEMPLATE_ID:
                beginDecoder.wrap(buffer, bodyOffset, blockLength, version);
                if (beginDecoder.formatVersion() < SnapshotWriter.OLDEST_FORMAT_VERSION ||
                    beginDecoder.formatVersion() > SnapshotWriter.FORMAT_VERSION)
                {
                    throw new IllegalStateException("unsupported snapshot format " + beginDecoder.formatVersion());
                }
                state.restoreCounters(
                    beginDecoder.nextMessageId() - 1, beginDecoder.nextConversationId() - 1, beginDecoder.lastTimestamp());
                state.hotWindow().beginRestore(beginDecoder.messageCount());
                begun = true;
                break;

            case UserRecordDecoder.TEMPLATE_ID:
                loadUser(buffer, bodyOffset, blockLength, version);
                break;

            case DeviceRecordDecoder.TEMPLATE_ID:
                loadDevice(buffer, bodyOffset, blockLength, version);
                break;

            case ConversationRecordDecoder.TEMPLATE_ID:
                requireMembersComplete();
                loadConversation(buffer, bodyOffset, blockLength, version);
                break;

            case MembersRecordDecoder.TEMPLATE_ID:
                loadMoreMembers(buffer, bodyOffset, blockLength, version);
                break;

            case RelationsRecordDecoder.TEMPLATE_ID:
                loadRelations(buffer, bodyOffset, blockLength, version);
                break;

            case StoredMessageDecoder.TEMPLATE_ID:
            {
                requireMembersComplete();
                final long conversationId = buffer.getLong(bodyOffset + StoredMessageDecoder.conversationIdEncodingOffset(),
                    StoredMessageDecoder.BYTE_ORDER);
                final long seq = buffer.getLong(bodyOffset + StoredMessageDecoder.seqEncodingOffset(),
                    StoredMessageDecoder.BYTE_ORDER);
                final Conversation conversation = state.conversation(conversationId);
                if (null == conversation || seq > conversation.headSeq() || seq < 1)
                {
                    throw new IllegalStateException("snapshot message " + conversationId + ":" + seq +
                        " is outside its conversation");
                }
                if (seq < conversation.hotFloorSeq())
                {
                    conversation.hotFloorSeq(seq);
                }
                state.messageStore().put(conversationId, seq, buffer, offset, length);
                state.hotWindow().restore(
                    buffer.getLong(bodyOffset + StoredMessageDecoder.messageIdEncodingOffset(), StoredMessageDecoder.BYTE_ORDER),
                    conversationId,
                    seq,
                    buffer.getLong(bodyOffset + StoredMessageDecoder.timestampEncodingOffset(), StoredMessageDecoder.BYTE_ORDER));
                break;
            }

            case SnapshotEndDecoder.TEMPLATE_ID:
                requireMembersComplete();
                endDecoder.wrap(buffer, bodyOffset, blockLength, version);
                if (endDecoder.recordCount() != recordCount)
                {
                    throw new IllegalStateException(
                        "snapshot holds " + recordCount + " records but says " + endDecoder.recordCount());
                }
                state.hotWindow().endRestore();
                ended = true;
                break;

            default:
                throw new IllegalStateException("unknown snapshot record template " + templateId);
        }
    }

    private void loadUser(final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        final UserRecordDecoder decoder = userDecoder.wrap(buffer, offset, blockLength, version);
        final long userId = decoder.userId();
        final long changeHead = decoder.changeHead();
        final UserRecordDecoder.ChangesDecoder changes = decoder.changes();
        final int retained = changes.count();
        final long[] kinds = new long[retained];
        final long[] conversationIds = new long[retained];
        final long[] seqs = new long[retained];
        final long[] userIds = new long[retained];
        int i = 0;
        for (final UserRecordDecoder.ChangesDecoder change : changes)
        {
            kinds[i] = change.kindRaw();
            conversationIds[i] = change.conversationId();
            seqs[i] = change.seq();
            userIds[i] = change.userId();
            i++;
        }
        final String name = decoder.name();

        final User user = new User(userId, name, context.changeLogCapacity(), context.maxDevicesPerUser());
        user.changes().resetTo(changeHead - retained);
        for (int j = 0; j < retained; j++)
        {
            user.changes().append(ChangeKind.get((short)kinds[j]), conversationIds[j], seqs[j], userIds[j]);
        }
        state.addUser(user);
    }

    private void loadDevice(final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        final DeviceRecordDecoder decoder = deviceDecoder.wrap(buffer, offset, blockLength, version);
        final User user = state.user(decoder.userId());
        if (null == user)
        {
            throw new IllegalStateException("device record for unknown user " + decoder.userId());
        }
        final Device device = user.addDevice(decoder.deviceId(), decoder.platformRaw(), context.sentWindowSize());
        device.ackedChangeSeq(decoder.ackedChangeSeq());
        device.lastClientMsgId(decoder.lastClientMsgId());
        device.loginTimestamp(decoder.loginTimestamp());
        final long gatewayId = decoder.gatewayId();
        final long connectionId = decoder.connectionId();
        for (final DeviceRecordDecoder.SentDecoder sent : decoder.sent())
        {
            device.sent().record(sent.clientMsgId(), sent.conversationId(), sent.messageId(), sent.seq(),
                sent.changeSeq(), sent.timestamp());
        }
        for (final DeviceRecordDecoder.SubscriptionsDecoder subscription : decoder.subscriptions())
        {
            final User target = state.user(subscription.userId());
            if (null == target)
            {
                throw new IllegalStateException("presence subscription to unknown user " + subscription.userId());
            }
            device.presenceSubscriptions().add(target.userId());
            target.addPresenceSubscriber(device);
        }
        if (Device.OFFLINE != connectionId)
        {
            state.bind(device, gatewayId, connectionId);
        }
    }

    private void loadConversation(final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        final ConversationRecordDecoder decoder = conversationDecoder.wrap(buffer, offset, blockLength, version);
        final long conversationId = decoder.conversationId();
        final ConversationKind kind = decoder.kind();
        final int memberTotal = decoder.memberTotal();
        final Conversation conversation = new Conversation(conversationId, kind, memberTotal);
        conversation.restore(decoder.headSeq(), decoder.lastTimestamp(), decoder.activity());
        conversation.membersCanInvite(decoder.membersCanInvite() == BooleanType.TRUE);
        for (final ConversationRecordDecoder.MembersDecoder member : decoder.members())
        {
            final int index = conversation.addMember(member.userId(), member.role(), member.readSeq(),
                joinSeq(member.joinSeq(), ConversationRecordDecoder.MembersDecoder.joinSeqNullValue()));
            conversation.lastOwnSeq(index, member.lastOwnSeq());
            conversation.memberFlags(index, (byte)member.flags());
        }
        conversation.name(decoder.name());
        pendingConversation = conversation;
        pendingMembers = memberTotal;
        finishConversationIfComplete();
    }

    private void loadMoreMembers(final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        final MembersRecordDecoder decoder = membersDecoder.wrap(buffer, offset, blockLength, version);
        final Conversation conversation = pendingConversation;
        if (null == conversation || conversation.conversationId() != decoder.conversationId())
        {
            throw new IllegalStateException("members record for conversation " + decoder.conversationId() +
                " does not follow its conversation record");
        }
        for (final MembersRecordDecoder.MembersDecoder member : decoder.members())
        {
            final int index = conversation.addMember(member.userId(), member.role(), member.readSeq(),
                joinSeq(member.joinSeq(), MembersRecordDecoder.MembersDecoder.joinSeqNullValue()));
            conversation.lastOwnSeq(index, member.lastOwnSeq());
            conversation.memberFlags(index, (byte)member.flags());
        }
        finishConversationIfComplete();
    }

    /**
     * A record written before members had a joinSeq (schema version 2) decodes it as the null
     * value: such a member counts for every message, as receipts did then.
     */
    private static long joinSeq(final long decoded, final long nullValue)
    {
        return decoded == nullValue ? 0 : decoded;
    }

    private void finishConversationIfComplete()
    {
        final Conversation conversation = pendingConversation;
        if (conversation.memberCount() > pendingMembers)
        {
            throw new IllegalStateException("conversation " + conversation.conversationId() + " has more members than " +
                pendingMembers);
        }
        if (conversation.memberCount() == pendingMembers)
        {
            for (int i = 0; i < conversation.memberCount(); i++)
            {
                if (null == state.user(conversation.member(i)))
                {
                    throw new IllegalStateException("conversation " + conversation.conversationId() +
                        " has unknown member " + conversation.member(i));
                }
            }
            state.addConversation(conversation);
            if (conversation.isGroup())
            {
                state.classify(conversation, context.superGroupThreshold());
            }
            pendingConversation = null;
        }
    }

    private void requireMembersComplete()
    {
        if (null != pendingConversation)
        {
            throw new IllegalStateException("conversation " + pendingConversation.conversationId() + " has " +
                pendingConversation.memberCount() + " of its " + pendingMembers + " members");
        }
    }

    private void loadRelations(final DirectBuffer buffer, final int offset, final int blockLength, final int version)
    {
        final RelationsRecordDecoder decoder = relationsDecoder.wrap(buffer, offset, blockLength, version);
        final User user = state.user(decoder.userId());
        if (null == user)
        {
            throw new IllegalStateException("relations record for unknown user " + decoder.userId());
        }
        for (final RelationsRecordDecoder.FriendsDecoder friend : decoder.friends())
        {
            user.friends().add(friend.userId());
        }
        for (final RelationsRecordDecoder.BlockedDecoder blocked : decoder.blocked())
        {
            user.blocked().add(blocked.userId());
        }
        for (final RelationsRecordDecoder.IncomingDecoder incoming : decoder.incoming())
        {
            final User from = state.user(incoming.userId());
            if (null == from)
            {
                throw new IllegalStateException("friend request from unknown user " + incoming.userId());
            }
            user.addIncomingRequest(from.userId(), incoming.note());
            from.outgoingRequests().add(user.userId());
        }
    }
}
