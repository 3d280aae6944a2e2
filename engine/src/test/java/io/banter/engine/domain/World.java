package io.banter.engine.domain;

import io.banter.codecs.ErrorCode;
import io.banter.codecs.Platform;
import io.banter.engine.EngineContext;
import io.banter.engine.fixture.Events;
import io.banter.engine.fixture.RecordingOutput;
import io.banter.engine.fixture.TestEngine;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A test engine with users 0..n-1, each logged in on its own connection with one MOBILE device,
 * and one-line helpers for the domain tests. User i has id {@link #id}(i), connection
 * {@link #conn}(i) and device {@link #device}(i).
 */
final class World implements AutoCloseable
{
    final TestEngine t;
    private final int users;
    private long correlationId = 1_000;
    private long clientMsgId = 1;

    World(final int users)
    {
        this(users, TestEngine.smallContext());
    }

    World(final int users, final EngineContext context)
    {
        this(users, context, true);
    }

    World(final int users, final EngineContext context, final boolean loggedIn)
    {
        this.t = new TestEngine(context);
        this.users = users;
        for (int i = 0; i < users; i++)
        {
            assertEquals(ErrorCode.NONE, t.register(id(i), "user" + i).code());
            if (loggedIn)
            {
                login(i);
            }
        }
    }

    static long id(final int user)
    {
        // Opaque, not dense, but ascending with the index so member order is easy to predict.
        return 0x10_0000L + 7919L * (user + 1);
    }

    static long conn(final int user)
    {
        return 100 + user;
    }

    static long device(final int user)
    {
        return 10 + user;
    }

    void login(final int user)
    {
        assertEquals(ErrorCode.NONE, t.login(conn(user), id(user), device(user), Platform.MOBILE).code());
    }

    void logout(final int user)
    {
        t.apply(t.commands.connectionClosed(conn(user)));
    }

    long nextCorrelationId()
    {
        return ++correlationId;
    }

    long lastCorrelationId()
    {
        return correlationId;
    }

    long hash()
    {
        return t.engine.stateHash();
    }

    /**
     * Apply a command; return every event.
     */
    List<Object> apply(final int length)
    {
        return t.apply(length);
    }

    /**
     * The client messages {@code events} deliver to user {@code user}'s connection, in order.
     */
    static List<Object> to(final List<Object> events, final int user)
    {
        return RecordingOutput.messagesFor(events, TestEngine.GATEWAY, conn(user));
    }

    /**
     * The one message of type {@code type} that {@code events} deliver to {@code user}.
     */
    static <T> T only(final List<Object> events, final int user, final Class<T> type)
    {
        final List<Object> messages = to(events, user).stream().filter(type::isInstance).toList();
        assertEquals(1, messages.size(), "one " + type.getSimpleName() + " for user " + user + " in " + to(events, user));
        return type.cast(messages.get(0));
    }

    static boolean none(final List<Object> events, final int user, final Class<?> type)
    {
        return to(events, user).stream().noneMatch(type::isInstance);
    }

    /**
     * Apply a request that must be refused: exactly one event, an Error with {@code code} for
     * the requesting user, and the state hash unchanged.
     */
    Events.Error refused(final int user, final int length, final ErrorCode code)
    {
        final long before = hash();
        final List<Object> events = apply(length);
        assertEquals(1, events.size(), "a refusal is one event: " + events);
        final Events.Error error = assertInstanceOf(Events.Error.class, only(events, user, Events.Error.class));
        assertEquals(code, error.code(), error.text());
        assertTrue(!error.text().isEmpty(), "a refusal names its reason");
        assertEquals(before, hash(), "a refusal changes nothing");
        return error;
    }

    /**
     * Apply a send that must be refused: one SendRejected with {@code code}, state unchanged.
     */
    Events.SendRejected rejected(final int user, final int length, final ErrorCode code)
    {
        final long before = hash();
        final List<Object> events = apply(length);
        assertEquals(1, events.size(), "a refusal is one event: " + events);
        final Events.SendRejected rejected = only(events, user, Events.SendRejected.class);
        assertEquals(code, rejected.code(), rejected.text());
        assertEquals(before, hash(), "a refused send changes nothing");
        return rejected;
    }

    Events.Done done(final List<Object> events, final int user)
    {
        return only(events, user, Events.Done.class);
    }

    long createGroup(final int owner, final String name, final int... members)
    {
        final long[] ids = new long[members.length];
        for (int i = 0; i < members.length; i++)
        {
            ids[i] = id(members[i]);
        }
        return done(apply(t.commands.createGroup(conn(owner), nextCorrelationId(), name, false, ids)), owner)
            .conversationId();
    }

    void addMembers(final int actor, final long group, final int... members)
    {
        final long[] ids = new long[members.length];
        for (int i = 0; i < members.length; i++)
        {
            ids[i] = id(members[i]);
        }
        done(apply(t.commands.addMembers(conn(actor), nextCorrelationId(), group, ids)), actor);
    }

    /**
     * Send text into a conversation; returns every event.
     */
    List<Object> send(final int user, final long conversationId, final String text)
    {
        return apply(t.commands.send(conn(user), clientMsgId++, conversationId, 0, text.getBytes(StandardCharsets.UTF_8)));
    }

    Events.SendAck sendOk(final int user, final long conversationId, final String text)
    {
        return only(send(user, conversationId, text), user, Events.SendAck.class);
    }

    List<Object> sendDirect(final int user, final int toUser, final String text)
    {
        return apply(t.commands.send(conn(user), clientMsgId++, 0, id(toUser), text.getBytes(StandardCharsets.UTF_8)));
    }

    Events.ReadState markRead(final int user, final long conversationId, final long seq)
    {
        return only(apply(t.commands.markRead(conn(user), nextCorrelationId(), conversationId, seq)), user,
            Events.ReadState.class);
    }

    Events.Inbox inbox(final int user)
    {
        return (Events.Inbox)t.reply(apply(t.commands.conversations(conn(user), nextCorrelationId(), 0, 0)));
    }

    Events.HistoryBatch history(final int user, final long conversationId)
    {
        return (Events.HistoryBatch)t.reply(apply(t.commands.history(conn(user), nextCorrelationId(), conversationId, 0, 0)));
    }

    Events.GroupInfo groupInfo(final int user, final long conversationId)
    {
        return (Events.GroupInfo)t.reply(apply(t.commands.groupInfo(conn(user), nextCorrelationId(), conversationId, 0, 0)));
    }

    long changeHead(final int user)
    {
        return t.engine.state().user(id(user)).changes().head();
    }

    int users()
    {
        return users;
    }

    public void close()
    {
        t.close();
    }
}
