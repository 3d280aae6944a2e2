package io.banter.access.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    @Test
    void aConfigFileSuppliesOptionsTheCommandLineDoesNotGive(@TempDir final Path dir) throws IOException
    {
        final Path config = dir.resolve("node.properties");
        Files.writeString(config, "member-id=2\nmembers=a,b,c\nno-gateway=true\nbase-port=30000\n");
        final Args args = Args.parseWithConfig(new String[]{"--config", config.toString(), "--base-port", "40000"}, 0,
            Set.of("member-id", "members", "base-port"), Set.of("no-gateway"));
        assertEquals(2, args.getInt("member-id", 0));
        assertEquals("a,b,c", args.get("members", ""));
        assertTrue(args.has("no-gateway"));
        assertEquals(40000, args.getInt("base-port", 0), "the command line wins");

        Files.writeString(config, "member-id=1\nbogus=3\n");
        final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> Args.parseWithConfig(new String[]{"--config", config.toString()}, 0, Set.of("member-id"), Set.of()));
        assertTrue(unknown.getMessage().contains("bogus"));
        assertThrows(IllegalArgumentException.class,
            () -> Args.parseWithConfig(new String[]{"--config", dir.resolve("missing").toString()}, 0, Set.of(), Set.of()));
    }
}
