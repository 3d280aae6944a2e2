package io.banter.access.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class ArgsTest
{
    @Test
    void optionsFlagsAndWordsAreSeparated()
    {
        final Args args = Args.parse(new String[]{"admin", "add-user", "--port", "7", "alice", "--no-gateway"}, 1,
            Set.of("port"), Set.of("no-gateway"));
        assertEquals(7, args.getInt("port", 0));
        assertTrue(args.has("no-gateway"));
        assertFalse(args.has("help"));
        assertEquals(List.of("add-user", "alice"), args.positional());
        assertEquals("x", args.get("absent", "x"));
    }

    @Test
    void unknownOptionsMissingValuesAndNonNumbersAreErrorsNamingTheOption()
    {
        final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> Args.parse(new String[]{"--bogus"}, 0, Set.of(), Set.of()));
        assertTrue(unknown.getMessage().contains("--bogus"));
        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
            () -> Args.parse(new String[]{"--port"}, 0, Set.of("port"), Set.of()));
        assertTrue(missing.getMessage().contains("--port"));
        final Args args = Args.parse(new String[]{"--port", "seven"}, 0, Set.of("port"), Set.of());
        assertThrows(IllegalArgumentException.class, () -> args.getInt("port", 0));
    }
}
