package io.banter.replica.local;

import org.agrona.IoUtil;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * N cluster members on this machine, each a {@code banter node} child process, started together
 * (a member cannot finish starting without a quorum). Each member's pid is written to
 * {@code <data-dir>/node-i/member.pid} so {@code banter replica stop|kill} can reach it from
 * another terminal.
 */
public final class LocalCluster implements AutoCloseable
{
    public static final String PID_FILE = "member.pid";
    private static final long START_TIMEOUT_S = 120;

    private final LocalClusterContext context;
    private final MemberProcess[] members;

    private LocalCluster(final LocalClusterContext context)
    {
        this.context = context;
        this.members = new MemberProcess[context.members()];
    }

    public static LocalCluster start(final LocalClusterContext context)
    {
        final LocalCluster cluster = new LocalCluster(context);
        final List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int i = 0; i < context.members(); i++)
        {
            final int memberId = i;
            starts.add(CompletableFuture.runAsync(() -> cluster.startMember(memberId)));
        }
        try
        {
            CompletableFuture.allOf(starts.toArray(new CompletableFuture[0])).join();
        }
        catch (final CompletionException ex)
        {
            cluster.close();
            throw ex.getCause() instanceof RuntimeException ? (RuntimeException)ex.getCause() : ex;
        }
        return cluster;
    }

    /**
     * Start member i again (after {@link #kill(int)} or {@link #stop(int)}) and wait until it runs.
     */
    public void startMember(final int memberId)
    {
        final File memberDir = context.nodeContext(memberId).memberDir();
        if (!memberDir.isDirectory() && !memberDir.mkdirs())
        {
            throw new IllegalStateException("cannot create " + memberDir);
        }
        try
        {
            final MemberProcess member = MemberProcess.start(context.nodeArguments(memberId),
                new File(memberDir, "member.log"),
                context.gateways() ? "banter: listening on" : "banter: cluster member", START_TIMEOUT_S, TimeUnit.SECONDS);
            members[memberId] = member;
            Files.writeString(new File(memberDir, PID_FILE).toPath(), member.pid() + "\n", StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public LocalClusterContext context()
    {
        return context;
    }

    public MemberProcess member(final int memberId)
    {
        return members[memberId];
    }

    /**
     * SIGKILL member i.
     */
    public void kill(final int memberId)
    {
        final MemberProcess member = members[memberId];
        if (null != member)
        {
            member.kill();
        }
    }

    /**
     * SIGTERM member i and wait for it to exit.
     */
    public void stop(final int memberId)
    {
        final MemberProcess member = members[memberId];
        if (null != member)
        {
            member.stop();
        }
    }

    public void close()
    {
        for (int i = 0; i < members.length; i++)
        {
            if (null != members[i])
            {
                members[i].close();
                // A killed member leaves its media driver's directory behind; a stopped one has removed it.
                IoUtil.delete(new File(context.nodeContext(i).aeronDirectoryName()), true);
            }
        }
    }
}
