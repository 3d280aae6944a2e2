package io.banter.engine.state;

/**
 * A FIFO of fixed-width rows of longs that grows by doubling up to a maximum and then evicts
 * its oldest row on append.
 * <p>
 * Per-user and per-device histories (change log, dedup window) use it so that the common case,
 * a user with a short history, costs a few hundred bytes, while no user can grow past the limit.
 * Rows are addressed logically: 0 is the oldest retained row.
 */
public final class BoundedLongRing
{
    private static final int INITIAL_ROWS = 4;

    private final int columns;
    private final int maxRows;
    private long[] data;
    private int rowCapacity;
    private int firstRow;
    private int size;

    /**
     * @param columns longs per row.
     * @param maxRows most rows retained; a power of two.
     */
    public BoundedLongRing(final int columns, final int maxRows)
    {
        if (columns < 1 || Integer.bitCount(maxRows) != 1)
        {
            throw new IllegalArgumentException("columns must be positive and maxRows a power of two: " +
                columns + ", " + maxRows);
        }
        this.columns = columns;
        this.maxRows = maxRows;
        this.rowCapacity = Math.min(INITIAL_ROWS, maxRows);
        this.data = new long[rowCapacity * columns];
    }

    public int size()
    {
        return size;
    }

    public int maxRows()
    {
        return maxRows;
    }

    /**
     * Append an empty row, evicting the oldest when the ring holds {@link #maxRows()} rows.
     *
     * @return true when a row was evicted to make room.
     */
    public boolean appendRow()
    {
        boolean evicted = false;
        if (size == rowCapacity)
        {
            if (rowCapacity < maxRows)
            {
                grow();
            }
            else
            {
                firstRow = (firstRow + 1) & (rowCapacity - 1);
                size--;
                evicted = true;
            }
        }
        size++;
        final int base = physicalRow(size - 1) * columns;
        for (int c = 0; c < columns; c++)
        {
            data[base + c] = 0;
        }
        return evicted;
    }

    /**
     * Set a column of the newest row.
     */
    public void setLast(final int column, final long value)
    {
        data[physicalRow(size - 1) * columns + column] = value;
    }

    /**
     * A column of the row at logical index {@code row} (0 is the oldest).
     */
    public long get(final int row, final int column)
    {
        return data[physicalRow(row) * columns + column];
    }

    public void clear()
    {
        firstRow = 0;
        size = 0;
    }

    private int physicalRow(final int row)
    {
        return (firstRow + row) & (rowCapacity - 1);
    }

    private void grow()
    {
        final int newCapacity = rowCapacity << 1;
        final long[] newData = new long[newCapacity * columns];
        for (int row = 0; row < size; row++)
        {
            System.arraycopy(data, physicalRow(row) * columns, newData, row * columns, columns);
        }
        data = newData;
        rowCapacity = newCapacity;
        firstRow = 0;
    }
}
