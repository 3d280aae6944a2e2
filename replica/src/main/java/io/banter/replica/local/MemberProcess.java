package io.banter.replica.local;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code banter} command in a child JVM with this JVM's class path and Banter's JVM flags, its
 * output copied to a log file. Used to run cluster members that an operator or a drill can stop
 * with SIGTERM or kill with SIGKILL.
 */
public final class MemberProcess implements AutoCloseable
{
    private final Process process;
    private final File log;
    private volatile boolean exitExpected;

    private MemberProcess(final Process process, final File log)
    {
        this.process = process;
        this.log = log;
    }

    /**
     * Start {@code banter <arguments>} and wait until it prints a line starting with {@code readyLine}.
     *
     * @throws IllegalStateException if it exits or stays silent past the timeout; the log is in the message.
     */
    public static MemberProcess start(
        final List<String> arguments, final File log, final String readyLine, final long timeout, final TimeUnit unit)
        throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(banterJvmFlags());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.banter.replica.cli.BanterMain"));
        command.addAll(arguments);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final Thread copier = new Thread(() -> copyOutput(process, log, readyLine, ready), "banter-member-log");
        copier.setDaemon(true);
        copier.start();
        final MemberProcess member = new MemberProcess(process, log);
        try
        {
            ready.get(timeout, unit);
        }
        catch (final Exception ex)
        {
            member.kill();
            throw new IllegalStateException("banter " + String.join(" ", arguments) + " did not start:\n" +
                member.output(), ex);
        }
        return member;
    }

    /**
     * The flags the Banter JVMs need (module exports and opens, Chronicle's settings) and the
     * heap limit, as this JVM was started with them by the launcher or by surefire.
     */
    public static List<String> banterJvmFlags()
    {
        final List<String> flags = new ArrayList<>();
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("-Dchronicle") || argument.startsWith("-Xmx"))
            {
                flags.add(argument);
            }
        }
        if (Boolean.getBoolean("banter.verbose"))
        {
            flags.add("-Dbanter.verbose=true");
        }
        return flags;
    }

    public long pid()
    {
        return process.pid();
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Call {@code onExit} with the exit code when the process exits other than by
     * {@link #stop()}, {@link #kill()} or {@link #close()}: killed from outside, or failed.
     */
    public void onUnexpectedExit(final java.util.function.IntConsumer onExit)
    {
        process.onExit().thenAccept(exited ->
        {
            if (!exitExpected)
            {
                onExit.accept(exited.exitValue());
            }
        });
    }

    /**
     * SIGKILL: no shutdown hook runs, nothing is closed cleanly.
     */
    public void kill()
    {
        exitExpected = true;
        process.destroyForcibly();
        awaitExit(30);
    }

    /**
     * SIGTERM: the member stops cleanly, as on Ctrl-C.
     */
    public void stop()
    {
        exitExpected = true;
        process.destroy();
        if (!awaitExit(30))
        {
            kill();
        }
    }

    public String output()
    {
        try
        {
            return Files.readString(log.toPath());
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }

    public File log()
    {
        return log;
    }

    public void close()
    {
        exitExpected = true;
        if (process.isAlive())
        {
            stop();
        }
    }

    private boolean awaitExit(final long seconds)
    {
        try
        {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void copyOutput(
        final Process process, final File log, final String readyLine, final CompletableFuture<Void> ready)
    {
        try (BufferedReader lines = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Writer out = new FileWriter(log, StandardCharsets.UTF_8, true))
        {
            String line;
            while (null != (line = lines.readLine()))
            {
                out.write(line);
                out.write('\n');
                out.flush();
                if (line.startsWith(readyLine))
                {
                    ready.complete(null);
                }
            }
        }
        catch (final IOException ignore)
        {
            // the process went away; the future below says so
        }
        ready.completeExceptionally(new IllegalStateException("the process exited"));
    }
}
