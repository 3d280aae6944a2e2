package io.banter.engine.handler;

import io.banter.codecs.DeviceLoginDecoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.LoginResultEncoder;
import io.banter.codecs.Platform;
import io.banter.codecs.SyncAckDecoder;
import io.banter.engine.EngineContext;
import io.banter.engine.event.EventPublisher;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.User;

/**
 * Device sessions: login on a gateway connection, logout, disconnect, a whole gateway lost,
 * and a device's cumulative sync ack. Presence follows: a user is online while any device is.
 */
public final class SessionHandler
{
    private final EngineContext context;
    private final EngineState state;
    private final EventPublisher publisher;

    public SessionHandler(final EngineContext context, final EngineState state, final EventPublisher publisher)
    {
        this.context = context;
        this.state = state;
        this.publisher = publisher;
    }

    public void onDeviceLogin(final long gatewayId, final DeviceLoginDecoder command)
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
        if (!isKnownPlatform(platform))
        {
            publisher.loginRefused(gatewayId, connectionId, correlationId, userId, deviceId,
                ErrorCode.MALFORMED, "unknown platform " + platform);
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

        if (null == device)
        {
            device = user.addDevice(deviceId, platform, context.sentWindowSize());
        }
        else
        {
            device.platform(platform);
            if (device.isOnline())
            {
                publisher.error(device.gatewayId(), device.connectionId(), 0, ErrorCode.SESSION_REPLACED,
                    DeviceLoginDecoder.TEMPLATE_ID, "the device logged in on another connection");
                state.unbind(device);
            }
        }
        state.bind(device, gatewayId, connectionId);

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
        state.unbind(device);
    }

    public void onConnectionClosed(final long gatewayId, final long connectionId)
    {
        final Device device = state.deviceOn(gatewayId, connectionId);
        if (null != device)
        {
            state.unbind(device);
        }
    }

    public void onGatewayLost(final long gatewayId)
    {
        for (final long connectionId : state.sortedConnectionIds(gatewayId))
        {
            state.unbind(state.deviceOn(gatewayId, connectionId));
        }
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

    private static boolean isKnownPlatform(final short value)
    {
        return value == Platform.MOBILE.value() || value == Platform.DESKTOP.value() || value == Platform.WEB.value();
    }
}
