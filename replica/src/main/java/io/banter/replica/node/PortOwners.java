package io.banter.replica.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which process holds a local port, read from Linux's /proc (the socket's inode in
 * /proc/net/{udp,tcp}[6], then the process with a descriptor on that inode). Best effort: it
 * says "another process" where /proc cannot tell.
 */
public final class PortOwners
{
    private static final String TCP_LISTEN = "0A";

    private PortOwners()
    {
    }

    /**
     * "pid 1234 (java)", or "another process".
     */
    public static String describe(final boolean udp, final int port)
    {
        final long pid = owner(udp, port);
        return pid < 0 ? "another process" : describePid(pid);
    }

    public static String describePid(final long pid)
    {
        final String command = ProcessHandle.of(pid)
            .flatMap(process -> process.info().command())
            .map(path -> Path.of(path).getFileName().toString())
            .orElse(null);
        return "pid " + pid + (null != command ? " (" + command + ")" : "");
    }

    /**
     * The pid holding the port, or -1 if none is found.
     */
    public static long owner(final boolean udp, final int port)
    {
        final String protocol = udp ? "udp" : "tcp";
        for (final String table : List.of("/proc/net/" + protocol, "/proc/net/" + protocol + "6"))
        {
            final long inode = inode(Path.of(table), port, udp);
            if (inode > 0)
            {
                final long pid = pidOfSocket(inode);
                if (pid > 0)
                {
                    return pid;
                }
            }
        }
        return -1;
    }

    private static long inode(final Path table, final int port, final boolean udp)
    {
        try
        {
            for (final String line : Files.readAllLines(table, StandardCharsets.US_ASCII))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                final String[] fields = line.trim().split("\\s+");
                if (fields.length < 10 || !fields[1].contains(":"))
                {
                    continue;
                }
                final String localPort = fields[1].substring(fields[1].lastIndexOf(':') + 1);
                if (Integer.parseInt(localPort, 16) == port && (udp || TCP_LISTEN.equals(fields[3])))
                {
                    return Long.parseLong(fields[9]);
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // not Linux, or the table changed under us: the owner stays unknown
        }
        return -1;
    }

    private static long pidOfSocket(final long inode)
    {
        final String target = "socket:[" + inode + "]";
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*"))
        {
            for (final Path process : processes)
            {
                try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(process.resolve("fd")))
                {
                    for (final Path descriptor : descriptors)
                    {
                        if (target.equals(readLink(descriptor)))
                        {
                            return Long.parseLong(process.getFileName().toString());
                        }
                    }
                }
                catch (final IOException | RuntimeException ignore)
                {
                    // gone, or not ours to read
                }
            }
        }
        catch (final IOException ignore)
        {
            // no /proc
        }
        return -1;
    }

    private static String readLink(final Path descriptor)
    {
        try
        {
            return Files.readSymbolicLink(descriptor).toString();
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return "";
        }
    }
}
