package io.banter.replica.service;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.banter.engine.Engine;
import io.banter.engine.state.HotWindow;
import org.agrona.CloseHelper;

import java.util.function.LongSupplier;

/**
 * The storage tiers of a member as Aeron counters on its media driver, so
 * {@code banter replica status} can read them from outside the process as it reads the
 * cluster's own: messages in the hot tier, messages evicted from it, cold-tier records the
 * writer could not write, and cold history answers dropped on the way to a gateway (reply ring
 * full, or the gateway gone or never connected). Updated by
 * the service thread between commands.
 */
public final class StorageCounters implements AutoCloseable
{
    public static final int HOT_MESSAGES_TYPE_ID = 1_870_001;
    public static final int EVICTED_TYPE_ID = 1_870_002;
    public static final int COLD_WRITE_ERRORS_TYPE_ID = 1_870_003;
    public static final int COLD_REPLIES_DROPPED_TYPE_ID = 1_870_004;

    private final Counter hotMessages;
    private final Counter evicted;
    private final Counter coldWriteErrors;
    private final Counter coldRepliesDropped;
    private final LongSupplier writeErrors;

    StorageCounters(final Aeron aeron, final LongSupplier writeErrors)
    {
        this.hotMessages = aeron.addCounter(HOT_MESSAGES_TYPE_ID, "banter hot tier messages");
        this.evicted = aeron.addCounter(EVICTED_TYPE_ID, "banter hot tier evictions");
        this.coldWriteErrors = aeron.addCounter(COLD_WRITE_ERRORS_TYPE_ID, "banter cold tier write errors");
        this.coldRepliesDropped = aeron.addCounter(COLD_REPLIES_DROPPED_TYPE_ID, "banter cold history replies dropped");
        this.writeErrors = writeErrors;
    }

    void update(final Engine engine, final long repliesDropped)
    {
        final HotWindow window = engine.state().hotWindow();
        hotMessages.setRelease(window.hotMessages());
        evicted.setRelease(window.evictions());
        coldWriteErrors.setRelease(writeErrors.getAsLong());
        coldRepliesDropped.setRelease(repliesDropped);
    }

    public void close()
    {
        CloseHelper.closeAll(hotMessages, evicted, coldWriteErrors, coldRepliesDropped);
    }
}
