package io.banter.engine.handler;

import io.banter.codecs.DeviceLoginDecoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.KickedEncoder;
import io.banter.codecs.LoginResultEncoder;
import io.banter.codecs.Platform;
import io.banter.codecs.SyncAckDecoder;
import io.banter.engine.EngineContext;
import io.banter.engine.event.EventPublisher;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.User;

import static io.banter.codecs.validation.EnumDomain.PLATFORM;

/**
 * Device sessions: login on a gateway connection, logout, disconnect, a whole gateway lost,
 * and a device's cumulative sync ack. Presence follows: a user is online while any device is.
 * <p>
 * Device policy: per platform a user has at most a configured number of sessions online (by
 * default one MOBILE, one DESKTOP, several WEB); a new login beyond it ends the oldest with a
 * {@code Kicked} naming the reason, as does the same device logging in on another connection.
 */
public final class SessionHandler
{
    private final EngineContext context;
    private final EngineState state;
    private final EventPublisher publisher;

    private final PresenceHandler presence;

    public SessionHandler(
        final EngineContext context, final EngineState state, final EventPublisher publisher, final PresenceHandler presence)
    {
        this.context = context;
        this.state = state;
        this.publisher = publisher;
        this.presence = presence;
    }

    public void onDeviceLogin(final long gatewayId, final DeviceLoginDecoder command, final long timestamp)
    {
        final long connectionId = command.connectionId();
        final long correlationId = command.correlationId();
        final long userId = command.userId();
        final long deviceId = command.deviceId();
        final short platform = command.platformRaw();

        if (Device.OFFLINE == connectionId)
        {
            publisher.adminResponse(gatewayId, correlationId, ErrorCode.MALFORMED, userId,
                "DeviceLogin with connectionId 0");
            return;
        }
        if (null != state.deviceOn(gatewayId, connectionId))
        {
            publisher.loginRefused(gatewayId, connectionId, correlationId, userId, deviceId,
                ErrorCode.ALREADY_LOGGED_IN, "the connection is already logged in");
            return;
        }
        if (!PLATFORM.isDefined(platform))
        {
            publisher.loginRefused(gatewayId, connectionId, correlationId, userId, deviceId,
                ErrorCode.MALFORMED, PLATFORM.refusal("platform", platform));
            return;
        }
        if (0 == deviceId)
        {
            publisher.loginRefused(gatewayId, connectionId, correlationId, userId, deviceId,
                ErrorCode.MALFORMED, "deviceId must be non-zero");
            return;
        }
        final User user = state.user(userId);
        if (null == user)
        {
            publisher.loginRefused(gatewayId, connectionId, correlationId, userId, deviceId,
                ErrorCode.UNKNOWN_USER, "no such user");
            return;
        }
        Device device = user.findDevice(deviceId);
        if (null == device && !user.hasRoomForDevice())
        {
            publisher.loginRefused(gatewayId, connectionId, correlationId, userId, deviceId,
                ErrorCode.TOO_MANY_DEVICES, "the user has its maximum of " + context.maxDevicesPerUser() + " devices");
            return;
        }

        final boolean wasOnline = user.isOnline();
        if (null == device)
        {
            device = user.addDevice(deviceId, platform, context.sentWindowSize());
        }
        else
        {
            device.platform(platform);
            if (device.isOnline())
            {
                kick(device, ErrorCode.SESSION_REPLACED, deviceId, "the device logged in on another connection");
            }
        }
        final int maxSessions = maxSessions(platform);
        while (onlineOnPlatform(user, platform) >= maxSessions)
        {
            kick(oldestOnlineOnPlatform(user, platform), ErrorCode.KICKED_BY_POLICY, deviceId,
                "a newer session on the same platform took this one's place");
        }
        state.bind(device, gatewayId, connectionId);
        device.loginTimestamp(timestamp);
        presence.onPresenceMaybeChanged(user, wasOnline);

        final LoginResultEncoder result = publisher.loginResult()
            .correlationId(correlationId)
            .code(ErrorCode.NONE)
            .userId(userId)
            .deviceId(deviceId)
            .changeHead(user.changes().head())
            .ackedChangeSeq(device.ackedChangeSeq())
            .text("");
        publisher.deliver(gatewayId, connectionId, result.limit());
    }

    public void onLogout(final Device device)
    {
        endSession(device);
    }

    public void onConnectionClosed(final long gatewayId, final long connectionId)
    {
        final Device device = state.deviceOn(gatewayId, connectionId);
        if (null != device)
        {
            endSession(device);
        }
    }

    public void onGatewayLost(final long gatewayId)
    {
        for (final long connectionId : state.sortedConnectionIds(gatewayId))
        {
            endSession(state.deviceOn(gatewayId, connectionId));
        }
    }

    private void endSession(final Device device)
    {
        final User user = device.user();
        final boolean wasOnline = user.isOnline();
        presence.dropSubscriptions(device);
        state.unbind(device);
        presence.onPresenceMaybeChanged(user, wasOnline);
    }

    /**
     * End an online device's session for a reason it is told; presence is settled by the caller.
     */
    private void kick(final Device device, final ErrorCode code, final long byDeviceId, final String text)
    {
        final KickedEncoder kicked = publisher.kicked()
            .code(code)
            .byDeviceId(byDeviceId)
            .platform(Platform.get(device.platform()))
            .text(text);
        publisher.deliver(device.gatewayId(), device.connectionId(), kicked.limit());
        presence.dropSubscriptions(device);
        state.unbind(device);
    }

    private int maxSessions(final short platform)
    {
        if (platform == Platform.MOBILE.value())
        {
            return context.maxMobileSessions();
        }
        return platform == Platform.DESKTOP.value() ? context.maxDesktopSessions() : context.maxWebSessions();
    }

    private static int onlineOnPlatform(final User user, final short platform)
    {
        int online = 0;
        for (int i = 0, count = user.deviceCount(); i < count; i++)
        {
            final Device device = user.device(i);
            if (device.isOnline() && device.platform() == platform)
            {
                online++;
            }
        }
        return online;
    }

    /**
     * The session to kick first: the earliest login, the lower device id on a tie.
     */
    private static Device oldestOnlineOnPlatform(final User user, final short platform)
    {
        Device oldest = null;
        for (int i = 0, count = user.deviceCount(); i < count; i++)
        {
            final Device device = user.device(i);
            if (device.isOnline() && device.platform() == platform && (null == oldest ||
                device.loginTimestamp() < oldest.loginTimestamp() ||
                (device.loginTimestamp() == oldest.loginTimestamp() && device.deviceId() < oldest.deviceId())))
            {
                oldest = device;
            }
        }
        return oldest;
    }

    public void onSyncAck(final long gatewayId, final long connectionId, final Device device, final SyncAckDecoder ack)
    {
        final long changeSeq = ack.changeSeq();
        final long head = device.user().changes().head();
        if (changeSeq < 0)
        {
            publisher.error(gatewayId, connectionId, 0, ErrorCode.MALFORMED, SyncAckDecoder.TEMPLATE_ID,
                "changeSeq must not be negative");
            return;
        }
        if (changeSeq > head)
        {
            publisher.error(gatewayId, connectionId, 0, ErrorCode.INVALID_ACK, SyncAckDecoder.TEMPLATE_ID,
                "changeSeq is beyond the user's head");
            return;
        }
        if (changeSeq > device.ackedChangeSeq())
        {
            device.ackedChangeSeq(changeSeq);
        }
    }
}
