package io.banter.engine.state;

import io.banter.codecs.ChangeKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedLongRingTest
{
    @Test
    void growsToItsMaximumThenEvictsTheOldest()
    {
        final BoundedLongRing ring = new BoundedLongRing(2, 8);
        for (int i = 1; i <= 8; i++)
        {
            assertFalse(ring.appendRow());
            ring.setLast(0, i);
            ring.setLast(1, -i);
        }
        assertTrue(ring.appendRow());
        ring.setLast(0, 9);
        ring.setLast(1, -9);
        assertEquals(8, ring.size());
        for (int row = 0; row < 8; row++)
        {
            assertEquals(row + 2, ring.get(row, 0));
            assertEquals(-(row + 2), ring.get(row, 1));
        }
    }

    @Test
    void refusesAMaximumThatIsNotAPowerOfTwo()
    {
        assertThrows(IllegalArgumentException.class, () -> new BoundedLongRing(1, 6));
    }

    @Test
    void changeLogKeepsContinuousSequencesAndReportsWhatItRetains()
    {
        final ChangeLog log = new ChangeLog(4);
        assertEquals(1, log.oldest());
        for (int i = 1; i <= 6; i++)
        {
            assertEquals(i, log.append(ChangeKind.MESSAGE, 100 + i, i));
        }
        assertEquals(6, log.head());
        assertEquals(3, log.oldest());
        assertEquals(103, log.conversationId(3));
        assertEquals(6, log.seq(6));
        assertThrows(IndexOutOfBoundsException.class, () -> log.seq(2));
    }

    @Test
    void sentWindowFindsRecentIdsOnly()
    {
        final SentWindow window = new SentWindow(4);
        for (long id = 10; id <= 60; id += 10)
        {
            window.record(id, 1, id, id, id, id);
        }
        assertEquals(3, window.find(60));
        assertEquals(0, window.find(30));
        assertEquals(-1, window.find(20), "evicted");
        assertEquals(-1, window.find(35), "never sent");
    }
}
