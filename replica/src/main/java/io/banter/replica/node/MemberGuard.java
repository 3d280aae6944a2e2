package io.banter.replica.node;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;

/**
 * What a member checks and claims before it creates anything, so that a second member on the
 * same data directory or ports fails at once with one line saying what is in use and by whom,
 * instead of deleting the first one's media-driver directory (the driver starts with
 * dirDeleteOnStart) or retrying on its mark files for half a minute:
 * <ul>
 *     <li>its data directory, by an exclusive lock on {@code node-i/member.lock} (holding the pid),
 *     released by the operating system when the process dies, so a kill -9 never leaves it held;</li>
 *     <li>its media-driver directory, alive if its CnC file's heartbeat is fresh and its pid runs;</li>
 *     <li>its five UDP ports and its gateway's TCP port, by binding each for a moment.</li>
 * </ul>
 */
public final class MemberGuard implements AutoCloseable
{
    public static final String LOCK_FILE = "member.lock";
    private static final long DRIVER_ACTIVE_TIMEOUT_MS = 10_000;
    private static final int[] PORT_OFFSETS = {
        NodeContext.INGRESS_PORT_OFFSET, NodeContext.CONSENSUS_PORT_OFFSET, NodeContext.LOG_PORT_OFFSET,
        NodeContext.CATCHUP_PORT_OFFSET, NodeContext.ARCHIVE_CONTROL_PORT_OFFSET};
    private static final String[] PORT_NAMES = {"ingress", "consensus", "log", "catch-up", "archive control"};

    private final FileChannel channel;
    private final FileLock lock;

    private MemberGuard(final FileChannel channel, final FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Take member {@code node}'s data directory and check its driver directory and UDP ports.
     *
     * @throws MemberInUseException naming what is in use and by which process.
     */
    public static MemberGuard claim(final NodeContext node, final Runnable moreChecks)
    {
        final File memberDir = node.memberDir().getAbsoluteFile();
        // The directories this claim creates, outermost first, to remove again if it fails.
        final java.util.ArrayDeque<File> created = new java.util.ArrayDeque<>();
        for (File dir = memberDir; null != dir && !dir.exists(); dir = dir.getParentFile())
        {
            created.push(dir);
        }
        if (!memberDir.isDirectory() && !memberDir.mkdirs())
        {
            throw new IllegalStateException("cannot create " + memberDir);
        }
        MemberGuard guard = null;
        try
        {
            guard = lock(memberDir);
            checkDriverDirectory(node.aeronDirectoryName());
            for (int i = 0; i < PORT_OFFSETS.length; i++)
            {
                final int port = node.basePort() + 100 * node.memberId() + PORT_OFFSETS[i];
                checkUdpPort(node.host(), port, "member " + node.memberId() + "'s " + PORT_NAMES[i] + " port");
            }
            moreChecks.run();
        }
        catch (final RuntimeException ex)
        {
            if (null != guard)
            {
                guard.close();
            }
            if (!created.isEmpty())
            {
                removeCreated(created, memberDir);
            }
            throw ex;
        }
        return guard;
    }

    private static void removeCreated(final java.util.ArrayDeque<File> created, final File memberDir)
    {
        final File lockFile = new File(memberDir, LOCK_FILE);
        if (!lockFile.delete() && lockFile.exists())
        {
            return;
        }
        while (!created.isEmpty())
        {
            // Innermost first; a directory something else wrote into meanwhile stays.
            if (!created.pollLast().delete())
            {
                return;
            }
        }
    }

    /**
     * @throws MemberInUseException if another process listens on the TCP port.
     */
    public static void checkTcpPort(final String host, final int port, final String what)
    {
        if (port <= 0)
        {
            return;
        }
        try (ServerSocket socket = new ServerSocket())
        {
            socket.setReuseAddress(true); // a port in TIME_WAIT is free for a listener
            socket.bind(new InetSocketAddress(host, port));
        }
        catch (final BindException ex)
        {
            throw new MemberInUseException("TCP port " + port + " (" + what + ") on " + host + " is in use by " +
                PortOwners.describe(false, port));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot check TCP port " + port + " on " + host, ex);
        }
    }

    private static void checkUdpPort(final String host, final int port, final String what)
    {
        try (DatagramSocket socket = new DatagramSocket(null))
        {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(host, port));
        }
        catch (final BindException ex)
        {
            throw new MemberInUseException("UDP port " + port + " (" + what + ") on " + host + " is in use by " +
                PortOwners.describe(true, port));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot check UDP port " + port + " on " + host, ex);
        }
    }

    private static void checkDriverDirectory(final String aeronDirectoryName)
    {
        final File aeronDir = new File(aeronDirectoryName);
        if (CommonContext.isDriverActive(aeronDir, DRIVER_ACTIVE_TIMEOUT_MS, message -> { }))
        {
            final long pid = driverPid(aeronDir);
            if (pid < 0 || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            {
                throw new MemberInUseException("the media driver directory " + aeronDirectoryName + " is in use by " +
                    (pid < 0 ? "another process" : PortOwners.describePid(pid)) +
                    " (another member on the same --base-port and --member-id)");
            }
        }
    }

    /**
     * The pid of the media driver that created the directory's CnC file, or -1 if there is none.
     */
    public static long driverPid(final File aeronDir)
    {
        final File cncFile = new File(aeronDir, CncFileDescriptor.CNC_FILE);
        if (!cncFile.isFile() || cncFile.length() < CncFileDescriptor.META_DATA_LENGTH)
        {
            return -1;
        }
        MappedByteBuffer cnc = null;
        try
        {
            cnc = IoUtil.mapExistingFile(cncFile, "cnc");
            final UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
            final int version = metaData.getIntVolatile(CncFileDescriptor.cncVersionOffset(0));
            return CncFileDescriptor.CNC_VERSION == version ? CncFileDescriptor.pid(metaData) : -1;
        }
        catch (final RuntimeException ex)
        {
            return -1; // being created or removed right now
        }
        finally
        {
            if (null != cnc)
            {
                IoUtil.unmap(cnc);
            }
        }
    }

    private static MemberGuard lock(final File memberDir)
    {
        final File lockFile = new File(memberDir, LOCK_FILE);
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(lockFile.toPath(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            FileLock lock = null;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                // held by this very process
            }
            if (null == lock)
            {
                final String holder = readPid(channel);
                channel.close();
                throw new MemberInUseException(memberDir + " is in use by " +
                    (holder.isEmpty() ? "another process" : PortOwners.describePid(Long.parseLong(holder))) +
                    " (a member already runs on this data directory; " + lockFile + ")");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
                0);
            channel.force(false);
            return new MemberGuard(channel, lock);
        }
        catch (final IOException ex)
        {
            try
            {
                if (null != channel)
                {
                    channel.close();
                }
            }
            catch (final IOException ignore)
            {
                // the first failure is the one to report
            }
            throw new UncheckedIOException("cannot lock " + lockFile, ex);
        }
    }

    private static String readPid(final FileChannel channel) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        final String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        return text.matches("[0-9]+") ? text : "";
    }

    public void close()
    {
        try
        {
            if (lock.isValid())
            {
                lock.release();
            }
            channel.close();
        }
        catch (final IOException ignore)
        {
            // closing the channel releases the lock in any case
        }
    }
}
