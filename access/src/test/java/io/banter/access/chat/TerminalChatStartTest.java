package io.banter.access.chat;

import io.banter.access.auth.TokenAuthority;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code banter chat} pointed at a port where nothing listens says so at once (about a second,
 * most of it starting the client), not after its 15 s login timeout; a malformed
 * {@code --server} is a usage error.
 */
final class TerminalChatStartTest
{
    private static final String TOKEN = new TokenAuthority("chat-start-test-secret-0123456789".getBytes())
        .issue(42, System.currentTimeMillis() + TimeUnit.HOURS.toMillis(1));

    @Test
    void aPortWhereNothingListensFailsAtOnceNamingTheReason() throws IOException
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort(); // free once closed: connecting to it is refused
        }
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final long start = System.nanoTime();
        final int status = run(err, "--server", "localhost:" + port);
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(1, status);
        final String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("cannot connect to localhost:" + port + ": connection refused"), text);
        // The refusal itself takes milliseconds; the rest is starting Netty in this JVM, which
        // takes seconds on a loaded 2-core machine. Well short of the 15 s login timeout.
        assertTrue(elapsedMs < 5_000, "failed after " + elapsedMs + " ms");
    }

    @Test
    void aServerWithoutAPortIsAUsageError()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(err, "--server", "localhost"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--server takes HOST:PORT"), err.toString());
    }

    private static int run(final ByteArrayOutputStream err, final String... extra)
    {
        final String[] argv = new String[4 + extra.length];
        argv[0] = "--user";
        argv[1] = "alice";
        argv[2] = "--token";
        argv[3] = TOKEN;
        System.arraycopy(extra, 0, argv, 4, extra.length);
        return TerminalChat.run(argv, 0, new ByteArrayInputStream(new byte[0]),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
