package io.banter.engine.handler;

import io.banter.codecs.BooleanType;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.PresenceChangedEncoder;
import io.banter.codecs.PresenceStateEncoder;
import io.banter.codecs.SubscribePresenceDecoder;
import io.banter.engine.EngineContext;
import io.banter.engine.event.DeliveryTargets;
import io.banter.engine.event.EventPublisher;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.SortedLongSet;
import io.banter.engine.state.User;

import java.util.ArrayList;

import static io.banter.codecs.validation.EnumDomain.BOOLEAN_TYPE;

/**
 * Presence: a user is online while any of its devices is. When that flips, the online devices of
 * its friends and the devices that subscribed to it are told with one {@code PresenceChanged}.
 * Subscriptions belong to a device session and end with it.
 */
public final class PresenceHandler
{
    private final EngineContext context;
    private final EngineState state;
    private final EventPublisher publisher;
    private final DeliveryTargets targets;

    public PresenceHandler(final EngineContext context, final EngineState state, final EventPublisher publisher)
    {
        this.context = context;
        this.state = state;
        this.publisher = publisher;
        this.targets = new DeliveryTargets(context.maxDevicesPerUser());
    }

    public void onSubscribePresence(
        final long gatewayId, final long connectionId, final Device device, final SubscribePresenceDecoder command)
    {
        final long correlationId = command.correlationId();
        final int templateId = SubscribePresenceDecoder.TEMPLATE_ID;
        final short subscribeRaw = command.subscribeRaw();
        if (!BOOLEAN_TYPE.isDefined(subscribeRaw))
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED, templateId,
                BOOLEAN_TYPE.refusal("subscribe", subscribeRaw));
            return;
        }
        final User target = state.user(command.userId());
        final BooleanType subscribe = command.subscribe();
        if (null == target)
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.UNKNOWN_USER, templateId, "no such user");
            return;
        }
        if (target == device.user())
        {
            publisher.error(gatewayId, connectionId, correlationId, ErrorCode.INVALID_RECIPIENT, templateId,
                "a user does not subscribe to its own presence");
            return;
        }
        final SortedLongSet subscriptions = device.presenceSubscriptions();
        if (subscribe == BooleanType.TRUE)
        {
            if (target.hasBlocked(device.user().userId()))
            {
                publisher.error(gatewayId, connectionId, correlationId, ErrorCode.BLOCKED, templateId,
                    "the user does not share presence with this user");
                return;
            }
            if (!subscriptions.contains(target.userId()) && subscriptions.size() >= context.maxPresenceSubscriptions())
            {
                publisher.error(gatewayId, connectionId, correlationId, ErrorCode.LIMIT_REACHED, templateId,
                    "a session subscribes to at most " + context.maxPresenceSubscriptions() + " users");
                return;
            }
            subscriptions.add(target.userId());
            target.addPresenceSubscriber(device);
        }
        else
        {
            subscriptions.remove(target.userId());
            target.removePresenceSubscriber(device);
        }
        final PresenceStateEncoder presence = publisher.presenceState()
            .correlationId(correlationId)
            .userId(target.userId())
            .online(target.isOnline() ? BooleanType.TRUE : BooleanType.FALSE)
            .onlineDevices(target.onlineDevices());
        publisher.deliver(gatewayId, connectionId, presence.limit());
    }

    /**
     * End a device's subscriptions; its session is over.
     */
    public void dropSubscriptions(final Device device)
    {
        final SortedLongSet subscriptions = device.presenceSubscriptions();
        for (int i = 0, count = subscriptions.size(); i < count; i++)
        {
            state.user(subscriptions.get(i)).removePresenceSubscriber(device);
        }
        subscriptions.clear();
    }

    /**
     * Tell friends and subscribers if the user's presence flipped since {@code wasOnline}.
     */
    public void onPresenceMaybeChanged(final User user, final boolean wasOnline)
    {
        final boolean online = user.isOnline();
        if (online == wasOnline)
        {
            return;
        }
        targets.clear();
        final SortedLongSet friends = user.friends();
        for (int i = 0, count = friends.size(); i < count; i++)
        {
            targets.addOnlineDevices(state.user(friends.get(i)), null);
        }
        final ArrayList<Device> subscribers = user.presenceSubscribers();
        for (int i = 0, count = subscribers.size(); i < count; i++)
        {
            final Device subscriber = subscribers.get(i);
            if (!user.isFriend(subscriber.user().userId()))
            {
                targets.add(subscriber.gatewayId(), subscriber.connectionId());
            }
        }
        if (!targets.isEmpty())
        {
            final PresenceChangedEncoder changed = publisher.presenceChanged()
                .userId(user.userId())
                .online(online ? BooleanType.TRUE : BooleanType.FALSE)
                .onlineDevices(user.onlineDevices());
            publisher.deliver(targets, changed.limit());
        }
    }
}
