package io.banter.replica.node;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.banter.engine.EngineContext;
import io.banter.engine.store.ChronicleMessageStore;
import io.banter.engine.store.MessageStore;
import io.banter.journal.cold.ColdTierContext;
import io.banter.journal.cold.ColdTierHost;
import io.banter.replica.service.EngineClusteredService;
import org.agrona.CloseHelper;
import org.agrona.concurrent.NoOpLock;

import java.io.File;
import java.util.function.BooleanSupplier;

/**
 * One cluster member in one process: media driver, archive and consensus module (the
 * clustered media driver) plus the service container hosting the engine. Everything runs in
 * Aeron's SHARED threading modes with the configured idle strategy, to share two cores politely.
 */
public final class BanterNode implements AutoCloseable
{

    private final NodeContext context;
    private final EngineClusteredService service;
    private final ColdTierHost coldTier;
    private final ClusteredMediaDriver clusteredMediaDriver;
    private final ClusteredServiceContainer container;
    private MemberGuard guard;

    private BanterNode(final NodeContext context)
    {
        this.context = context.conclude();
        final String aeronDir = context.aeronDirectoryName();
        final File memberDir = context.memberDir();
        final String host = context.host();

        final MediaDriver.Context driver = new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(context.newIdleStrategy())
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);

        final AeronArchive.Context replicationArchive = new AeronArchive.Context()
            .controlResponseChannel("aeron:udp?endpoint=" + host + ":0");

        final Archive.Context archive = new Archive.Context()
            .aeronDirectoryName(aeronDir)
            .archiveDir(new File(memberDir, "archive"))
            .controlChannel("aeron:udp?endpoint=" +
                context.endpoint(context.memberId(), NodeContext.ARCHIVE_CONTROL_PORT_OFFSET))
            .localControlChannel("aeron:ipc?term-length=64k")
            .replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .archiveClientContext(replicationArchive)
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(context::newIdleStrategy);

        final AeronArchive.Context localArchive = new AeronArchive.Context()
            .lock(NoOpLock.INSTANCE)
            .controlRequestChannel(archive.localControlChannel())
            .controlRequestStreamId(archive.localControlStreamId())
            .controlResponseChannel(archive.localControlChannel())
            .aeronDirectoryName(aeronDir);

        final ConsensusModule.Context consensus = new ConsensusModule.Context()
            .clusterMemberId(context.memberId())
            .clusterMembers(context.clusterMembers())
            .clusterDir(new File(memberDir, "cluster"))
            .ingressChannel("aeron:udp?" + NodeContext.TERM_LENGTH)
            .isIpcIngressAllowed(true) // an embedded gateway of a one-member cluster uses IPC
            .logChannel(context.logChannel())
            .replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .leaderHeartbeatTimeoutNs(context.leaderHeartbeatTimeoutNs())
            .sessionTimeoutNs(context.sessionTimeoutNs())
            .idleStrategySupplier(context::newIdleStrategy)
            .archiveContext(localArchive.clone());

        this.coldTier = context.coldTier() ?
            ColdTierHost.start(new ColdTierContext().directory(context.coldTierDir().toPath())) : null;
        // Without a cold tier nothing may leave the hot tier: there would be nowhere to read it from.
        this.service = new EngineClusteredService(null == coldTier ?
            () -> context.engineContextSupplier().get().historyArchive(null) :
            () -> withColdTier(context.engineContextSupplier().get(), coldTier, this::isLeader));
        if (null != coldTier)
        {
            service.replySource(coldTier::pollReplies);
            service.coldTierHealth(coldTier::writeErrors, coldTier::droppedReplies);
            // Everything a snapshot's hot tier holds must be in the cold tier before the snapshot
            // replaces the log before it.
            service.beforeSnapshot(coldTier::awaitDurable);
        }
        final ClusteredServiceContainer.Context serviceContainer = new ClusteredServiceContainer.Context()
            .aeronDirectoryName(aeronDir)
            .archiveContext(localArchive.clone())
            .clusterDir(new File(memberDir, "cluster"))
            .clusteredService(service)
            .idleStrategySupplier(context::newIdleStrategy);

        ClusteredMediaDriver mediaDriver = null;
        ClusteredServiceContainer serviceContainerInstance = null;
        try
        {
            mediaDriver = ClusteredMediaDriver.launch(driver, archive, consensus);
            serviceContainerInstance = ClusteredServiceContainer.launch(serviceContainer);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(serviceContainerInstance, mediaDriver, coldTier);
            throw ex;
        }
        this.clusteredMediaDriver = mediaDriver;
        this.container = serviceContainerInstance;
    }

    /**
     * Start the member; after a kill -9 this waits for the previous run's mark files to go
     * stale (see {@link StaleMarkFiles}) rather than failing.
     */
    public static BanterNode launch(final NodeContext context)
    {
        return launch(context, () -> { });
    }

    /**
     * @param moreChecks run once the member's directory is claimed, before anything starts (e.g.
     *                   that the gateway's port is free); what it throws stops the launch.
     */
    public static BanterNode launch(final NodeContext context, final Runnable moreChecks)
    {
        // Before anything is created: a second member on the same directory or ports stops here.
        final MemberGuard guard = MemberGuard.claim(context.conclude(), moreChecks);
        try
        {
            MemberRecord.of(context, null).write(context.memberDir());
            final BanterNode node = StaleMarkFiles.retry(() -> new BanterNode(context), StaleMarkFiles.DEFAULT_WAIT_NS,
                message -> System.out.println("banter: " + message));
            node.guard = guard;
            return node;
        }
        catch (final RuntimeException ex)
        {
            guard.close();
            throw ex;
        }
    }

    public NodeContext context()
    {
        return context;
    }

    /**
     * Ask the consensus module to take a snapshot now and wait until it has (the cluster's own
     * control toggle, as Aeron's ClusterTool does it).
     *
     * @return whether the snapshot was taken.
     */
    public boolean takeSnapshot(final java.io.PrintStream out)
    {
        return io.aeron.cluster.ClusterTool.snapshot(new File(context.memberDir(), "cluster"), out);
    }

    /**
     * The member's cold tier, or null when it runs without one.
     */
    public ColdTierHost coldTier()
    {
        return coldTier;
    }

    public EngineClusteredService service()
    {
        return service;
    }

    public void close()
    {
        // The cold tier last: the service has stopped handing it messages.
        // The guard after everything else: the directory is free only once nothing uses it.
        CloseHelper.closeAll(container, clusteredMediaDriver, coldTier, guard);
    }

    /**
     * The engine's hot tier with the cold tier written behind it, and the cold tier as its
     * archive: messages leave the hot tier by the engine's policy and older history is paged
     * from disk, answered by the leader.
     */
    private static EngineContext withColdTier(
        final EngineContext engineContext, final ColdTierHost coldTier, final BooleanSupplier answering)
    {
        final MessageStore hot = null != engineContext.messageStore() ? engineContext.messageStore() :
            new ChronicleMessageStore(engineContext.hotTierEntries(), engineContext.hotTierAverageMessageBytes(),
            engineContext.maxStoredMessageLength());
        engineContext.messageStore(coldTier.wrap(hot));
        return engineContext.historyArchive(coldTier.historyArchive(engineContext, answering));
    }

    private boolean isLeader()
    {
        return service.role() == Cluster.Role.LEADER;
    }
}
