package io.banter.journal.cold;

import java.nio.file.Path;

/**
 * Where a shard's cold tier lives and how it cuts its files.
 */
public final class ColdTierContext
{
    private Path directory = Path.of("data", "cold");
    private long segmentBytes = 64L * 1024 * 1024;
    private int maxMessageBytes = 64 * 1024;
    private boolean readOnly;

    public ColdTierContext conclude()
    {
        if (segmentBytes < ColdSegment.HEADER_LENGTH + ColdSegment.RECORD_HEADER_LENGTH + maxMessageBytes)
        {
            throw new IllegalArgumentException("segmentBytes " + segmentBytes + " cannot hold one message of " +
                maxMessageBytes + " bytes");
        }
        if (segmentBytes > ColdLocation.MAX_OFFSET)
        {
            throw new IllegalArgumentException("segmentBytes must be at most " + ColdLocation.MAX_OFFSET);
        }
        return this;
    }

    public Path directory()
    {
        return directory;
    }

    public ColdTierContext directory(final Path directory)
    {
        this.directory = directory;
        return this;
    }

    /**
     * A segment is sealed and a new one started once it holds this many bytes.
     */
    public long segmentBytes()
    {
        return segmentBytes;
    }

    public ColdTierContext segmentBytes(final long segmentBytes)
    {
        this.segmentBytes = segmentBytes;
        return this;
    }

    /**
     * The longest stored message (SBE header and body) a record may hold; a longer length read
     * back from disk can only be damage.
     */
    /**
     * Open without changing anything on disk (a tool beside a running member): a tail being
     * written is left alone rather than cut off, and appends are refused.
     */
    public boolean readOnly()
    {
        return readOnly;
    }

    public ColdTierContext readOnly(final boolean readOnly)
    {
        this.readOnly = readOnly;
        return this;
    }

    public int maxMessageBytes()
    {
        return maxMessageBytes;
    }

    public ColdTierContext maxMessageBytes(final int maxMessageBytes)
    {
        this.maxMessageBytes = maxMessageBytes;
        return this;
    }
}
