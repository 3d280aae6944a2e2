package io.banter.journal.cold;

import java.util.Arrays;

/**
 * One conversation's records in the cold tier: ascending seqs and their locations, in two
 * parallel primitive arrays. Records arrive in log order, so seqs mostly grow; a seq already
 * held (a replay after a restart) is not added twice, and a replacement (a recall's tombstone)
 * points its seq at the newer record.
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
        insertAt(size, seq, location);
        return true;
    }

    /**
     * Point {@code seq} at a newer version of its record (a recall's tombstone), or add it where
     * it belongs when it is missing (a damaged record written again).
     *
     * @return true when the seq is new to the index.
     */
    boolean put(final long seq, final long location)
    {
        if (0 == size || seq > seqs[size - 1])
        {
            // The usual case, in log order: no search through the conversation's array.
            insertAt(size, seq, location);
            return true;
        }
        final int index = Arrays.binarySearch(seqs, 0, size, seq);
        if (index >= 0)
        {
            locations[index] = location;
            return false;
        }
        insertAt(-index - 1, seq, location);
        return true;
    }

    private void insertAt(final int index, final long seq, final long location)
    {
        if (size == seqs.length)
        {
            seqs = Arrays.copyOf(seqs, size * 2);
            locations = Arrays.copyOf(locations, size * 2);
        }
        System.arraycopy(seqs, index, seqs, index + 1, size - index);
        System.arraycopy(locations, index, locations, index + 1, size - index);
        seqs[index] = seq;
        locations[index] = location;
        size++;
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
