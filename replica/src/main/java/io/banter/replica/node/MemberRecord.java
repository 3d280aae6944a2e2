package io.banter.replica.node;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * What a member writes into its own directory ({@code <data-dir>/node-i/cluster.properties})
 * when it starts, so that every other command finds the cluster from the data directory alone:
 * the member hosts, base port, media-driver directory and gateway address it runs with. The file
 * stays when the member stops: a stopped member is still part of its cluster.
 *
 * @param memberId           the member's id.
 * @param memberHosts        the host of every member, in member-id order.
 * @param basePort           the cluster's base port.
 * @param aeronDirectoryName the member's media-driver directory.
 * @param gateway            the embedded gateway's host:port, or null without one.
 * @param pid                the process that wrote the file.
 */
public record MemberRecord(
    int memberId, List<String> memberHosts, int basePort, String aeronDirectoryName, String gateway, long pid)
{
    public static final String FILE_NAME = "cluster.properties";

    /**
     * The record of a member as it starts, before its gateway (if any) has bound its port.
     */
    public static MemberRecord of(final NodeContext node, final String gateway)
    {
        return new MemberRecord(node.memberId(), node.memberHosts(), node.basePort(), node.aeronDirectoryName(),
            gateway, ProcessHandle.current().pid());
    }

    public static File file(final File memberDir)
    {
        return new File(memberDir, FILE_NAME);
    }

    /**
     * Write the record into {@code memberDir}, replacing any earlier one in one step so a reader
     * never sees half a file.
     */
    public void write(final File memberDir)
    {
        final Properties properties = new Properties();
        properties.setProperty("member-id", String.valueOf(memberId));
        properties.setProperty("members", String.join(",", memberHosts));
        properties.setProperty("base-port", String.valueOf(basePort));
        properties.setProperty("aeron-dir", aeronDirectoryName);
        if (null != gateway)
        {
            properties.setProperty("gateway", gateway);
        }
        properties.setProperty("pid", String.valueOf(pid));
        final File target = file(memberDir);
        final File temporary = new File(memberDir, FILE_NAME + ".tmp");
        try
        {
            try (Writer out = Files.newBufferedWriter(temporary.toPath(), StandardCharsets.UTF_8))
            {
                properties.store(out, "written by the Banter member when it starts; read by banter replica, journal, admin");
            }
            Files.move(temporary.toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + target, ex);
        }
    }

    /**
     * @throws IllegalArgumentException naming the file and the reason if it cannot be read.
     */
    public static MemberRecord read(final File file)
    {
        final Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file.toPath(), StandardCharsets.UTF_8))
        {
            properties.load(in);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read " + file + ": " + ex.getMessage());
        }
        try
        {
            return new MemberRecord(
                Integer.parseInt(required(properties, "member-id", file)),
                Arrays.asList(required(properties, "members", file).split(",")),
                Integer.parseInt(required(properties, "base-port", file)),
                required(properties, "aeron-dir", file),
                properties.getProperty("gateway"),
                Long.parseLong(properties.getProperty("pid", "-1").trim()));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(file + " is damaged: " + ex.getMessage());
        }
    }

    private static String required(final Properties properties, final String key, final File file)
    {
        final String value = properties.getProperty(key);
        if (null == value || value.isBlank())
        {
            throw new IllegalArgumentException(file + " has no " + key);
        }
        return value.trim();
    }
}
