package io.banter.engine.snapshot;

import io.banter.codecs.ChangeKind;
import io.banter.codecs.ConversationRecordEncoder;
import io.banter.codecs.DeviceRecordEncoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.Platform;
import io.banter.codecs.SnapshotBeginEncoder;
import io.banter.codecs.SnapshotEndEncoder;
import io.banter.codecs.UserRecordEncoder;
import io.banter.engine.state.ChangeLog;
import io.banter.engine.state.Conversation;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.SentWindow;
import io.banter.engine.state.User;
import io.banter.engine.store.MessageStore;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Serialises the whole engine state as SBE records in a deterministic order: users by id, their
 * devices in login order, conversations by id, then every stored message by (conversation, seq).
 * The same stream feeds snapshots (through {@link ChunkingRecordSink}) and the state hash.
 */
public final class SnapshotWriter
{
    public static final int FORMAT_VERSION = 1;

    private final EngineState state;
    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(64 * 1024);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SnapshotBeginEncoder beginEncoder = new SnapshotBeginEncoder();
    private final UserRecordEncoder userEncoder = new UserRecordEncoder();
    private final DeviceRecordEncoder deviceEncoder = new DeviceRecordEncoder();
    private final ConversationRecordEncoder conversationEncoder = new ConversationRecordEncoder();
    private final SnapshotEndEncoder endEncoder = new SnapshotEndEncoder();
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
            messageCount += state.conversation(conversationId).headSeq();
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
            final long headSeq = state.conversation(conversationId).headSeq();
            for (long seq = 1; seq <= headSeq; seq++)
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
                .seq(changes.seq(changeSeq));
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
            .connectionId(device.connectionId());
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
        emit(sink, deviceEncoder.limit());
    }

    private void writeConversation(final RecordSink sink, final Conversation conversation)
    {
        conversationEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .conversationId(conversation.conversationId())
            .kind(conversation.kind())
            .headSeq(conversation.headSeq())
            .lastTimestamp(conversation.lastTimestamp());
        final ConversationRecordEncoder.MembersEncoder members =
            conversationEncoder.membersCount(conversation.memberCount());
        for (int i = 0; i < conversation.memberCount(); i++)
        {
            members.next().userId(conversation.member(i));
        }
        emit(sink, conversationEncoder.limit());
    }

    private void emit(final RecordSink sink, final int length)
    {
        recordCount++;
        sink.onRecord(buffer, 0, length);
    }
}
