package io.banter.engine.domain;

import io.banter.codecs.DeviceLoginEncoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.GroupRole;
import io.banter.codecs.LoginDecoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.Platform;
import io.banter.codecs.SetRoleEncoder;
import io.banter.engine.fixture.Events;
import io.banter.engine.fixture.SchemaTemplates;
import io.banter.engine.fixture.SchemaTemplates.EnumField;
import io.banter.engine.fixture.SchemaTemplates.Template;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every enum field of every client request, read from the schema, with every raw value the schema
 * does not define: the engine answers an {@code Error} MALFORMED naming the field and the value,
 * and changes nothing. The generated decoders throw for such a value, so a field the engine
 * forgets to check would fail here, including one added to the schema later.
 */
final class EnumFieldValidationTest
{
    private static final long CORRELATION_ID = 4242;
    private static final SchemaTemplates SCHEMA = new SchemaTemplates();

    /** One engine for the schema walk: a refusal changes nothing, so the cases cannot disturb each other. */
    private static World world;
    private static List<Template> engineRequests;

    @AfterAll
    static void closeWorld()
    {
        if (null != world)
        {
            world.close();
        }
    }

    private static World world()
    {
        if (null == world)
        {
            world = new World(2);
        }
        return world;
    }

    /**
     * The client-protocol templates the engine takes: the schema does not say which way a
     * template travels, so ask the engine; what it refuses as an unknown template is not a request
     * to it (the gateway answers Login, see the gateway's ClientChannelHandlerTest).
     */
    private static List<Template> engineRequests()
    {
        if (null == engineRequests)
        {
            // An engine of its own: zeroed requests of every kind do things (a Logout logs out).
            final List<Template> requests = new ArrayList<>();
            try (World probe = new World(1))
            {
                for (final Template template : SCHEMA.clientProtocol())
                {
                    final List<Object> events = probe.apply(
                        probe.t.commands.rawRequest(World.conn(0), template.encode(CORRELATION_ID, null, 0)));
                    final boolean unknown = World.to(events, 0).stream().anyMatch(message ->
                        message instanceof Events.Error error && error.code() == ErrorCode.UNKNOWN_TEMPLATE);
                    if (!unknown)
                    {
                        requests.add(template);
                    }
                }
            }
            engineRequests = requests;
        }
        return engineRequests;
    }

    static Stream<Arguments> enumFieldsOfEngineRequests()
    {
        return engineRequests().stream().flatMap(template -> template.enumFields().stream()
            .map(field -> Arguments.of(template.name() + "." + field.describe(), template, field)));
    }

    @Test
    void theSchemaWalkFindsTheEnumFieldsOfTheRequests()
    {
        final Set<String> found = engineRequests().stream()
            .flatMap(template -> template.enumFields().stream().map(field -> template.name() + "." + field.field().name()))
            .collect(Collectors.toSet());
        // Those the schema has today; a field added later is found and checked without editing this list.
        assertTrue(found.containsAll(Set.of("CreateGroup.membersCanInvite", "UpdateGroup.membersCanInvite",
            "FriendRespond.accept", "Block.blocked", "RelationsQuery.list", "SubscribePresence.subscribe",
            "ReceiptQuery.readers", "SetRole.role")), "found " + found);
        assertFalse(engineRequests().stream().anyMatch(template -> template.id() == LoginDecoder.TEMPLATE_ID),
            "Login is answered by the gateway");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enumFieldsOfEngineRequests")
    void anUndefinedValueIsRefusedNamingTheFieldAndChangesNothing(
        final String description, final Template template, final EnumField field)
    {
        final World world = world();
        final List<Integer> undefined = field.field().enumType().undefinedValues();
        assertFalse(undefined.isEmpty());
        for (final int raw : undefined)
        {
            final String what = description + " = " + raw;
            final long before = world.hash();
            final List<Object> events = world.apply(
                world.t.commands.rawRequest(World.conn(0), template.encode(CORRELATION_ID, field, raw)));
            assertEquals(1, events.size(), what + ": one answer, " + events);
            final Events.Error error = World.only(events, 0, Events.Error.class);
            assertEquals(ErrorCode.MALFORMED, error.code(), what + ": " + error.text());
            assertEquals(template.id(), error.requestTemplateId(), what);
            if (null != template.field("correlationId"))
            {
                assertEquals(CORRELATION_ID, error.correlationId(), what);
            }
            assertTrue(error.text().startsWith(field.field().name() + " must be ") &&
                error.text().endsWith("not " + raw), what + " is named: " + error.text());
            assertEquals(before, world.hash(), what + " changed nothing");
        }

        // The values the schema defines pass this check (whatever else the zeroed request lacks).
        for (final int raw : field.field().enumType().definedValues())
        {
            final List<Object> events = world.apply(
                world.t.commands.rawRequest(World.conn(0), template.encode(CORRELATION_ID, field, raw)));
            assertTrue(World.to(events, 0).stream().noneMatch(message -> message instanceof Events.Error error &&
                error.text().startsWith(field.field().name() + " must be ")),
                description + " = " + raw + " is defined: " + events);
        }
    }

    @Test
    void anUndefinedRoleIsRefusedBeforeAnythingElseEvenFromTheOwner()
    {
        try (World world = new World(3))
        {
            final long group = world.createGroup(0, "g", 1, 2);
            for (final int raw : new int[]{0, 4, 9, 255})
            {
                final byte[] request = new byte[MessageHeaderEncoder.ENCODED_LENGTH + SetRoleEncoder.BLOCK_LENGTH];
                final UnsafeBuffer buffer = new UnsafeBuffer(request);
                new SetRoleEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                    .correlationId(7).conversationId(group).userId(World.id(1)).role(GroupRole.ADMIN);
                buffer.putByte(MessageHeaderEncoder.ENCODED_LENGTH + SetRoleEncoder.roleEncodingOffset(), (byte)raw);
                final Events.Error error =
                    world.refused(0, world.t.commands.rawRequest(World.conn(0), request), ErrorCode.MALFORMED);
                assertEquals("role must be MEMBER (1), ADMIN (2) or OWNER (3), not " + raw, error.text());
            }
            assertEquals(GroupRole.MEMBER, world.groupInfo(0, group).members().get(1).role());
        }
    }

    @Test
    void theOnlyEnumOfTheEngineCommandsIsDeviceLoginsPlatformAndAnUndefinedOneIsRefused()
    {
        final List<String> commandEnums = SCHEMA.templates().stream()
            .filter(template -> template.id() >= 100 && template.id() <= 199)
            .flatMap(template -> template.enumFields().stream().map(field -> template.name() + "." + field.field().name()))
            .toList();
        assertEquals(List.of("DeviceLogin.platform"), commandEnums, "an engine command with an enum needs a check here");

        try (World world = new World(1, io.banter.engine.fixture.TestEngine.smallContext(), false))
        {
            for (final int raw : SCHEMA.template("DeviceLogin").field("platform").enumType().undefinedValues())
            {
                final long before = world.hash();
                final int length = world.t.commands.deviceLogin(World.conn(0), 9, World.id(0), World.device(0),
                    Platform.MOBILE);
                world.t.commands.buffer().putByte(
                    MessageHeaderEncoder.ENCODED_LENGTH + DeviceLoginEncoder.platformEncodingOffset(), (byte)raw);
                final List<Object> events = world.apply(length);
                assertEquals(1, events.size(), "platform " + raw + ": " + events);
                final Events.LoginResult result =
                    assertInstanceOf(Events.LoginResult.class, World.to(events, 0).get(0));
                assertEquals(ErrorCode.MALFORMED, result.code());
                assertEquals("platform must be MOBILE (1), DESKTOP (2) or WEB (3), not " + raw, result.text());
                assertEquals(before, world.hash(), "platform " + raw + " changed nothing");
            }
            world.login(0);
        }
    }
}
