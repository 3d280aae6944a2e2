package io.banter.journal.cold;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversationColdIndexTest
{
    @Test
    void contiguousSeqsKeepNoSeqPerRecordAndFindEveryOne()
    {
        final ConversationColdIndex index = new ConversationColdIndex();
        for (long seq = 1; seq <= 1_000; seq++)
        {
            assertTrue(index.add(seq, seq * 10));
        }
        assertFalse(index.hasExplicitSeqs());
        assertFalse(index.add(500, 1), "a replayed seq is held once");
        for (long seq = 1; seq <= 1_000; seq++)
        {
            assertEquals(seq * 10, index.locationOf(seq));
        }
        assertEquals(-1, index.locationOf(0));
        assertEquals(-1, index.locationOf(1_001));
        assertEquals(999, index.newestBefore(0));
        assertEquals(99, index.newestBefore(101));
        assertEquals(100, index.seqAt(index.newestBefore(101)));
        assertEquals(-1, index.newestBefore(1));
        assertEquals(999, index.newestBefore(5_000));
    }

    @Test
    void aReplacementKeepsTheIndexContiguous()
    {
        final ConversationColdIndex index = new ConversationColdIndex();
        for (long seq = 1; seq <= 10; seq++)
        {
            index.put(seq, seq);
        }
        assertFalse(index.put(4, 400), "not new");
        assertEquals(400, index.locationOf(4));
        assertFalse(index.hasExplicitSeqs());
        assertEquals(10, index.size());
    }

    @Test
    void aGapSwitchesToExplicitSeqsAndAMissingSeqIsInsertedInOrder()
    {
        final ConversationColdIndex index = new ConversationColdIndex();
        for (long seq = 1; seq <= 10; seq++)
        {
            if (seq != 5)
            {
                index.put(seq, seq * 10);
            }
        }
        assertTrue(index.hasExplicitSeqs());
        assertEquals(-1, index.locationOf(5));
        assertEquals(40, index.locationOf(4));
        assertEquals(60, index.locationOf(6));
        assertEquals(4, index.seqAt(index.newestBefore(6)));
        assertTrue(index.put(5, 55), "written again from the log");
        assertEquals(55, index.locationOf(5));
        for (int i = 0; i < index.size(); i++)
        {
            assertEquals(i + 1, index.seqAt(i));
        }
        assertEquals(10, index.highestSeq());
    }

    @Test
    void aConversationStartingPastOneIsContiguousFromItsFirstSeq()
    {
        final ConversationColdIndex index = new ConversationColdIndex();
        for (long seq = 101; seq <= 200; seq++)
        {
            index.add(seq, seq);
        }
        assertFalse(index.hasExplicitSeqs());
        assertEquals(-1, index.locationOf(100));
        assertEquals(150, index.locationOf(150));
        assertEquals(-1, index.newestBefore(101));
        assertTrue(index.put(50, 5), "an older seq goes in front");
        assertTrue(index.hasExplicitSeqs());
        assertEquals(50, index.seqAt(0));
        assertEquals(5, index.locationOf(50));
    }
}
