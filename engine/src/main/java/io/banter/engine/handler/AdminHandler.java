package io.banter.engine.handler;

import io.banter.codecs.ErrorCode;
import io.banter.codecs.RegisterUserDecoder;
import io.banter.engine.EngineContext;
import io.banter.engine.event.EventPublisher;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.User;

/**
 * Admin commands: user registration. Answers go to the gateway (cluster session) that sent them.
 */
public final class AdminHandler
{
    private final EngineContext context;
    private final EngineState state;
    private final EventPublisher publisher;

    public AdminHandler(final EngineContext context, final EngineState state, final EventPublisher publisher)
    {
        this.context = context;
        this.state = state;
        this.publisher = publisher;
    }

    public void onRegisterUser(final long gatewayId, final RegisterUserDecoder command)
    {
        final long correlationId = command.correlationId();
        final long userId = command.userId();
        final int nameLength = command.nameLength();
        if (EngineState.NO_USER == userId)
        {
            publisher.adminResponse(gatewayId, correlationId, ErrorCode.MALFORMED, userId, "userId must be non-zero");
            return;
        }
        if (0 == nameLength || nameLength > context.maxNameLength())
        {
            publisher.adminResponse(gatewayId, correlationId, ErrorCode.INVALID_NAME, userId,
                "name must be 1 to " + context.maxNameLength() + " bytes");
            return;
        }
        final String name = command.name();
        if (!isValidName(name))
        {
            publisher.adminResponse(gatewayId, correlationId, ErrorCode.INVALID_NAME, userId,
                "name may hold only letters, digits, '.', '_' and '-'");
            return;
        }
        if (null != state.user(userId))
        {
            publisher.adminResponse(gatewayId, correlationId, ErrorCode.USER_EXISTS, userId, "userId is taken");
            return;
        }
        if (EngineState.NO_USER != state.userIdByName(name))
        {
            publisher.adminResponse(gatewayId, correlationId, ErrorCode.USER_EXISTS, userId, "name is taken");
            return;
        }
        if (state.userCount() >= context.maxUsers())
        {
            publisher.adminResponse(gatewayId, correlationId, ErrorCode.LIMIT_REACHED, userId,
                "the shard holds its maximum of " + context.maxUsers() + " users");
            return;
        }

        state.addUser(new User(userId, name, context.changeLogCapacity(), context.maxDevicesPerUser()));
        publisher.adminResponse(gatewayId, correlationId, ErrorCode.NONE, userId, name);
    }

    static boolean isValidName(final String name)
    {
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            final boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-';
            if (!allowed)
            {
                return false;
            }
        }
        return !name.isEmpty();
    }
}
