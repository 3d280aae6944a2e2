package io.banter.engine.snapshot;

import io.banter.codecs.BooleanType;
import io.banter.codecs.ChangeKind;
import io.banter.codecs.ConversationRecordEncoder;
import io.banter.codecs.DeviceRecordEncoder;
import io.banter.codecs.MembersRecordEncoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.Platform;
import io.banter.codecs.RelationsRecordEncoder;
import io.banter.codecs.SnapshotBeginEncoder;
import io.banter.codecs.SnapshotEndEncoder;
import io.banter.codecs.UserRecordEncoder;
import io.banter.engine.state.ChangeLog;
import io.banter.engine.state.Conversation;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.SentWindow;
import io.banter.engine.state.SortedLongSet;
import io.banter.engine.state.User;
import io.banter.engine.store.MessageStore;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Serialises the whole engine state as SBE records in a deterministic order: users by id, their
 * relationships by user id, their devices in login order, conversations by id (members by user
 * id, in records of at most {@link #MEMBERS_PER_RECORD}), then every message of the hot tier by
 * (conversation, seq): a conversation's hot window {@code [hotFloorSeq, headSeq]}. Messages that
 * left for the archive are not in it; the loader derives each hot floor from the first message.
 * The same stream feeds snapshots (through {@link ChunkingRecordSink}) and the state hash.
 */
public final class SnapshotWriter
{
    /** 3: members carry their joinSeq. The loader still reads 2, whose members joined at 0. */
    public static final int FORMAT_VERSION = 3;
    /** The oldest format the loader reads. */
    public static final int OLDEST_FORMAT_VERSION = 2;
    /** Members per conversation or members record, well inside an SBE group count. */
    public static final int MEMBERS_PER_RECORD = 4096;

    private final EngineState state;
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(64 * 1024);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SnapshotBeginEncoder beginEncoder = new SnapshotBeginEncoder();
    private final UserRecordEncoder userEncoder = new UserRecordEncoder();
    private final DeviceRecordEncoder deviceEncoder = new DeviceRecordEncoder();
    private final ConversationRecordEncoder conversationEncoder = new ConversationRecordEncoder();
    private final SnapshotEndEncoder endEncoder = new SnapshotEndEncoder();
    private final MembersRecordEncoder membersEncoder = new MembersRecordEncoder();
    private final RelationsRecordEncoder relationsEncoder = new RelationsRecordEncoder();
    private long recordCount;

    public SnapshotWriter(final EngineState state)
    {
        this.state = state;
    }

    /**
     * Write the snapshot as checksummed chunks.
     */
    public void writeTo(final SnapshotSink sink)
    {
        writeTo(sink, ChunkingRecordSink.DEFAULT_CHUNK_LENGTH);
    }

    /**
     * Write the snapshot as checksummed chunks of at most {@code chunkLength} data bytes.
     */
    public void writeTo(final SnapshotSink sink, final int chunkLength)
    {
        final ChunkingRecordSink chunks = new ChunkingRecordSink(sink, chunkLength);
        writeRecords(chunks);
        chunks.finish();
    }

    /**
     * Write the snapshot's records.
     */
    public void writeRecords(final RecordSink sink)
    {
        recordCount = 0;
        final long[] userIds = state.sortedUserIds();
        final long[] conversationIds = state.sortedConversationIds();
        final MessageStore store = state.messageStore();

        long messageCount = 0;
        for (final long conversationId : conversationIds)
        {
            final Conversation conversation = state.conversation(conversationId);
            messageCount += conversation.headSeq() - conversation.hotFloorSeq() + 1;
        }

        beginEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .formatVersion(FORMAT_VERSION)
            .nextMessageId(state.lastMessageId() + 1)
            .nextConversationId(state.lastConversationId() + 1)
            .lastTimestamp(state.lastTimestamp())
            .userCount(userIds.length)
            .conversationCount(conversationIds.length)
            .messageCount(messageCount);
        emit(sink, beginEncoder.limit());

        for (final long userId : userIds)
        {
            writeUser(sink, state.user(userId));
        }
        for (final long userId : userIds)
        {
            final User user = state.user(userId);
            if (!user.friends().isEmpty() || !user.blocked().isEmpty() || !user.incomingRequests().isEmpty())
            {
                writeRelations(sink, user);
            }
        }
        for (final long userId : userIds)
        {
            final User user = state.user(userId);
            for (int i = 0; i < user.deviceCount(); i++)
            {
                writeDevice(sink, user.device(i));
            }
        }
        for (final long conversationId : conversationIds)
        {
            writeConversation(sink, state.conversation(conversationId));
        }
        for (final long conversationId : conversationIds)
        {
            final Conversation conversation = state.conversation(conversationId);
            for (long seq = conversation.hotFloorSeq(), headSeq = conversation.headSeq(); seq <= headSeq; seq++)
            {
                final int length = store.get(conversationId, seq, buffer, 0);
                if (length < 0)
                {
                    throw new IllegalStateException("message " + conversationId + ":" + seq + " missing from the store");
                }
                emit(sink, length);
            }
        }

        endEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).recordCount(recordCount + 1);
        emit(sink, endEncoder.limit());
    }

    private void writeUser(final RecordSink sink, final User user)
    {
        final ChangeLog changes = user.changes();
        userEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .userId(user.userId())
            .changeHead(changes.head());
        final UserRecordEncoder.ChangesEncoder entries = userEncoder.changesCount(changes.retained());
        for (long changeSeq = changes.oldest(); changeSeq <= changes.head(); changeSeq++)
        {
            entries.next()
                .kind(ChangeKind.get(changes.kind(changeSeq)))
                .conversationId(changes.conversationId(changeSeq))
                .seq(changes.seq(changeSeq))
                .userId(changes.userId(changeSeq));
        }
        userEncoder.name(user.name());
        emit(sink, userEncoder.limit());
    }

    private void writeDevice(final RecordSink sink, final Device device)
    {
        deviceEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .userId(device.user().userId())
            .deviceId(device.deviceId())
            .platform(Platform.get(device.platform()))
            .ackedChangeSeq(device.ackedChangeSeq())
            .lastClientMsgId(device.lastClientMsgId())
            .gatewayId(device.gatewayId())
            .connectionId(device.connectionId())
            .loginTimestamp(device.loginTimestamp());
        final SentWindow sent = device.sent();
        final DeviceRecordEncoder.SentEncoder entries = deviceEncoder.sentCount(sent.size());
        for (int row = 0; row < sent.size(); row++)
        {
            entries.next()
                .clientMsgId(sent.get(row, SentWindow.CLIENT_MSG_ID))
                .conversationId(sent.get(row, SentWindow.CONVERSATION_ID))
                .messageId(sent.get(row, SentWindow.MESSAGE_ID))
                .seq(sent.get(row, SentWindow.SEQ))
                .changeSeq(sent.get(row, SentWindow.CHANGE_SEQ))
                .timestamp(sent.get(row, SentWindow.TIMESTAMP));
        }
        final SortedLongSet subscriptions = device.presenceSubscriptions();
        final DeviceRecordEncoder.SubscriptionsEncoder subscribed = deviceEncoder.subscriptionsCount(subscriptions.size());
        for (int i = 0; i < subscriptions.size(); i++)
        {
            subscribed.next().userId(subscriptions.get(i));
        }
        emit(sink, deviceEncoder.limit());
    }

    private void writeConversation(final RecordSink sink, final Conversation conversation)
    {
        final int memberCount = conversation.memberCount();
        final int firstChunk = Math.min(memberCount, MEMBERS_PER_RECORD);
        conversationEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .conversationId(conversation.conversationId())
            .kind(conversation.kind())
            .headSeq(conversation.headSeq())
            .lastTimestamp(conversation.lastTimestamp())
            .activity(conversation.activity())
            .membersCanInvite(conversation.membersCanInvite() ? BooleanType.TRUE : BooleanType.FALSE)
            .memberTotal(memberCount);
        final ConversationRecordEncoder.MembersEncoder members = conversationEncoder.membersCount(firstChunk);
        for (int i = 0; i < firstChunk; i++)
        {
            members.next()
                .userId(conversation.member(i))
                .role(conversation.role(i))
                .readSeq(conversation.readSeq(i))
                .lastOwnSeq(conversation.lastOwnSeq(i))
                .flags(conversation.memberFlags(i))
                .joinSeq(conversation.joinSeq(i));
        }
        conversationEncoder.name(conversation.name());
        emit(sink, conversationEncoder.limit());

        for (int start = firstChunk; start < memberCount; start += MEMBERS_PER_RECORD)
        {
            final int end = Math.min(memberCount, start + MEMBERS_PER_RECORD);
            membersEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).conversationId(conversation.conversationId());
            final MembersRecordEncoder.MembersEncoder more = membersEncoder.membersCount(end - start);
            for (int i = start; i < end; i++)
            {
                more.next()
                    .userId(conversation.member(i))
                    .role(conversation.role(i))
                    .readSeq(conversation.readSeq(i))
                    .lastOwnSeq(conversation.lastOwnSeq(i))
                    .flags(conversation.memberFlags(i))
                    .joinSeq(conversation.joinSeq(i));
            }
            emit(sink, membersEncoder.limit());
        }
    }

    private void writeRelations(final RecordSink sink, final User user)
    {
        relationsEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).userId(user.userId());
        final SortedLongSet friends = user.friends();
        final RelationsRecordEncoder.FriendsEncoder friendEntries = relationsEncoder.friendsCount(friends.size());
        for (int i = 0; i < friends.size(); i++)
        {
            friendEntries.next().userId(friends.get(i));
        }
        final SortedLongSet blocked = user.blocked();
        final RelationsRecordEncoder.BlockedEncoder blockedEntries = relationsEncoder.blockedCount(blocked.size());
        for (int i = 0; i < blocked.size(); i++)
        {
            blockedEntries.next().userId(blocked.get(i));
        }
        final SortedLongSet incoming = user.incomingRequests();
        final RelationsRecordEncoder.IncomingEncoder incomingEntries = relationsEncoder.incomingCount(incoming.size());
        for (int i = 0; i < incoming.size(); i++)
        {
            incomingEntries.next().userId(incoming.get(i)).note(user.incomingNote(i));
        }
        emit(sink, relationsEncoder.limit());
    }

    private void emit(final RecordSink sink, final int length)
    {
        recordCount++;
        sink.onRecord(buffer, 0, length);
    }
}
