package io.banter.replica;

import io.banter.access.chat.TerminalChat;
import io.banter.access.client.BanterClient;
import io.banter.access.client.BanterClientContext;
import io.banter.access.client.BanterException;
import io.banter.access.client.ChatMessage;
import io.banter.access.gateway.GatewayContext;
import io.banter.codecs.ErrorCode;
import io.banter.engine.EngineContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first hour with {@code banter chat}, typed into its input and read from its output against
 * a real one-member cluster: a line too long for the server, message numbers, paging, errors as
 * people read them, and a session ended by a login elsewhere.
 */
final class TerminalChatWireTest
{
    private static final int WAIT_S = 20;

    @TempDir
    static File dataDir;

    private static TestCluster cluster;

    @BeforeAll
    static void start() throws InterruptedException
    {
        // A recall window of 1 ms: every recall by a plain sender is refused, with its reason.
        cluster = TestCluster.start(dataDir, 41_000, 1, () -> TestCluster.engineContext().recallWindow(1));
    }

    @AfterAll
    static void stop()
    {
        cluster.close();
    }

    @Test
    void theSdkKnowsTheServersLimits()
    {
        final BanterClientContext sdk = new BanterClientContext();
        assertEquals(new EngineContext().maxPayloadLength(), sdk.maxPayloadLength());
        assertEquals(new GatewayContext().maxFrameLength(), sdk.maxFrameLength());
    }

    @Test
    void aPayloadOverTheMaximumGetsTheEnginesErrorWhetherTheSdkOrTheEngineRefusesIt() throws Exception
    {
        final long sender = cluster.addUser("limits-sender");
        final long recipient = cluster.addUser("limits-recipient");
        final RecordingListener received = new RecordingListener();
        cluster.onlineClient(recipient, 1, received);
        final BanterClient checked = cluster.onlineClient(sender, 1, new RecordingListener());
        // An SDK told a larger limit than the engine's lets the engine refuse it.
        final BanterClient unchecked = cluster.client(cluster.clientContext(sender, 2, new RecordingListener())
            .platform(io.banter.codecs.Platform.WEB).maxPayloadLength(8_000)).awaitOnline(WAIT_S, TimeUnit.SECONDS);

        final byte[] tooLarge = new byte[5_000];
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, refusal(checked.send(0, recipient, 1, tooLarge)).code());
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, refusal(unchecked.send(0, recipient, 1, tooLarge)).code());
        // Far over the gateway's frame: refused, the connection kept, and the next message flows.
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, refusal(checked.sendText(recipient, "x".repeat(16_000))).code());
        checked.sendText(recipient, "after the long one").get(WAIT_S, TimeUnit.SECONDS);
        final ChatMessage delivered = (ChatMessage)received.await(
            e -> e instanceof ChatMessage message && message.text().equals("after the long one"), WAIT_S, TimeUnit.SECONDS);
        assertEquals(1, delivered.seq(), "nothing refused was stored");
    }

    @Test
    void aChatSessionFromFirstLineToSignedOut() throws Exception
    {
        final long alice = cluster.addUser("chat-alice");
        final long bob = cluster.addUser("chat-bob");
        final RecordingListener bobReceived = new RecordingListener();
        cluster.onlineClient(bob, 1, bobReceived);

        final Transcript transcript = new Transcript();
        final PipedOutputStream typing = new PipedOutputStream();
        final PipedInputStream input = new PipedInputStream(typing, 64 * 1024);
        final PrintStream out = new PrintStream(transcript, true, StandardCharsets.UTF_8);
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        final Thread chat = new Thread(() -> exit.complete(TerminalChat.run(new String[]{
            "--user", "chat-alice", "--token", cluster.token(alice), "--server", cluster.gatewayAddress(0)},
            0, input, out, out)), "terminal-chat");
        chat.setDaemon(true);
        chat.start();
        transcript.await("logged in as chat-alice");

        type(typing, "/to chat-bob");
        transcript.await("talking to chat-bob");

        // A line the server can never take: one clear refusal, no reconnect loop, nothing stuck.
        type(typing, "x".repeat(16_000));
        transcript.await("! not sent to chat-bob: PAYLOAD_TOO_LARGE: payload of 16000 bytes exceeds the maximum of 4096 bytes");
        for (int i = 1; i <= 5; i++)
        {
            type(typing, "hello " + i);
            // Each line's number, once the server has it.
            transcript.await("#" + i + " sent to chat-bob");
        }
        bobReceived.await(e -> e instanceof ChatMessage message && message.text().equals("hello 5"), WAIT_S,
            TimeUnit.SECONDS);

        // /more pages on with the size /history asked for.
        final int historyFrom = transcript.length();
        type(typing, "/history 2");
        final int historyEnd = transcript.await(historyFrom, "(/more for older)");
        final String history = transcript.text().substring(historyFrom, historyEnd);
        assertTrue(history.contains("#4 chat-alice: hello 4") && history.contains("#5 chat-alice: hello 5"), history);
        assertFalse(history.contains("hello 3"), history);
        final int moreFrom = transcript.length();
        type(typing, "/more");
        transcript.await(moreFrom, "#2 chat-alice: hello 2");
        final int moreEnd = transcript.await(moreFrom, "(/more for older)");
        final String more = transcript.text().substring(moreFrom, moreEnd);
        assertTrue(more.contains("#3 chat-alice: hello 3"), more);
        assertFalse(more.contains("hello 1"), "a page of 2, not 20: " + more);

        // Errors as a person reads them.
        type(typing, "/recall abc");
        transcript.await("! /recall takes a message number (#seq), got \"abc\"");
        type(typing, "/recall #1");
        transcript.await("! RECALL_WINDOW_PASSED: messages may be recalled up to 1 ms after sending");
        type(typing, "/recall 99");
        transcript.await("! UNKNOWN_MESSAGE:");
        assertFalse(transcript.text().contains("request template"), transcript.text());
        assertFalse(transcript.text().contains("disconnected"), transcript.text());

        // Another desktop login of alice ends this session: the chat says why and exits.
        cluster.onlineClient(alice, 2, new RecordingListener());
        transcript.await("* signed out: this account logged in on another desktop device (device 2)");
        assertEquals(TerminalChat.SIGNED_OUT, exit.get(WAIT_S, TimeUnit.SECONDS));
        typing.close();
    }

    private static void type(final PipedOutputStream typing, final String line) throws IOException
    {
        typing.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        typing.flush();
    }

    private static BanterException refusal(final CompletableFuture<?> future)
    {
        final ExecutionException failed = assertThrows(ExecutionException.class,
            () -> future.get(WAIT_S, TimeUnit.SECONDS));
        return assertInstanceOf(BanterException.class, failed.getCause());
    }

    /**
     * Everything the chat printed, awaited line by line.
     */
    private static final class Transcript extends OutputStream
    {
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

        public synchronized void write(final int b)
        {
            pending.write(b);
            if ('\n' == b)
            {
                text.append(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
                notifyAll();
            }
        }

        synchronized String text()
        {
            return text.toString();
        }

        synchronized int length()
        {
            return text.length();
        }

        int await(final String expected) throws InterruptedException
        {
            return await(0, expected);
        }

        /**
         * @return where {@code expected} ends, found at or after {@code from}.
         */
        synchronized int await(final int from, final String expected) throws InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            int at;
            while ((at = text.indexOf(expected, from)) < 0)
            {
                final long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMs <= 0)
                {
                    throw new AssertionError("the chat never printed \"" + expected + "\"; it printed:\n" + text);
                }
                wait(remainingMs);
            }
            return at + expected.length();
        }
    }
}
