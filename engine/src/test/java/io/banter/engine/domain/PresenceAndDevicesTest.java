package io.banter.engine.domain;

import io.banter.codecs.ErrorCode;
import io.banter.codecs.Platform;
import io.banter.engine.fixture.Events;
import io.banter.engine.fixture.RecordingOutput;
import io.banter.engine.fixture.TestEngine;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.banter.engine.domain.World.conn;
import static io.banter.engine.domain.World.id;
import static io.banter.engine.domain.World.none;
import static io.banter.engine.domain.World.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presence to friends and subscribers, and the per-platform device policy.
 */
final class PresenceAndDevicesTest
{
    private static void befriend(final World w, final int a, final int b)
    {
        w.done(w.apply(w.t.commands.friendRequest(conn(a), w.nextCorrelationId(), id(b), "")), a);
        w.done(w.apply(w.t.commands.friendRespond(conn(b), w.nextCorrelationId(), id(a), true)), b);
    }

    @Test
    void friendsAreToldWhenTheFirstDeviceComesAndTheLastGoes()
    {
        try (World w = new World(2))
        {
            befriend(w, 0, 1);
            final List<Object> offline = w.apply(w.t.commands.connectionClosed(conn(1)));
            assertEquals(new Events.PresenceChanged(id(1), false, 0), only(offline, 0, Events.PresenceChanged.class));

            final List<Object> online = w.apply(w.t.commands.deviceLogin(conn(1), 1, id(1), 11, Platform.MOBILE));
            assertEquals(new Events.PresenceChanged(id(1), true, 1), only(online, 0, Events.PresenceChanged.class));

            final List<Object> second = w.apply(w.t.commands.deviceLogin(600, 1, id(1), 99, Platform.DESKTOP));
            assertTrue(none(second, 0, Events.PresenceChanged.class), "a second device is no presence change");
        }
    }

    @Test
    void subscribersAreToldUntilTheirSessionEnds()
    {
        try (World w = new World(3))
        {
            final Events.Presence answer = (Events.Presence)w.t.reply(
                w.apply(w.t.commands.subscribePresence(conn(2), 5, id(1), true)));
            assertEquals(new Events.Presence(5, id(1), true, 1), answer);
            final List<Object> gone = w.apply(w.t.commands.connectionClosed(conn(1)));
            only(gone, 2, Events.PresenceChanged.class);
            assertTrue(none(gone, 0, Events.PresenceChanged.class), "not a friend, not subscribed");

            w.apply(w.t.commands.connectionClosed(conn(2)));
            w.login(2);
            final List<Object> back = w.apply(w.t.commands.deviceLogin(conn(1), 1, id(1), 11, Platform.MOBILE));
            assertTrue(none(back, 2, Events.PresenceChanged.class), "a subscription ends with its session");

            w.t.reply(w.apply(w.t.commands.subscribePresence(conn(2), 6, id(1), true)));
            w.t.reply(w.apply(w.t.commands.subscribePresence(conn(2), 7, id(1), false)));
            assertTrue(none(w.apply(w.t.commands.connectionClosed(conn(1))), 2, Events.PresenceChanged.class));
        }
    }

    @Test
    void subscriptionsAreBoundedAndRespectBlocks()
    {
        try (World w = new World(4, TestEngine.smallContext().maxPresenceSubscriptions(1)))
        {
            w.t.reply(w.apply(w.t.commands.subscribePresence(conn(0), 1, id(1), true)));
            w.refused(0, w.t.commands.subscribePresence(conn(0), 2, id(2), true), ErrorCode.LIMIT_REACHED);
            w.refused(0, w.t.commands.subscribePresence(conn(0), 3, id(0), true), ErrorCode.INVALID_RECIPIENT);
            w.done(w.apply(w.t.commands.block(conn(3), 4, id(1), true)), 3);
            w.refused(1, w.t.commands.subscribePresence(conn(1), 5, id(3), true), ErrorCode.BLOCKED);
            w.refused(1, w.t.commands.subscribePresence(conn(1), 6, 777, true), ErrorCode.UNKNOWN_USER);
        }
    }

    @Test
    void aSecondMobileKicksTheOlderAndPlatformsCoexist()
    {
        try (World w = new World(2))
        {
            befriend(w, 0, 1);
            w.t.login(700, id(1), 71, Platform.DESKTOP);
            w.t.login(701, id(1), 72, Platform.WEB);
            final List<Object> events = w.apply(w.t.commands.deviceLogin(702, 1, id(1), 73, Platform.MOBILE));
            final Events.Kicked kicked = only(events, 1, Events.Kicked.class);
            assertEquals(ErrorCode.KICKED_BY_POLICY, kicked.code());
            assertEquals(73, kicked.byDeviceId());
            assertEquals(Platform.MOBILE, kicked.platform());
            assertNull(w.t.engine.state().deviceOn(TestEngine.GATEWAY, conn(1)));
            assertEquals(3, w.t.engine.state().user(id(1)).onlineDevices(), "desktop, web and the new phone");
            assertTrue(none(events, 0, Events.PresenceChanged.class), "a replaced session does not flap presence");
            assertTrue(RecordingOutput.messagesFor(events, TestEngine.GATEWAY, 700).isEmpty());
        }
    }

    @Test
    void webSessionsUpToTheLimitThenTheOldestGoes()
    {
        try (World w = new World(1, TestEngine.smallContext().maxWebSessions(2)))
        {
            w.t.login(800, id(0), 81, Platform.WEB);
            w.t.login(801, id(0), 82, Platform.WEB);
            final List<Object> third = w.apply(w.t.commands.deviceLogin(802, 1, id(0), 83, Platform.WEB));
            assertEquals(ErrorCode.KICKED_BY_POLICY,
                ((Events.Kicked)RecordingOutput.messagesFor(third, TestEngine.GATEWAY, 800).get(0)).code());
            assertTrue(RecordingOutput.messagesFor(third, TestEngine.GATEWAY, 801).isEmpty());
            assertFalse(w.t.engine.state().user(id(0)).findDevice(81).isOnline());
        }
    }
}
