package io.banter.engine;

import io.banter.engine.EngineContext;
import io.banter.engine.fixture.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random workloads against the reference model: no gaps, no duplicates, per-device order
 * kept, every acknowledged message reachable by every member device through sync and history.
 * A failing seed reproduces exactly.
 */
class ScenarioTest
{
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 2, 3, 42, 20261122 })
    void randomWorkloadMatchesTheReferenceModel(final long seed)
    {
        try (Scenario scenario = new Scenario(seed, 12))
        {
            scenario.run(4_000);
            scenario.checkEverythingReachable();
            assertTrue(scenario.checks() > 4_000);
            assertTrue(scenario.engine().state().messageStore().size() > 1_000, "the workload stored messages");
            final int[] coverage = scenario.coverage();
            assertTrue(coverage[0] > 10 && coverage[1] > 10 && coverage[2] > 10 && coverage[3] > 0,
                "super-group posts, small-group posts, reads and recalls all ran: " + Arrays.toString(coverage));
        }
    }

    /**
     * A 10,000-member super group (the default threshold of 1,000) among 10,000 users, built
     * through AddMembers batches, then the random workload with every step checked; the final
     * reachability check samples users.
     */
    @Test
    void aTenThousandMemberGroupMatchesTheReferenceModel()
    {
        final EngineContext context = Scenario.context().superGroupThreshold(1_000).maxGroupSize(100_000)
            .hotTierEntries(400_000);
        try (Scenario scenario = new Scenario(7, 10_000, context, 10_000))
        {
            scenario.run(1_500);
            scenario.checkReachable(25);
            final int[] coverage = scenario.coverage();
            assertTrue(coverage[0] > 9_000, "the big group's notices and sends went the super-group way: " +
                Arrays.toString(coverage));
        }
    }
}
