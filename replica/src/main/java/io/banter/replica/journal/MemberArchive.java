package io.banter.replica.journal;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.banter.replica.node.NodeContext;
import io.banter.replica.node.StaleMarkFiles;
import org.agrona.CloseHelper;

import java.io.File;

/**
 * Read access to one member's archive, where its copy of the replicated log and its snapshots
 * are recorded. A running member is asked through its own media driver (the archive's local IPC
 * control channel); a stopped member's archive directory is opened by an archive started here
 * for the purpose, with its own media driver, and closed again.
 */
public final class MemberArchive implements AutoCloseable
{
    private static final String LOCAL_CONTROL = "aeron:ipc?term-length=64k";
    private static final long DRIVER_TIMEOUT_MS = 2_000;

    private final boolean live;
    private final MediaDriver driver;
    private final Archive archive;
    private final Aeron aeron;
    private final AeronArchive client;

    private MemberArchive(final NodeContext node)
    {
        final File aeronDir = new File(node.aeronDirectoryName());
        live = CommonContext.isDriverActive(aeronDir, DRIVER_TIMEOUT_MS, message -> { });
        MediaDriver launchedDriver = null;
        Archive launchedArchive = null;
        Aeron connected = null;
        try
        {
            final String aeronDirectoryName;
            if (live)
            {
                aeronDirectoryName = node.aeronDirectoryName();
            }
            else
            {
                launchedDriver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                    .threadingMode(ThreadingMode.SHARED)
                    .termBufferSparseFile(true)
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true));
                aeronDirectoryName = launchedDriver.aeronDirectoryName();
                launchedArchive = Archive.launch(new Archive.Context()
                    .aeronDirectoryName(aeronDirectoryName)
                    .archiveDir(new File(node.memberDir(), "archive"))
                    .controlChannelEnabled(false)
                    .localControlChannel(LOCAL_CONTROL)
                    .replicationChannel("aeron:udp?endpoint=localhost:0")
                    .archiveClientContext(new AeronArchive.Context().controlResponseChannel("aeron:udp?endpoint=localhost:0"))
                    .recordingEventsEnabled(false)
                    .threadingMode(ArchiveThreadingMode.SHARED));
            }
            connected = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDirectoryName));
            client = AeronArchive.connect(new AeronArchive.Context()
                .aeron(connected)
                .controlRequestChannel(LOCAL_CONTROL)
                .controlRequestStreamId(AeronArchive.Configuration.LOCAL_CONTROL_STREAM_ID_DEFAULT)
                .controlResponseChannel(LOCAL_CONTROL));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(connected, launchedArchive, launchedDriver);
            throw ex;
        }
        this.driver = launchedDriver;
        this.archive = launchedArchive;
        this.aeron = connected;
    }

    public static MemberArchive open(final NodeContext node)
    {
        return StaleMarkFiles.retry(() -> new MemberArchive(node.conclude()), StaleMarkFiles.DEFAULT_WAIT_NS,
            message -> System.err.println("banter journal: member " + node.memberId() + ": " + message));
    }

    /**
     * Whether the member is running (its log may still grow while it is read).
     */
    public boolean isLive()
    {
        return live;
    }

    public Aeron aeron()
    {
        return aeron;
    }

    public AeronArchive client()
    {
        return client;
    }

    /**
     * Where a recording ends now: its stop position, or its current position while it records.
     */
    public long endPosition(final long recordingId)
    {
        final long stop = client.getStopPosition(recordingId);
        return AeronArchive.NULL_POSITION != stop ? stop : client.getRecordingPosition(recordingId);
    }

    public void close()
    {
        CloseHelper.closeAll(client, aeron, archive, driver);
    }
}
