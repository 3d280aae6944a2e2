package io.banter.replica;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code banter server} in a child JVM, so that a test can kill it with SIGKILL.
 */
final class ServerProcess implements AutoCloseable
{
    private final Process process;

    private ServerProcess(final Process process)
    {
        this.process = process;
    }

    static ServerProcess start(final File dataDir, final int basePort, final int gatewayPort, final File log)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            // The project's JVM flags, as surefire gave them to this JVM.
            if (argument.startsWith("--add-") || argument.startsWith("-Dchronicle") || argument.startsWith("-Xmx"))
            {
                command.add(argument);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.banter.replica.cli.BanterMain", "server",
            "--data-dir", dataDir.getPath(), "--base-port", String.valueOf(basePort),
            "--gateway-port", String.valueOf(gatewayPort), "--hot-tier-entries", "100000"));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final CompletableFuture<Void> listening = new CompletableFuture<>();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                var out = new java.io.FileWriter(log, true))
            {
                String line;
                while (null != (line = lines.readLine()))
                {
                    out.write(line + "\n");
                    out.flush();
                    if (line.startsWith("banter: listening on"))
                    {
                        listening.complete(null);
                    }
                }
            }
            catch (final IOException ignore)
            {
                // the process went away
            }
            listening.completeExceptionally(new IllegalStateException("server exited; see " + log));
        });
        reader.setDaemon(true);
        reader.start();
        final ServerProcess server = new ServerProcess(process);
        try
        {
            listening.get(90, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            server.kill();
            String output;
            try
            {
                output = java.nio.file.Files.readString(log.toPath());
            }
            catch (final IOException readFailure)
            {
                output = readFailure.toString();
            }
            throw new IllegalStateException("banter server did not start:\n" + output, ex);
        }
        return server;
    }

    /**
     * SIGKILL: no shutdown hook, no clean close.
     */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public void close()
    {
        process.destroyForcibly();
    }
}
