package io.banter.perf.load;

/**
 * The requests of the {@code mixed} scenario besides sends, and how each is told apart when its
 * answer comes back: the correlation id carries the request's intended send time and its kind,
 * so a connection keeps no table of what is outstanding.
 */
final class MixedRequest
{
    static final int MARK_READ = 0;
    static final int SYNC = 1;
    static final int HISTORY = 2;
    /** A history page below the server's hot window, answered from the cold tier. */
    static final int OLDER_HISTORY = 3;
    static final int KINDS = 4;

    static final String[] NAMES = {"mark read -> ReadState", "sync -> SyncBatch", "history page -> HistoryBatch",
        "older history page (cold tier) -> HistoryBatch"};

    /** Correlation ids at or above this are mixed requests; the harness's own are small numbers. */
    private static final long FLAG = 1L << 62;

    private MixedRequest()
    {
    }

    static long correlationId(final int kind, final long dueNs)
    {
        return FLAG | (dueNs << 2) | kind;
    }

    static boolean isMixed(final long correlationId)
    {
        return (correlationId & FLAG) != 0;
    }

    static int kind(final long correlationId)
    {
        return (int)(correlationId & 3);
    }

    static long dueNs(final long correlationId)
    {
        return (correlationId & ~FLAG) >> 2;
    }
}
