package io.banter.engine.state;

import org.agrona.collections.LongArrayList;

/**
 * A set of longs kept in ascending order: membership by binary search, paging by position, and
 * iteration that never depends on hash order. Inserts and removals shift the tail, which suits
 * the engine's sets (a user's conversations, friends, blocked users; a group's online members)
 * whose changes are rare next to their reads.
 */
public final class SortedLongSet
{
    private final LongArrayList values;

    public SortedLongSet()
    {
        values = new LongArrayList();
    }

    public SortedLongSet(final int initialCapacity)
    {
        values = new LongArrayList(initialCapacity, LongArrayList.DEFAULT_NULL_VALUE);
    }

    public int size()
    {
        return values.size();
    }

    public boolean isEmpty()
    {
        return values.isEmpty();
    }

    public long get(final int index)
    {
        return values.getLong(index);
    }

    public boolean contains(final long value)
    {
        return indexOf(value) >= 0;
    }

    /**
     * @return the index of {@code value}, or {@code -(insertionPoint + 1)} when absent.
     */
    public int indexOf(final long value)
    {
        int low = 0;
        int high = values.size() - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final long midValue = values.getLong(mid);
            if (midValue < value)
            {
                low = mid + 1;
            }
            else if (midValue > value)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return -(low + 1);
    }

    /**
     * @return the index of the first value above {@code after}; {@link #size()} when none is.
     */
    public int firstIndexAfter(final long after)
    {
        final int index = indexOf(after);
        return index >= 0 ? index + 1 : -(index + 1);
    }

    /**
     * @return true if added, false if it was already present.
     */
    public boolean add(final long value)
    {
        final int size = values.size();
        if (0 == size || values.getLong(size - 1) < value)
        {
            values.addLong(value);
            return true;
        }
        final int index = indexOf(value);
        if (index >= 0)
        {
            return false;
        }
        values.addLong(-(index + 1), value);
        return true;
    }

    /**
     * @return true if removed, false if it was absent.
     */
    public boolean remove(final long value)
    {
        final int index = indexOf(value);
        if (index < 0)
        {
            return false;
        }
        values.removeAt(index);
        return true;
    }

    public void clear()
    {
        values.clear();
    }

    /**
     * Keep only the values {@code keep} accepts, in order, in one pass.
     */
    public void retain(final java.util.function.LongPredicate keep)
    {
        int kept = 0;
        final int size = values.size();
        for (int i = 0; i < size; i++)
        {
            final long value = values.getLong(i);
            if (keep.test(value))
            {
                values.setLong(kept++, value);
            }
        }
        for (int i = size - 1; i >= kept; i--)
        {
            values.removeAt(i);
        }
    }
}
