package io.banter.journal.cold;

/**
 * Where a record is: segment number and byte offset packed into one long, so an index holds
 * primitives only.
 */
final class ColdLocation
{
    static final int OFFSET_BITS = 40;
    static final long MAX_OFFSET = (1L << OFFSET_BITS) - 1;

    private ColdLocation()
    {
    }

    static long pack(final int segment, final long offset)
    {
        return ((long)segment << OFFSET_BITS) | offset;
    }

    static int segment(final long location)
    {
        return (int)(location >>> OFFSET_BITS);
    }

    static long offset(final long location)
    {
        return location & MAX_OFFSET;
    }
}
