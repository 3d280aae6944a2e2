package io.banter.perf.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixedRequestTest
{
    @Test
    void aCorrelationIdCarriesTheKindAndTheDueTimeBack()
    {
        final long dueNs = 987_654_321_012_345L;
        for (int kind = 0; kind < MixedRequest.KINDS; kind++)
        {
            final long correlationId = MixedRequest.correlationId(kind, dueNs);
            assertTrue(MixedRequest.isMixed(correlationId));
            assertEquals(kind, MixedRequest.kind(correlationId));
            assertEquals(dueNs, MixedRequest.dueNs(correlationId));
        }
    }

    @Test
    void theHarnesssOwnCorrelationIdsAreNotMixedRequests()
    {
        for (long correlationId : new long[] {0, 1, 2, 5, 6, LoadFrames.PULL_NEWEST, LoadFrames.PULL_GAP})
        {
            assertFalse(MixedRequest.isMixed(correlationId));
        }
    }
}
