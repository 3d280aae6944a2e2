package io.banter.engine.handler;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The recall window in a refusal's reason is read by people: a number with its unit, in the
 * largest unit that states it exactly.
 */
final class RecallWindowTextTest
{
    @Test
    void theWindowIsStatedWithItsUnit()
    {
        assertEquals("2 minutes", RecallHandler.durationText(120_000));
        assertEquals("1 minute", RecallHandler.durationText(60_000));
        assertEquals("90 seconds", RecallHandler.durationText(90_000));
        assertEquals("1 second", RecallHandler.durationText(1_000));
        assertEquals("1500 ms", RecallHandler.durationText(1_500));
        assertEquals("0 ms", RecallHandler.durationText(0));
    }
}
