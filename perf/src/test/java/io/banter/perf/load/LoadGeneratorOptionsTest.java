package io.banter.perf.load;

import io.banter.access.cli.Args;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

final class LoadGeneratorOptionsTest
{
    @Test
    void refusesAClusterOfNoMembersBeforeStartingAnything()
    {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
            LoadGenerator.run("direct", Args.parse(new String[]{"--members", "0"}, 0, Set.of("members"), Set.of())));

        assertEquals("need --members >= 1, not 0", refused.getMessage());
    }
}
