package io.banter.journal.cold;

import java.util.Arrays;

/**
 * One conversation's records in the cold tier: ascending seqs and their locations, in two
 * parallel primitive arrays. Records arrive in log order, so seqs only grow; a seq already
 * held (a replay after a restart) is not added twice.
 */
final class ConversationColdIndex
{
    private long[] seqs = new long[8];
    private long[] locations = new long[8];
    private int size;

    boolean add(final long seq, final long location)
    {
        if (size > 0 && seq <= seqs[size - 1])
        {
            return false;
        }
        if (size == seqs.length)
        {
            seqs = Arrays.copyOf(seqs, size * 2);
            locations = Arrays.copyOf(locations, size * 2);
        }
        seqs[size] = seq;
        locations[size] = location;
        size++;
        return true;
    }

    /**
     * The location of {@code seq}, or -1 when the cold tier does not hold it.
     */
    long locationOf(final long seq)
    {
        final int index = Arrays.binarySearch(seqs, 0, size, seq);
        return index >= 0 ? locations[index] : -1;
    }

    /**
     * The index of the newest seq below {@code beforeSeq} (0: the newest of all), or -1.
     */
    int newestBefore(final long beforeSeq)
    {
        if (0 == beforeSeq)
        {
            return size - 1;
        }
        final int index = Arrays.binarySearch(seqs, 0, size, beforeSeq);
        return (index >= 0 ? index : -index - 1) - 1;
    }

    long seqAt(final int index)
    {
        return seqs[index];
    }

    long locationAt(final int index)
    {
        return locations[index];
    }

    int size()
    {
        return size;
    }

    long highestSeq()
    {
        return 0 == size ? 0 : seqs[size - 1];
    }
}
