package io.banter.journal.cold;

import java.util.Arrays;

/**
 * One conversation's records in the cold tier: their locations in seq order. A conversation's
 * seqs are 1, 2, 3 … without gaps, so while they stay contiguous only the first seq is kept and
 * a record costs 8 bytes (its location); a gap (a damaged record skipped on recovery) switches to
 * an explicit seq per record. Records arrive in log order, so seqs mostly grow: a seq already held
 * (a replay after a restart) is not added twice, and a replacement (a recall's tombstone) points
 * its seq at the newer record.
 */
final class ConversationColdIndex
{
    private long firstSeq;
    /** Null while the seqs are contiguous from {@link #firstSeq}. */
    private long[] seqs;
    private long[] locations = new long[4];
    private int size;

    boolean add(final long seq, final long location)
    {
        if (size > 0 && seq <= highestSeq())
        {
            return false;
        }
        insertAt(size, seq, location);
        return true;
    }

    /**
     * Point {@code seq} at a newer version of its record, or add it where it belongs.
     *
     * @return true when the seq is new to the index.
     */
    boolean put(final long seq, final long location)
    {
        if (0 == size || seq > highestSeq())
        {
            // The usual case, in log order: no search.
            insertAt(size, seq, location);
            return true;
        }
        final int index = indexOf(seq);
        if (index >= 0)
        {
            locations[index] = location;
            return false;
        }
        insertAt(-index - 1, seq, location);
        return true;
    }

    /**
     * The location of {@code seq}, or -1 when the cold tier does not hold it.
     */
    long locationOf(final long seq)
    {
        final int index = indexOf(seq);
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
        final int index = indexOf(beforeSeq);
        return (index >= 0 ? index : -index - 1) - 1;
    }

    long seqAt(final int index)
    {
        return null == seqs ? firstSeq + index : seqs[index];
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
        return 0 == size ? 0 : seqAt(size - 1);
    }

    /**
     * Whether a seq is kept per record (after a gap) rather than implied.
     */
    boolean hasExplicitSeqs()
    {
        return null != seqs;
    }

    /**
     * As {@link Arrays#binarySearch}: the index of {@code seq}, or -(insertion point) - 1.
     */
    private int indexOf(final long seq)
    {
        if (null != seqs)
        {
            return Arrays.binarySearch(seqs, 0, size, seq);
        }
        if (0 == size || seq < firstSeq)
        {
            return -1;
        }
        final long offset = seq - firstSeq;
        return offset < size ? (int)offset : -size - 1;
    }

    private void insertAt(final int index, final long seq, final long location)
    {
        if (null == seqs)
        {
            if (0 == size)
            {
                firstSeq = seq;
            }
            else if (index != size || seq != firstSeq + size)
            {
                makeSeqsExplicit();
            }
        }
        if (size == locations.length)
        {
            // Grow by half: doubling leaves up to half of a large index empty.
            final int capacity = size + (size >> 1) + 4;
            locations = Arrays.copyOf(locations, capacity);
            if (null != seqs)
            {
                seqs = Arrays.copyOf(seqs, capacity);
            }
        }
        System.arraycopy(locations, index, locations, index + 1, size - index);
        locations[index] = location;
        if (null != seqs)
        {
            System.arraycopy(seqs, index, seqs, index + 1, size - index);
            seqs[index] = seq;
        }
        size++;
    }

    private void makeSeqsExplicit()
    {
        seqs = new long[locations.length];
        for (int i = 0; i < size; i++)
        {
            seqs[i] = firstSeq + i;
        }
    }
}
