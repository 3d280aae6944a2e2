package io.banter.engine.domain;

import io.banter.codecs.GroupRole;
import io.banter.codecs.Platform;
import io.banter.engine.EngineContext;
import io.banter.engine.fixture.Events;
import io.banter.engine.fixture.TestEngine;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.IntSupplier;

import static io.banter.engine.domain.World.conn;
import static io.banter.engine.domain.World.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot carries the whole domain: groups (one larger than a members record, one a super
 * group with notified members), read positions, recalls, friends, blocks, pending requests with
 * notes, presence subscriptions and session times. The restored engine has the same hash and
 * answers the next commands with the same events.
 */
final class SnapshotDomainTest
{
    private static final int USERS = 5_000;

    private static List<String> describe(final List<Object> events)
    {
        return events.stream().map(e -> e instanceof Events.Delivery d ?
            d.gatewayId() + " " + java.util.Arrays.toString(d.connectionIds()) + " " + d.message() : e.toString()).toList();
    }

    private static List<Object> applyAt(
        final TestEngine engine, final long timestamp, final org.agrona.DirectBuffer command, final int length)
    {
        engine.output.drain();
        engine.engine.onCommand(TestEngine.GATEWAY, timestamp, command, 0, length);
        return engine.output.drain();
    }

    @Test
    void theRestoredEngineHasTheSameHashAndBehavesTheSame()
    {
        final EngineContext context = TestEngine.smallContext().hotTierEntries(100_000).maxUsers(USERS + 1)
            .superGroupThreshold(4);
        try (World w = new World(USERS, context, false))
        {
            for (int i = 0; i < 8; i++)
            {
                w.login(i);
            }
            w.t.login(900, id(0), 901, Platform.WEB);
            final long big = w.createGroup(0, "big", 1, 2);
            for (int from = 3; from < USERS; from += 1_000)
            {
                final long[] ids = new long[Math.min(1_000, USERS - from)];
                for (int i = 0; i < ids.length; i++)
                {
                    ids[i] = id(from + i);
                }
                w.done(w.apply(w.t.commands.addMembers(conn(0), w.nextCorrelationId(), big, ids)), 0);
            }
            final long small = w.createGroup(1, "small", 2, 3);
            w.send(2, small, "hello");
            final long recalled = w.sendOk(3, small, "oops").seq();
            w.done(w.apply(w.t.commands.recall(conn(3), w.nextCorrelationId(), small, recalled)), 3);
            w.markRead(2, small, 2);
            w.send(5, big, "to the town");
            w.done(w.apply(w.t.commands.setRole(conn(0), w.nextCorrelationId(), big, id(4), GroupRole.ADMIN)), 0);
            w.done(w.apply(w.t.commands.friendRequest(conn(4), w.nextCorrelationId(), id(5), "")), 4);
            w.done(w.apply(w.t.commands.friendRespond(conn(5), w.nextCorrelationId(), id(4), true)), 5);
            w.done(w.apply(w.t.commands.friendRequest(conn(6), w.nextCorrelationId(), id(7), "a note")), 6);
            w.done(w.apply(w.t.commands.block(conn(7), w.nextCorrelationId(), id(3), true)), 7);
            w.t.reply(w.apply(w.t.commands.subscribePresence(conn(6), w.nextCorrelationId(), id(5), true)));

            try (TestEngine restored = w.t.restoredCopy(context))
            {
                assertEquals(w.hash(), restored.engine.stateHash());

                // The same next commands give the same events on both.
                final List<IntSupplier> next = List.of(
                    () -> w.t.commands.send(conn(1), 900, big, 0, new byte[]{ 'x' }),
                    () -> w.t.commands.send(conn(2), 901, small, 0, new byte[]{ 'y' }),
                    () -> w.t.commands.connectionClosed(conn(5)),
                    () -> w.t.commands.friendRespond(conn(7), 1, id(6), true),
                    () -> w.t.commands.send(conn(3), 902, 0, id(7), new byte[]{ 'z' }),
                    () -> w.t.commands.receipts(conn(1), 2, big, 3, true, 0, 50),
                    () -> w.t.commands.conversations(conn(2), 3, 0, 0),
                    () -> w.t.commands.deviceLogin(950, 4, id(0), 951, Platform.MOBILE));
                long timestamp = w.t.now() + 1_000;
                for (final IntSupplier command : next)
                {
                    timestamp++;
                    final int length = command.getAsInt();
                    final List<Object> original = applyAt(w.t, timestamp, w.t.commands.buffer(), length);
                    final List<Object> replayed = applyAt(restored, timestamp, w.t.commands.buffer(), length);
                    assertTrue(!original.isEmpty(), "each command emits something");
                    assertEquals(describe(original), describe(replayed));
                }
                assertEquals(w.hash(), restored.engine.stateHash());
                assertTrue(((Events.GroupInfo)restored.reply(restored.apply(
                    restored.commands.groupInfo(conn(1), 9, big, 0, 1)))).superGroup());
            }
        }
    }
}
