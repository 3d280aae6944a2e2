package io.banter.replica.local;

import io.banter.replica.node.MemberGuard;
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

    /**
     * Told when a member's process exits without being asked to.
     */
    @FunctionalInterface
    public interface ExitListener
    {
        void onUnexpectedExit(int memberId, long pid, int exitCode);
    }

    private final LocalClusterContext context;
    private final MemberProcess[] members;
    private final ExitListener exitListener;

    private LocalCluster(final LocalClusterContext context, final ExitListener exitListener)
    {
        this.context = context;
        this.members = new MemberProcess[context.members()];
        this.exitListener = exitListener;
    }

    public static LocalCluster start(final LocalClusterContext context)
    {
        return start(context, (memberId, pid, exitCode) -> { });
    }

    /**
     * @param exitListener told when a member dies on its own or is killed from outside.
     */
    public static LocalCluster start(final LocalClusterContext context, final ExitListener exitListener)
    {
        final LocalCluster cluster = new LocalCluster(context, exitListener);
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
            member.onUnexpectedExit(exitCode -> exitListener.onUnexpectedExit(memberId, member.pid(), exitCode));
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
                removeDriverDirectoryLeftBy(new File(context.nodeContext(i).aeronDirectoryName()), members[i]);
            }
        }
    }

    /**
     * A killed member leaves its media driver's directory behind; a stopped one has removed it.
     * Remove it only if our own child created it and is gone: the member may have been restarted
     * by hand since (with the same directory), and that one's must stay.
     */
    static boolean removeDriverDirectoryLeftBy(final File aeronDir, final MemberProcess child)
    {
        if (child.isAlive() || !aeronDir.exists() || MemberGuard.driverPid(aeronDir) != child.pid())
        {
            return false;
        }
        IoUtil.delete(aeronDir, true);
        return true;
    }
}
