package io.banter.replica.node;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * After a kill -9, the mark files an Aeron component leaves behind look alive until their
 * activity timestamp is older than the driver timeout (10 s); nothing else can tell a dead owner
 * from a live one. Starting a component on such a directory is retried until they go stale.
 */
public final class StaleMarkFiles
{
    public static final long DEFAULT_WAIT_NS = TimeUnit.SECONDS.toNanos(30);

    private StaleMarkFiles()
    {
    }

    public static <T> T retry(final Supplier<T> start, final long timeoutNs, final Consumer<String> log)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        boolean told = false;
        while (true)
        {
            try
            {
                return start.get();
            }
            catch (final IllegalStateException ex)
            {
                if (null == ex.getMessage() || !ex.getMessage().contains("active mark file detected") ||
                    System.nanoTime() > deadlineNs)
                {
                    throw ex;
                }
                if (!told)
                {
                    // One line, not one a second: the member's lock says the owner is gone.
                    log.accept("a previous run ended abruptly (" + ex.getMessage().trim() +
                        "); waiting up to " + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s for it to go stale");
                    told = true;
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        }
    }
}
