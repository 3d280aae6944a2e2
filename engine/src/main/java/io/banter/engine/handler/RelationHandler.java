package io.banter.engine.handler;

import io.banter.codecs.BlockDecoder;
import io.banter.codecs.BooleanType;
import io.banter.codecs.ChangeKind;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.FriendRequestDecoder;
import io.banter.codecs.FriendRespondDecoder;
import io.banter.codecs.RelationChangedEncoder;
import io.banter.codecs.RemoveFriendDecoder;
import io.banter.engine.EngineContext;
import io.banter.engine.event.DeliveryTargets;
import io.banter.engine.event.EventPublisher;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.User;

import static io.banter.codecs.validation.EnumDomain.BOOLEAN_TYPE;

/**
 * The relationship chain: friend requests with a note, accept, decline, removal, blocking. Each
 * change is a change entry for the users it concerns, so an offline user learns of it on sync,
 * and a {@code RelationChanged} push to their online devices.
 * <p>
 * A request while the other side's request is pending accepts it. A blocked user can neither
 * message nor befriend the blocker; blocking drops a pending request between the two.
 */
public final class RelationHandler
{
    private final EngineContext context;
    private final EngineState state;
    private final EventPublisher publisher;
    private final DeliveryTargets targets;

    public RelationHandler(final EngineContext context, final EngineState state, final EventPublisher publisher)
    {
        this.context = context;
        this.state = state;
        this.publisher = publisher;
        this.targets = new DeliveryTargets(context.maxDevicesPerUser());
    }

    public void onFriendRequest(
        final long gatewayId, final long connectionId, final Device device, final FriendRequestDecoder command)
    {
        final long correlationId = command.correlationId();
        final int templateId = FriendRequestDecoder.TEMPLATE_ID;
        final User requester = device.user();
        final long toUserId = command.toUserId();
        final int noteLength = command.noteLength();
        if (noteLength > context.maxNoteLength())
        {
            error(gatewayId, connectionId, correlationId, templateId, ErrorCode.MALFORMED,
                "a note is at most " + context.maxNoteLength() + " bytes");
            return;
        }
        final String note = command.note();
        final User target = otherUser(gatewayId, connectionId, correlationId, templateId, requester, toUserId);
        if (null == target)
        {
            return;
        }
        if (requester.isFriend(toUserId))
        {
            error(gatewayId, connectionId, correlationId, templateId, ErrorCode.ALREADY_FRIENDS, "already friends");
            return;
        }
        if (target.hasBlocked(requester.userId()))
        {
            error(gatewayId, connectionId, correlationId, templateId, ErrorCode.BLOCKED,
                "the user does not accept requests from this user");
            return;
        }
        if (requester.hasBlocked(toUserId))
        {
            error(gatewayId, connectionId, correlationId, templateId, ErrorCode.NOT_PERMITTED,
                "unblock the user before asking to be friends");
            return;
        }
        if (requester.incomingRequests().contains(toUserId))
        {
            if (!roomForFriend(gatewayId, connectionId, correlationId, templateId, requester, target))
            {
                return;
            }
            befriend(requester, target, device);
            publisher.done(gatewayId, connectionId, correlationId, templateId, 0, toUserId, 0);
            return;
        }
        final boolean alreadyPending = requester.outgoingRequests().contains(toUserId);
        if (!alreadyPending && (requester.outgoingRequests().size() >= context.maxPendingFriendRequests() ||
            target.incomingRequests().size() >= context.maxPendingFriendRequests()))
        {
            error(gatewayId, connectionId, correlationId, templateId, ErrorCode.LIMIT_REACHED,
                "at most " + context.maxPendingFriendRequests() + " pending requests per user");
            return;
        }

        requester.outgoingRequests().add(toUserId);
        target.addIncomingRequest(requester.userId(), note);
        final long changeSeq = target.changes().append(ChangeKind.FRIEND_REQUEST, 0, 0, requester.userId());
        push(target, null, changeSeq, ChangeKind.FRIEND_REQUEST, requester.userId(), note);
        publisher.done(gatewayId, connectionId, correlationId, templateId, 0, toUserId, 0);
    }

    public void onFriendRespond(
        final long gatewayId, final long connectionId, final Device device, final FriendRespondDecoder command)
    {
        final long correlationId = command.correlationId();
        final int templateId = FriendRespondDecoder.TEMPLATE_ID;
        final User responder = device.user();
        final long fromUserId = command.fromUserId();
        final short acceptRaw = command.acceptRaw();
        if (!BOOLEAN_TYPE.isDefined(acceptRaw))
        {
            error(gatewayId, connectionId, correlationId, templateId, ErrorCode.MALFORMED,
                BOOLEAN_TYPE.refusal("accept", acceptRaw));
            return;
        }
        final BooleanType accept = command.accept();
        if (!responder.incomingRequests().contains(fromUserId))
        {
            error(gatewayId, connectionId, correlationId, templateId, ErrorCode.NO_SUCH_REQUEST,
                "no pending request from user " + fromUserId);
            return;
        }
        final User requester = state.user(fromUserId);
        if (accept == BooleanType.TRUE)
        {
            if (!roomForFriend(gatewayId, connectionId, correlationId, templateId, responder, requester))
            {
                return;
            }
            befriend(responder, requester, device);
        }
        else
        {
            responder.removeIncomingRequest(fromUserId);
            requester.outgoingRequests().remove(responder.userId());
            final long changeSeq = requester.changes().append(ChangeKind.FRIEND_DECLINED, 0, 0, responder.userId());
            push(requester, null, changeSeq, ChangeKind.FRIEND_DECLINED, responder.userId(), "");
        }
        publisher.done(gatewayId, connectionId, correlationId, templateId, 0, fromUserId, 0);
    }

    public void onRemoveFriend(
        final long gatewayId, final long connectionId, final Device device, final RemoveFriendDecoder command)
    {
        final long correlationId = command.correlationId();
        final int templateId = RemoveFriendDecoder.TEMPLATE_ID;
        final User user = device.user();
        final long otherId = command.userId();
        if (!user.isFriend(otherId))
        {
            error(gatewayId, connectionId, correlationId, templateId, ErrorCode.NOT_FRIENDS,
                "user " + otherId + " is not a friend");
            return;
        }
        final User other = state.user(otherId);
        user.friends().remove(otherId);
        other.friends().remove(user.userId());
        final long userChange = user.changes().append(ChangeKind.FRIEND_REMOVED, 0, 0, otherId);
        final long otherChange = other.changes().append(ChangeKind.FRIEND_REMOVED, 0, 0, user.userId());
        push(user, device, userChange, ChangeKind.FRIEND_REMOVED, otherId, "");
        push(other, null, otherChange, ChangeKind.FRIEND_REMOVED, user.userId(), "");
        publisher.done(gatewayId, connectionId, correlationId, templateId, 0, otherId, 0);
    }

    public void onBlock(final long gatewayId, final long connectionId, final Device device, final BlockDecoder command)
    {
        final long correlationId = command.correlationId();
        final int templateId = BlockDecoder.TEMPLATE_ID;
        final User user = device.user();
        final short blockedRaw = command.blockedRaw();
        if (!BOOLEAN_TYPE.isDefined(blockedRaw))
        {
            error(gatewayId, connectionId, correlationId, templateId, ErrorCode.MALFORMED,
                BOOLEAN_TYPE.refusal("blocked", blockedRaw));
            return;
        }
        final BooleanType blocked = command.blocked();
        final User other = otherUser(gatewayId, connectionId, correlationId, templateId, user, command.userId());
        if (null == other)
        {
            return;
        }
        final long otherId = other.userId();
        if (blocked == BooleanType.TRUE)
        {
            if (!user.hasBlocked(otherId) && user.blocked().size() >= context.maxBlocked())
            {
                error(gatewayId, connectionId, correlationId, templateId, ErrorCode.LIMIT_REACHED,
                    "a user blocks at most " + context.maxBlocked() + " users");
                return;
            }
            if (user.blocked().add(otherId))
            {
                // A blocked user's pending request goes, as does one to it.
                if (user.removeIncomingRequest(otherId))
                {
                    other.outgoingRequests().remove(user.userId());
                }
                if (other.removeIncomingRequest(user.userId()))
                {
                    user.outgoingRequests().remove(otherId);
                }
                final long changeSeq = user.changes().append(ChangeKind.BLOCK_CHANGED, 0, 1, otherId);
                push(user, device, changeSeq, ChangeKind.BLOCK_CHANGED, otherId, "");
            }
        }
        else if (user.blocked().remove(otherId))
        {
            final long changeSeq = user.changes().append(ChangeKind.BLOCK_CHANGED, 0, 0, otherId);
            push(user, device, changeSeq, ChangeKind.BLOCK_CHANGED, otherId, "");
        }
        publisher.done(gatewayId, connectionId, correlationId, templateId, 0, otherId, blocked == BooleanType.TRUE ? 1 : 0);
    }

    private void befriend(final User accepter, final User requester, final Device accepterDevice)
    {
        accepter.removeIncomingRequest(requester.userId());
        requester.outgoingRequests().remove(accepter.userId());
        accepter.friends().add(requester.userId());
        requester.friends().add(accepter.userId());
        final long accepterChange = accepter.changes().append(ChangeKind.FRIEND_ACCEPTED, 0, 0, requester.userId());
        final long requesterChange = requester.changes().append(ChangeKind.FRIEND_ACCEPTED, 0, 0, accepter.userId());
        push(accepter, accepterDevice, accepterChange, ChangeKind.FRIEND_ACCEPTED, requester.userId(), "");
        push(requester, null, requesterChange, ChangeKind.FRIEND_ACCEPTED, accepter.userId(), "");
    }

    private boolean roomForFriend(
        final long gatewayId, final long connectionId, final long correlationId, final int templateId,
        final User a, final User b)
    {
        if (a.friends().size() >= context.maxFriends() || b.friends().size() >= context.maxFriends())
        {
            error(gatewayId, connectionId, correlationId, templateId, ErrorCode.LIMIT_REACHED,
                "a user has at most " + context.maxFriends() + " friends");
            return false;
        }
        return true;
    }

    private User otherUser(
        final long gatewayId, final long connectionId, final long correlationId, final int templateId,
        final User user, final long otherId)
    {
        if (otherId == user.userId())
        {
            error(gatewayId, connectionId, correlationId, templateId, ErrorCode.INVALID_RECIPIENT,
                "that is the user itself");
            return null;
        }
        final User other = state.user(otherId);
        if (null == other)
        {
            error(gatewayId, connectionId, correlationId, templateId, ErrorCode.UNKNOWN_USER, "no such user " + otherId);
        }
        return other;
    }

    private void push(
        final User user, final Device exceptDevice, final long changeSeq, final ChangeKind kind, final long otherUserId,
        final String note)
    {
        targets.clear();
        targets.addOnlineDevices(user, exceptDevice);
        if (targets.isEmpty())
        {
            return;
        }
        final RelationChangedEncoder changed = publisher.relationChanged()
            .changeSeq(changeSeq)
            .kind(kind)
            .userId(otherUserId)
            .note(note);
        publisher.deliver(targets, changed.limit());
    }

    private void error(
        final long gatewayId, final long connectionId, final long correlationId, final int templateId,
        final ErrorCode code, final String text)
    {
        publisher.error(gatewayId, connectionId, correlationId, code, templateId, text);
    }
}
