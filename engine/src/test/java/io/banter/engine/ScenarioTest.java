package io.banter.engine;

import io.banter.engine.fixture.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        }
    }
}
