package io.banter.replica.service;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.ImageFragmentAssembler;
import io.aeron.Publication;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import io.banter.engine.Engine;
import io.banter.engine.EngineContext;
import io.banter.engine.EngineOutput;
import io.banter.engine.snapshot.SnapshotLoader;
import io.banter.journal.cold.ReplySink;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Hosts the engine as an Aeron Cluster service: every committed command is applied on the
 * service thread in log order, and each event goes to the gateway (cluster session) it names.
 * Followers run the same code on the same log, so they are hot standbys; only the leader's
 * session offers actually reach gateways. The events one log entry produces (a gateway's batch of
 * commands answered) leave as one egress message per gateway ({@link EgressBatches}).
 * <p>
 * Egress back-pressure: an event is offered for a bounded number of attempts and then dropped
 * and counted; nothing is lost by that, since acks are answered again on a retried send and
 * pushes are recovered by sync.
 */
public final class EngineClusteredService implements ClusteredService, EngineOutput
{
    private static final int MAX_OFFER_ATTEMPTS = 1_000;
    private static final long COUNTERS_UPDATE_INTERVAL_NS = 100_000_000L;

    private final Supplier<EngineContext> engineContextSupplier;
    private Engine engine;
    private Cluster cluster;
    private IdleStrategy idleStrategy;
    private volatile Cluster.Role role = Cluster.Role.FOLLOWER;
    private volatile long appliedLogEntries;
    private long droppedEvents;
    private volatile boolean startedFromSnapshot;
    private final ManyToOneConcurrentArrayQueue<Runnable> inspections = new ManyToOneConcurrentArrayQueue<>(64);
    private Runnable beforeSnapshot = () -> {};
    private ToIntFunction<ReplySink> replySource = sink -> 0;
    private final SideReplies sideReplies = new SideReplies();
    private final EgressBatches egress = new EgressBatches(this::offerToGateway);
    private LongSupplier coldWriteErrors = () -> 0;
    private LongSupplier coldRepliesDropped = () -> 0;
    private StorageCounters storageCounters;
    private long lastCountersUpdateNs;

    public EngineClusteredService(final Supplier<EngineContext> engineContextSupplier)
    {
        this.engineContextSupplier = engineContextSupplier;
    }

    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        this.cluster = cluster;
        this.idleStrategy = cluster.idleStrategy();
        sideReplies.cluster(cluster);
        storageCounters = new StorageCounters(cluster.aeron(), coldWriteErrors);
        this.engine = new Engine(engineContextSupplier.get(), this);
        if (null != snapshotImage)
        {
            loadSnapshot(snapshotImage);
            startedFromSnapshot = true;
        }
    }

    public void onSessionOpen(final ClientSession session, final long timestamp)
    {
        // A gateway connected; its devices are reported by the commands it sends.
    }

    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
    {
        sideReplies.onSessionClosed(session.id());
        egress.begin();
        engine.onGatewayLost(session.id(), timestamp);
        egress.end();
        egress.onSessionClosed(session.id());
    }

    public void onSessionMessage(
        final ClientSession session,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        egress.begin();
        engine.onCommand(session.id(), timestamp, buffer, offset, length);
        egress.end();
        appliedLogEntries++;
    }

    public void onTimerEvent(final long correlationId, final long timestamp)
    {
    }

    /**
     * Between commands, on the service thread: sends the answers produced off it (cold history
     * pages) and runs queued {@link #inspect} requests.
     */
    public int doBackgroundWork(final long nowNs)
    {
        if (null == engine)
        {
            return 0;
        }
        int work = replySource.applyAsInt(sideReplies);
        if (nowNs - lastCountersUpdateNs >= COUNTERS_UPDATE_INTERVAL_NS)
        {
            // Operators read these by eye: a few times a second is plenty, and the duty cycle runs millions of times.
            lastCountersUpdateNs = nowNs;
            storageCounters.update(engine, sideReplies.dropped() + coldRepliesDropped.getAsLong());
        }
        Runnable inspection;
        while (null != (inspection = inspections.poll()))
        {
            inspection.run();
            work++;
        }
        return work;
    }

    /**
     * Ask a question of the engine from any thread. The engine is single-threaded (its hot tier
     * reuses buffers on every call), so reading it from another thread while it applies commands
     * would corrupt it; the question is answered on the service thread between two commands.
     */
    public <T> CompletableFuture<T> inspect(final Function<Engine, T> query)
    {
        final CompletableFuture<T> answer = new CompletableFuture<>();
        final boolean queued = inspections.offer(() ->
        {
            try
            {
                answer.complete(query.apply(engine));
            }
            catch (final RuntimeException ex)
            {
                answer.completeExceptionally(ex);
            }
        });
        if (!queued)
        {
            answer.completeExceptionally(new IllegalStateException("64 inspections are already waiting"));
        }
        return answer;
    }

    /**
     * Run on the service thread before each snapshot is written (the cold tier's durability barrier).
     */
    public void beforeSnapshot(final Runnable beforeSnapshot)
    {
        this.beforeSnapshot = beforeSnapshot;
    }

    /**
     * Answers produced off the service thread (the cold tier's history pages), polled between
     * commands and sent to their gateways on the side stream ({@link SideReplies}).
     */
    public void replySource(final ToIntFunction<ReplySink> replySource)
    {
        this.replySource = replySource;
    }

    /**
     * Where the storage counters read the cold tier's write errors, and the cold history answers
     * it dropped before they reached this thread, from.
     */
    public void coldTierHealth(final LongSupplier coldWriteErrors, final LongSupplier coldRepliesDropped)
    {
        this.coldWriteErrors = coldWriteErrors;
        this.coldRepliesDropped = coldRepliesDropped;
    }

    public void onTakeSnapshot(final ExclusivePublication snapshotPublication)
    {
        beforeSnapshot.run();
        engine.takeSnapshot((buffer, offset, length) ->
        {
            idleStrategy.reset();
            long result;
            while ((result = snapshotPublication.offer(buffer, offset, length)) < 0)
            {
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
                {
                    throw new IllegalStateException("snapshot publication failed: " + Publication.errorString(result));
                }
                idleStrategy.idle();
            }
        });
    }

    public void onRoleChange(final Cluster.Role newRole)
    {
        role = newRole;
    }

    public void onTerminate(final Cluster cluster)
    {
        sideReplies.close();
        CloseHelper.quietClose(storageCounters);
        if (null != engine)
        {
            engine.close();
        }
    }

    public void onEvent(final long gatewayId, final DirectBuffer buffer, final int offset, final int length)
    {
        egress.onEvent(gatewayId, buffer, offset, length);
    }

    private void offerToGateway(final long gatewayId, final DirectBuffer buffer, final int offset, final int length)
    {
        final ClientSession session = cluster.getClientSession(gatewayId);
        if (null == session)
        {
            droppedEvents++;
            return;
        }
        idleStrategy.reset();
        for (int attempt = 0; attempt < MAX_OFFER_ATTEMPTS; attempt++)
        {
            final long result = session.offer(buffer, offset, length);
            if (result > 0)
            {
                return;
            }
            if (result == Publication.CLOSED || result == Publication.NOT_CONNECTED ||
                result == Publication.MAX_POSITION_EXCEEDED)
            {
                break;
            }
            idleStrategy.idle();
        }
        droppedEvents++;
    }

    /**
     * The engine, for the service thread only; elsewhere use {@link #inspect(Function)}.
     */
    public Engine engine()
    {
        return engine;
    }

    /**
     * Whether the engine was loaded from a snapshot at start (the log after it then replayed).
     */
    public boolean startedFromSnapshot()
    {
        return startedFromSnapshot;
    }

    public Cluster.Role role()
    {
        return role;
    }

    public long appliedLogEntries()
    {
        return appliedLogEntries;
    }

    public long droppedEvents()
    {
        return droppedEvents;
    }


    private void loadSnapshot(final Image snapshotImage)
    {
        final SnapshotLoader loader = engine.snapshotLoader();
        final ImageFragmentAssembler assembler = new ImageFragmentAssembler(
            (buffer, offset, length, header) -> loader.onChunk(buffer, offset, length));
        idleStrategy.reset();
        while (!loader.isComplete())
        {
            final int fragments = snapshotImage.poll(assembler, 16);
            if (0 == fragments)
            {
                if (snapshotImage.isEndOfStream() || snapshotImage.isClosed())
                {
                    throw new IllegalStateException("snapshot ended before its last chunk");
                }
                idleStrategy.idle();
            }
            else
            {
                idleStrategy.reset();
            }
        }
    }
}
