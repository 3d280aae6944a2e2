package io.banter.engine;

import io.banter.codecs.AddMembersDecoder;
import io.banter.codecs.BlockDecoder;
import io.banter.codecs.ConnectionClosedDecoder;
import io.banter.codecs.CommandBatchDecoder;
import io.banter.codecs.ConnectionRequestDecoder;
import io.banter.codecs.batch.BatchReader;
import io.banter.codecs.ConversationsQueryDecoder;
import io.banter.codecs.CreateGroupDecoder;
import io.banter.codecs.DeviceLoginDecoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.FriendRequestDecoder;
import io.banter.codecs.FriendRespondDecoder;
import io.banter.codecs.GatewayLostDecoder;
import io.banter.codecs.GroupInfoQueryDecoder;
import io.banter.codecs.HistoryDecoder;
import io.banter.codecs.LeaveGroupDecoder;
import io.banter.codecs.ListConversationsDecoder;
import io.banter.codecs.LoginDecoder;
import io.banter.codecs.LogoutDecoder;
import io.banter.codecs.LookupUserDecoder;
import io.banter.codecs.MarkReadDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.PresenceQueryDecoder;
import io.banter.codecs.RecallDecoder;
import io.banter.codecs.ReceiptQueryDecoder;
import io.banter.codecs.RegisterUserDecoder;
import io.banter.codecs.RelationsQueryDecoder;
import io.banter.codecs.RemoveFriendDecoder;
import io.banter.codecs.RemoveMemberDecoder;
import io.banter.codecs.SendDecoder;
import io.banter.codecs.SetRoleDecoder;
import io.banter.codecs.SubscribePresenceDecoder;
import io.banter.codecs.SyncAckDecoder;
import io.banter.codecs.SyncDecoder;
import io.banter.codecs.UpdateGroupDecoder;
import io.banter.engine.event.EventPublisher;
import io.banter.engine.handler.AdminHandler;
import io.banter.engine.handler.GroupHandler;
import io.banter.engine.handler.MessagePoster;
import io.banter.engine.handler.PresenceHandler;
import io.banter.engine.handler.QueryHandler;
import io.banter.engine.handler.ReadHandler;
import io.banter.engine.handler.RecallHandler;
import io.banter.engine.handler.RelationHandler;
import io.banter.engine.handler.SendHandler;
import io.banter.engine.handler.SessionHandler;
import io.banter.engine.snapshot.SnapshotLoader;
import io.banter.engine.snapshot.SnapshotSink;
import io.banter.engine.snapshot.SnapshotWriter;
import io.banter.engine.snapshot.StateHash;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.banter.engine.handler.Validation.VAR_DATA_LENGTH_FIELD;
import static io.banter.engine.handler.Validation.VAR_STRING_LENGTH_FIELD;
import static io.banter.engine.handler.Validation.fixedBlockFits;
import static io.banter.engine.handler.Validation.groupEnd;
import static io.banter.engine.handler.Validation.varDataFits;

/**
 * The deterministic IM state machine of one shard. It applies one command at a time, each an
 * SBE engine command with the cluster timestamp it was sequenced at, and emits events through
 * an {@link EngineOutput}. No threads, no I/O, no clock, no randomness: the same commands give
 * the same state and the same events on every replica and every replay.
 * <p>
 * Not thread-safe: exactly one thread (the clustered service thread) calls it.
 */
public final class Engine implements AutoCloseable
{
    private final EngineContext context;
    private final EngineState state;
    private final EventPublisher publisher;
    private final AdminHandler adminHandler;
    private final SessionHandler sessionHandler;
    private final SendHandler sendHandler;
    private final QueryHandler queryHandler;
    private final GroupHandler groupHandler;
    private final ReadHandler readHandler;
    private final RecallHandler recallHandler;
    private final RelationHandler relationHandler;
    private final PresenceHandler presenceHandler;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderDecoder requestHeaderDecoder = new MessageHeaderDecoder();
    private final RegisterUserDecoder registerUserDecoder = new RegisterUserDecoder();
    private final DeviceLoginDecoder deviceLoginDecoder = new DeviceLoginDecoder();
    private final ConnectionRequestDecoder connectionRequestDecoder = new ConnectionRequestDecoder();
    private final BatchReader batchReader = new BatchReader();
    private final ConnectionClosedDecoder connectionClosedDecoder = new ConnectionClosedDecoder();
    private final GatewayLostDecoder gatewayLostDecoder = new GatewayLostDecoder();
    private final SendDecoder sendDecoder = new SendDecoder();
    private final SyncDecoder syncDecoder = new SyncDecoder();
    private final SyncAckDecoder syncAckDecoder = new SyncAckDecoder();
    private final HistoryDecoder historyDecoder = new HistoryDecoder();
    private final LogoutDecoder logoutDecoder = new LogoutDecoder();
    private final PresenceQueryDecoder presenceQueryDecoder = new PresenceQueryDecoder();
    private final ListConversationsDecoder listConversationsDecoder = new ListConversationsDecoder();
    private final LookupUserDecoder lookupUserDecoder = new LookupUserDecoder();
    private final ConversationsQueryDecoder conversationsQueryDecoder = new ConversationsQueryDecoder();
    private final MarkReadDecoder markReadDecoder = new MarkReadDecoder();
    private final ReceiptQueryDecoder receiptQueryDecoder = new ReceiptQueryDecoder();
    private final RecallDecoder recallDecoder = new RecallDecoder();
    private final CreateGroupDecoder createGroupDecoder = new CreateGroupDecoder();
    private final AddMembersDecoder addMembersDecoder = new AddMembersDecoder();
    private final RemoveMemberDecoder removeMemberDecoder = new RemoveMemberDecoder();
    private final LeaveGroupDecoder leaveGroupDecoder = new LeaveGroupDecoder();
    private final SetRoleDecoder setRoleDecoder = new SetRoleDecoder();
    private final UpdateGroupDecoder updateGroupDecoder = new UpdateGroupDecoder();
    private final GroupInfoQueryDecoder groupInfoQueryDecoder = new GroupInfoQueryDecoder();
    private final FriendRequestDecoder friendRequestDecoder = new FriendRequestDecoder();
    private final FriendRespondDecoder friendRespondDecoder = new FriendRespondDecoder();
    private final RemoveFriendDecoder removeFriendDecoder = new RemoveFriendDecoder();
    private final BlockDecoder blockDecoder = new BlockDecoder();
    private final RelationsQueryDecoder relationsQueryDecoder = new RelationsQueryDecoder();
    private final SubscribePresenceDecoder subscribePresenceDecoder = new SubscribePresenceDecoder();
    private final UnsafeBuffer requestView = new UnsafeBuffer(0, 0);

    private long commandCount;
    private long rejectedCommandCount;

    public Engine(final EngineContext context, final EngineOutput output)
    {
        this.context = context.conclude();
        this.state = new EngineState(this.context);
        final int maxClientMessage = context.maxPageBytes() + context.maxStoredMessageLength() + 1024;
        this.publisher = new EventPublisher(output, maxClientMessage);
        final MessagePoster poster = new MessagePoster(context, state, publisher);
        this.adminHandler = new AdminHandler(context, state, publisher);
        this.presenceHandler = new PresenceHandler(context, state, publisher);
        this.sessionHandler = new SessionHandler(context, state, publisher, presenceHandler);
        this.sendHandler = new SendHandler(context, state, publisher, poster);
        this.queryHandler = new QueryHandler(context, state, publisher);
        this.groupHandler = new GroupHandler(context, state, publisher, poster);
        this.readHandler = new ReadHandler(context, state, publisher);
        this.recallHandler = new RecallHandler(context, state, publisher);
        this.relationHandler = new RelationHandler(context, state, publisher);
    }

    /**
     * Apply one engine command.
     *
     * @param gatewayId the cluster session the command came from; answers go back to it.
     * @param timestamp the cluster time the command was sequenced at.
     */
    public void onCommand(
        final long gatewayId, final long timestamp, final DirectBuffer buffer, final int offset, final int length)
    {
        if (length >= MessageHeaderDecoder.ENCODED_LENGTH &&
            CommandBatchDecoder.TEMPLATE_ID == headerDecoder.wrap(buffer, offset).templateId() &&
            MessageHeaderDecoder.SCHEMA_ID == headerDecoder.schemaId())
        {
            onCommandBatch(gatewayId, timestamp, buffer, offset, length);
        }
        else
        {
            applyCommand(gatewayId, timestamp, buffer, offset, length);
        }
    }

    /**
     * A gateway's batch is its commands applied one after another, each as if it had come alone
     * (same gateway, same sequenced time); a malformed batch is refused whole, applying none.
     */
    private void onCommandBatch(
        final long gatewayId, final long timestamp, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!batchReader.wrap(buffer, offset, length))
        {
            commandCount++;
            rejectCommand(gatewayId, ErrorCode.MALFORMED, batchReader.refusal());
            return;
        }
        while (batchReader.next())
        {
            applyCommand(gatewayId, timestamp, buffer, batchReader.entryOffset(), batchReader.entryLength());
        }
    }

    private void applyCommand(
        final long gatewayId, final long timestamp, final DirectBuffer buffer, final int offset, final int length)
    {
        commandCount++;
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            rejectCommand(gatewayId, ErrorCode.MALFORMED, "command shorter than an SBE message header");
            return;
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            rejectCommand(gatewayId, ErrorCode.UNSUPPORTED_VERSION, "unknown schema id " + headerDecoder.schemaId());
            return;
        }

        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int end = offset + length;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        switch (headerDecoder.templateId())
        {
            case ConnectionRequestDecoder.TEMPLATE_ID:
                if (fixedBlockFits(headerDecoder, length, ConnectionRequestDecoder.BLOCK_LENGTH) &&
                    varDataFits(buffer, bodyOffset + blockLength, end, VAR_DATA_LENGTH_FIELD))
                {
                    connectionRequestDecoder.wrap(buffer, bodyOffset, blockLength, version);
                    onConnectionRequest(gatewayId, timestamp);
                    return;
                }
                break;

            case DeviceLoginDecoder.TEMPLATE_ID:
                if (fixedBlockFits(headerDecoder, length, DeviceLoginDecoder.BLOCK_LENGTH))
                {
                    sessionHandler.onDeviceLogin(
                        gatewayId, deviceLoginDecoder.wrap(buffer, bodyOffset, blockLength, version), timestamp);
                    return;
                }
                break;

            case ConnectionClosedDecoder.TEMPLATE_ID:
                if (fixedBlockFits(headerDecoder, length, ConnectionClosedDecoder.BLOCK_LENGTH))
                {
                    connectionClosedDecoder.wrap(buffer, bodyOffset, blockLength, version);
                    sessionHandler.onConnectionClosed(gatewayId, connectionClosedDecoder.connectionId());
                    return;
                }
                break;

            case GatewayLostDecoder.TEMPLATE_ID:
                if (fixedBlockFits(headerDecoder, length, GatewayLostDecoder.BLOCK_LENGTH))
                {
                    gatewayLostDecoder.wrap(buffer, bodyOffset, blockLength, version);
                    sessionHandler.onGatewayLost(gatewayLostDecoder.gatewayId());
                    return;
                }
                break;

            case RegisterUserDecoder.TEMPLATE_ID:
                if (fixedBlockFits(headerDecoder, length, RegisterUserDecoder.BLOCK_LENGTH) &&
                    varDataFits(buffer, bodyOffset + blockLength, end, VAR_STRING_LENGTH_FIELD))
                {
                    adminHandler.onRegisterUser(gatewayId, registerUserDecoder.wrap(buffer, bodyOffset, blockLength, version));
                    return;
                }
                break;

            default:
                rejectCommand(gatewayId, ErrorCode.UNKNOWN_TEMPLATE,
                    "unknown engine command template " + headerDecoder.templateId());
                return;
        }
        rejectCommand(gatewayId, ErrorCode.MALFORMED,
            "engine command template " + headerDecoder.templateId() + " does not fit its " + length + " bytes");
    }

    /**
     * A gateway's cluster session ended: every device on it goes offline. Hosting calls this
     * from the session-close callback, which is itself in the log.
     */
    public void onGatewayLost(final long gatewayId, final long timestamp)
    {
        commandCount++;
        sessionHandler.onGatewayLost(gatewayId);
    }

    private void onConnectionRequest(final long gatewayId, final long timestamp)
    {
        final long connectionId = connectionRequestDecoder.connectionId();
        connectionRequestDecoder.wrapRequest(requestView);
        final int length = requestView.capacity();
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            requestError(gatewayId, connectionId, 0, ErrorCode.MALFORMED, "request shorter than an SBE message header");
            return;
        }
        final MessageHeaderDecoder header = requestHeaderDecoder.wrap(requestView, 0);
        final int templateId = header.templateId();
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            requestError(gatewayId, connectionId, templateId, ErrorCode.UNSUPPORTED_VERSION,
                "unknown schema id " + header.schemaId());
            return;
        }
        final Device device = state.deviceOn(gatewayId, connectionId);
        final int bodyOffset = MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();

        switch (templateId)
        {
            case SendDecoder.TEMPLATE_ID:
            {
                if (!fixedBlockFits(header, length, SendDecoder.BLOCK_LENGTH) ||
                    !varDataFits(requestView, bodyOffset + blockLength, length, VAR_DATA_LENGTH_FIELD))
                {
                    break;
                }
                final SendDecoder send = sendDecoder.wrap(requestView, bodyOffset, blockLength, version);
                final long clientMsgId = send.clientMsgId();
                final long conversationId = send.conversationId();
                final long toUserId = send.toUserId();
                final int contentType = send.contentType();
                final int payloadLength = send.payloadLength();
                final int payloadOffset = send.limit() + VAR_DATA_LENGTH_FIELD;
                if (null == device)
                {
                    publisher.sendRejected(gatewayId, connectionId, clientMsgId, conversationId, ErrorCode.NOT_LOGGED_IN,
                        "the connection has no logged-in device");
                    rejectedCommandCount++;
                    return;
                }
                sendHandler.onSend(gatewayId, connectionId, device, clientMsgId, conversationId, toUserId, contentType,
                    requestView, payloadOffset, payloadLength, timestamp);
                return;
            }

            case SyncDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, SyncDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                syncDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, syncDecoder.correlationId(), templateId))
                {
                    queryHandler.onSync(gatewayId, connectionId, device, syncDecoder);
                }
                return;

            case SyncAckDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, SyncAckDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                syncAckDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, 0, templateId))
                {
                    sessionHandler.onSyncAck(gatewayId, connectionId, device, syncAckDecoder);
                }
                return;

            case HistoryDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, HistoryDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                historyDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, historyDecoder.correlationId(), templateId))
                {
                    queryHandler.onHistory(gatewayId, connectionId, device, historyDecoder);
                }
                return;

            case PresenceQueryDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, PresenceQueryDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                presenceQueryDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, presenceQueryDecoder.correlationId(), templateId))
                {
                    queryHandler.onPresenceQuery(gatewayId, connectionId, presenceQueryDecoder);
                }
                return;

            case ListConversationsDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, ListConversationsDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                listConversationsDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, listConversationsDecoder.correlationId(), templateId))
                {
                    queryHandler.onListConversations(gatewayId, connectionId, device, listConversationsDecoder);
                }
                return;

            case LookupUserDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, LookupUserDecoder.BLOCK_LENGTH) ||
                    !varDataFits(requestView, bodyOffset + blockLength, length, VAR_STRING_LENGTH_FIELD))
                {
                    break;
                }
                lookupUserDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, lookupUserDecoder.correlationId(), templateId))
                {
                    queryHandler.onLookupUser(gatewayId, connectionId, lookupUserDecoder);
                }
                return;

            case LogoutDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, LogoutDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                logoutDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, logoutDecoder.correlationId(), templateId))
                {
                    sessionHandler.onLogout(device);
                }
                return;

            case ConversationsQueryDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, ConversationsQueryDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                conversationsQueryDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, conversationsQueryDecoder.correlationId(), templateId))
                {
                    queryHandler.onConversationsQuery(gatewayId, connectionId, device, conversationsQueryDecoder);
                }
                return;

            case MarkReadDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, MarkReadDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                markReadDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, markReadDecoder.correlationId(), templateId))
                {
                    readHandler.onMarkRead(gatewayId, connectionId, device, markReadDecoder);
                }
                return;

            case ReceiptQueryDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, ReceiptQueryDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                receiptQueryDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, receiptQueryDecoder.correlationId(), templateId))
                {
                    readHandler.onReceiptQuery(gatewayId, connectionId, device, receiptQueryDecoder);
                }
                return;

            case RecallDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, RecallDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                recallDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, recallDecoder.correlationId(), templateId))
                {
                    recallHandler.onRecall(gatewayId, connectionId, device, recallDecoder, timestamp);
                }
                return;

            case CreateGroupDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, CreateGroupDecoder.BLOCK_LENGTH) ||
                    !varDataFits(requestView,
                        groupEnd(requestView, bodyOffset + blockLength, length, CreateGroupDecoder.MembersDecoder.sbeBlockLength()),
                        length, VAR_STRING_LENGTH_FIELD))
                {
                    break;
                }
                createGroupDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, createGroupDecoder.correlationId(), templateId))
                {
                    groupHandler.onCreateGroup(gatewayId, connectionId, device, createGroupDecoder, timestamp);
                }
                return;

            case AddMembersDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, AddMembersDecoder.BLOCK_LENGTH) ||
                    groupEnd(requestView, bodyOffset + blockLength, length, AddMembersDecoder.MembersDecoder.sbeBlockLength()) < 0)
                {
                    break;
                }
                addMembersDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, addMembersDecoder.correlationId(), templateId))
                {
                    groupHandler.onAddMembers(gatewayId, connectionId, device, addMembersDecoder, timestamp);
                }
                return;

            case RemoveMemberDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, RemoveMemberDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                removeMemberDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, removeMemberDecoder.correlationId(), templateId))
                {
                    groupHandler.onRemoveMember(gatewayId, connectionId, device, removeMemberDecoder, timestamp);
                }
                return;

            case LeaveGroupDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, LeaveGroupDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                leaveGroupDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, leaveGroupDecoder.correlationId(), templateId))
                {
                    groupHandler.onLeaveGroup(gatewayId, connectionId, device, leaveGroupDecoder, timestamp);
                }
                return;

            case SetRoleDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, SetRoleDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                setRoleDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, setRoleDecoder.correlationId(), templateId))
                {
                    groupHandler.onSetRole(gatewayId, connectionId, device, setRoleDecoder, timestamp);
                }
                return;

            case UpdateGroupDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, UpdateGroupDecoder.BLOCK_LENGTH) ||
                    !varDataFits(requestView, bodyOffset + blockLength, length, VAR_STRING_LENGTH_FIELD))
                {
                    break;
                }
                updateGroupDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, updateGroupDecoder.correlationId(), templateId))
                {
                    groupHandler.onUpdateGroup(gatewayId, connectionId, device, updateGroupDecoder, timestamp);
                }
                return;

            case GroupInfoQueryDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, GroupInfoQueryDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                groupInfoQueryDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, groupInfoQueryDecoder.correlationId(), templateId))
                {
                    queryHandler.onGroupInfoQuery(gatewayId, connectionId, device, groupInfoQueryDecoder);
                }
                return;

            case FriendRequestDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, FriendRequestDecoder.BLOCK_LENGTH) ||
                    !varDataFits(requestView, bodyOffset + blockLength, length, VAR_STRING_LENGTH_FIELD))
                {
                    break;
                }
                friendRequestDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, friendRequestDecoder.correlationId(), templateId))
                {
                    relationHandler.onFriendRequest(gatewayId, connectionId, device, friendRequestDecoder);
                }
                return;

            case FriendRespondDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, FriendRespondDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                friendRespondDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, friendRespondDecoder.correlationId(), templateId))
                {
                    relationHandler.onFriendRespond(gatewayId, connectionId, device, friendRespondDecoder);
                }
                return;

            case RemoveFriendDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, RemoveFriendDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                removeFriendDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, removeFriendDecoder.correlationId(), templateId))
                {
                    relationHandler.onRemoveFriend(gatewayId, connectionId, device, removeFriendDecoder);
                }
                return;

            case BlockDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, BlockDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                blockDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, blockDecoder.correlationId(), templateId))
                {
                    relationHandler.onBlock(gatewayId, connectionId, device, blockDecoder);
                }
                return;

            case RelationsQueryDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, RelationsQueryDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                relationsQueryDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, relationsQueryDecoder.correlationId(), templateId))
                {
                    queryHandler.onRelationsQuery(gatewayId, connectionId, device, relationsQueryDecoder);
                }
                return;

            case SubscribePresenceDecoder.TEMPLATE_ID:
                if (!fixedBlockFits(header, length, SubscribePresenceDecoder.BLOCK_LENGTH))
                {
                    break;
                }
                subscribePresenceDecoder.wrap(requestView, bodyOffset, blockLength, version);
                if (loggedIn(gatewayId, connectionId, device, subscribePresenceDecoder.correlationId(), templateId))
                {
                    presenceHandler.onSubscribePresence(gatewayId, connectionId, device, subscribePresenceDecoder);
                }
                return;

            case LoginDecoder.TEMPLATE_ID:
                requestError(gatewayId, connectionId, templateId, ErrorCode.UNKNOWN_TEMPLATE,
                    "Login is answered by the gateway, not forwarded");
                return;

            default:
                requestError(gatewayId, connectionId, templateId, ErrorCode.UNKNOWN_TEMPLATE,
                    "unknown request template " + templateId);
                return;
        }
        requestError(gatewayId, connectionId, templateId, ErrorCode.MALFORMED,
            "request template " + templateId + " does not fit its " + length + " bytes");
    }

    private boolean loggedIn(
        final long gatewayId, final long connectionId, final Device device, final long correlationId, final int templateId)
    {
        if (null == device)
        {
            rejectedCommandCount++;
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.NOT_LOGGED_IN, templateId,
                "the connection has no logged-in device");
            return false;
        }
        return true;
    }

    private void requestError(
        final long gatewayId, final long connectionId, final int templateId, final ErrorCode code, final String text)
    {
        rejectedCommandCount++;
        publisher.error(gatewayId, connectionId, 0, code, templateId, text);
    }

    private void rejectCommand(final long gatewayId, final ErrorCode code, final String text)
    {
        rejectedCommandCount++;
        publisher.adminResponse(gatewayId, 0, code, 0, text);
    }

    // ------------------------------------------------------------------ snapshot and hash

    /**
     * Write the whole state as a stream of checksummed SBE chunks.
     */
    public void takeSnapshot(final SnapshotSink sink)
    {
        new SnapshotWriter(state).writeTo(sink);
    }

    /**
     * A loader that fills this engine, which must be new (no command applied), from snapshot chunks.
     */
    public SnapshotLoader snapshotLoader()
    {
        if (commandCount != 0 || state.userCount() != 0)
        {
            throw new IllegalStateException("a snapshot loads only into a fresh engine");
        }
        return new SnapshotLoader(context, state);
    }

    /**
     * A 64-bit hash of the whole state, equal on replicas and replays that applied the same log.
     */
    public long stateHash()
    {
        final StateHash hash = new StateHash();
        new SnapshotWriter(state).writeRecords(hash);
        return hash.value();
    }

    public EngineContext context()
    {
        return context;
    }

    /**
     * Read-only use: inspection and tests.
     */
    public EngineState state()
    {
        return state;
    }

    public long commandCount()
    {
        return commandCount;
    }

    public long rejectedCommandCount()
    {
        return rejectedCommandCount;
    }

    public void close()
    {
        state.messageStore().close();
    }
}
