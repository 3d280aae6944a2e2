package io.banter.access.chat;

import io.banter.access.auth.ServerSecret;
import io.banter.access.auth.TokenAuthority;
import io.banter.access.cli.Args;
import io.banter.access.client.BanterClient;
import io.banter.access.client.BanterClientContext;
import io.banter.access.client.ChatMessage;
import io.banter.access.client.ClientState;
import io.banter.access.client.ConversationPage;
import io.banter.access.client.ConversationSummary;
import io.banter.access.client.HistoryPage;
import io.banter.access.client.MessageListener;
import io.banter.access.client.Presence;
import io.banter.access.client.UserProfile;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code banter chat}: an interactive terminal client on the SDK. Incoming messages print as
 * they arrive; lines typed are sent to the current peer.
 */
public final class TerminalChat implements MessageListener
{
    public static final String USAGE = String.join("\n",
        "usage: banter chat --user NAME [--server HOST:PORT[,HOST:PORT...]] [--token TOKEN | --secret-file FILE] [--device N]",
        "",
        "Chat as NAME. Without --token, a token is minted from the server secret (default data/server.secret),",
        "which works on the server's own machine. The user must exist (banter admin add-user NAME).",
        "",
        "options:",
        "  --server       gateway endpoints, tried in turn (default localhost:7070)",
        "  --token        a login token from 'banter admin token NAME'",
        "  --secret-file  the server secret to mint a token with (default data/server.secret)",
        "  --device       this terminal's device id (default 1; a second terminal of the same user needs another)");

    private static final String COMMANDS = String.join("\n",
        "commands:",
        "  /to NAME          talk to NAME; plain lines are sent to them",
        "  @NAME text        send one message to NAME",
        "  /list             your conversations",
        "  /history [N]      the last N messages with the current peer (default 20); /more for older",
        "  /who NAME         is NAME online?",
        "  /help             this text",
        "  /quit             leave");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final PrintStream out;
    private final Map<Long, String> names = new ConcurrentHashMap<>();
    private final ExecutorService printer = Executors.newSingleThreadExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "banter-chat-printer");
        thread.setDaemon(true);
        return thread;
    });
    private BanterClient client;
    private long peerUserId;
    private String peerName;
    private long historyCursor;

    private TerminalChat(final PrintStream out)
    {
        this.out = out;
    }

    public static int run(final String[] argv, final int from)
    {
        final Args args = Args.parse(argv, from, Set.of("user", "server", "token", "secret-file", "device"), Set.of());
        if (args.has("help") || !args.has("user"))
        {
            System.out.println(USAGE);
            return args.has("help") ? 0 : 2;
        }
        final String user = args.get("user", "");
        final long userId;
        final String token;
        if (args.has("token"))
        {
            token = args.get("token", "");
            userId = TokenAuthority.claimedUserId(token);
            if (0 == userId)
            {
                System.err.println("banter chat: --token is not a Banter token");
                return 2;
            }
        }
        else
        {
            final Path secretFile = Path.of(args.get("secret-file", "data/server.secret"));
            if (!Files.exists(secretFile))
            {
                System.err.println("banter chat: no " + secretFile + "; pass --token (from 'banter admin token " + user +
                    "') or --secret-file");
                return 2;
            }
            final TokenAuthority tokens = new TokenAuthority(ServerSecret.loadOrCreate(secretFile));
            userId = tokens.userIdFor(user);
            token = tokens.issue(userId, System.currentTimeMillis() + TimeUnit.DAYS.toMillis(1));
        }

        final TerminalChat chat = new TerminalChat(System.out);
        chat.names.put(userId, user);
        final BanterClientContext context = new BanterClientContext()
            .endpoints(args.get("server", "localhost:7070").split(","))
            .userId(userId)
            .deviceId(args.getLong("device", 1))
            .token(token)
            .listener(chat);
        try (BanterClient client = BanterClient.connect(context))
        {
            chat.client = client;
            try
            {
                client.online().get(15, TimeUnit.SECONDS);
            }
            catch (final Exception ex)
            {
                System.err.println("banter chat: could not log in as " + user + ": " +
                    (ex instanceof ExecutionException ? ex.getCause().getMessage() : "no answer from " +
                    args.get("server", "localhost:7070") + " (is 'banter server' running?)"));
                return 1;
            }
            chat.out.println("logged in as " + user + " (user id " + userId + "). Type /help for commands.");
            return chat.readLoop();
        }
    }

    private int readLoop()
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = in.readLine()))
            {
                line = line.strip();
                if (line.isEmpty())
                {
                    continue;
                }
                try
                {
                    if (!onLine(line))
                    {
                        return 0;
                    }
                }
                catch (final Exception ex)
                {
                    final Throwable cause = ex instanceof ExecutionException ? ex.getCause() : ex;
                    out.println("! " + cause.getMessage());
                }
            }
            return 0;
        }
        catch (final java.io.IOException ex)
        {
            System.err.println("banter chat: " + ex.getMessage());
            return 1;
        }
    }

    private boolean onLine(final String line) throws Exception
    {
        if (line.startsWith("/"))
        {
            final String[] words = line.split("\\s+", 2);
            final String argument = words.length > 1 ? words[1].strip() : "";
            switch (words[0])
            {
                case "/quit":
                case "/exit":
                    return false;
                case "/help":
                    out.println(COMMANDS);
                    break;
                case "/to":
                {
                    final UserProfile profile = await(client.lookupUser(argument));
                    names.put(profile.userId(), profile.name());
                    peerUserId = profile.userId();
                    peerName = profile.name();
                    historyCursor = 0;
                    out.println("talking to " + peerName + (profile.online() ? " (online)" : " (offline)"));
                    break;
                }
                case "/list":
                    listConversations();
                    break;
                case "/history":
                    historyCursor = 0;
                    history(argument.isEmpty() ? 20 : Integer.parseInt(argument));
                    break;
                case "/more":
                    history(20);
                    break;
                case "/who":
                {
                    final UserProfile profile = await(client.lookupUser(argument));
                    final Presence presence = await(client.presence(profile.userId()));
                    out.println(profile.name() + " is " + (presence.online() ?
                        "online on " + presence.onlineDevices() + " device(s)" : "offline"));
                    break;
                }
                default:
                    out.println("unknown command " + words[0] + "; /help lists them");
            }
            return true;
        }
        if (line.startsWith("@"))
        {
            final String[] words = line.split("\\s+", 2);
            final UserProfile profile = await(client.lookupUser(words[0].substring(1)));
            names.put(profile.userId(), profile.name());
            send(profile.userId(), profile.name(), words.length > 1 ? words[1] : "");
            return true;
        }
        if (0 == peerUserId)
        {
            out.println("who to? use /to NAME or @NAME text");
            return true;
        }
        send(peerUserId, peerName, line);
        return true;
    }

    private void send(final long toUserId, final String toName, final String text)
    {
        client.sendText(toUserId, text).whenComplete((receipt, failure) ->
        {
            if (null != failure)
            {
                out.println("! not sent to " + toName + ": " + failure.getMessage());
            }
        });
    }

    private void listConversations() throws Exception
    {
        final ConversationPage page = await(client.conversations(0, 50));
        if (page.conversations().isEmpty())
        {
            out.println("no conversations yet");
            return;
        }
        for (final ConversationSummary conversation : page.conversations())
        {
            final String name = nameOf(conversation.peerUserId());
            final Presence presence = await(client.presence(conversation.peerUserId()));
            out.printf("  %-16s %6d messages, last %s%s%n", name, conversation.headSeq(),
                TIME.format(Instant.ofEpochMilli(conversation.lastTimestamp())), presence.online() ? "  (online)" : "");
        }
        if (page.hasMore())
        {
            out.println("  ...");
        }
    }

    private void history(final int count) throws Exception
    {
        if (0 == peerUserId)
        {
            out.println("no current peer; use /to NAME");
            return;
        }
        long conversationId = 0;
        for (final ConversationSummary conversation : await(client.conversations(0, 256)).conversations())
        {
            if (conversation.peerUserId() == peerUserId)
            {
                conversationId = conversation.conversationId();
            }
        }
        if (0 == conversationId)
        {
            out.println("no messages with " + peerName + " yet");
            return;
        }
        if (historyCursor == 1)
        {
            out.println("(no older messages)");
            return;
        }
        final HistoryPage page = await(client.history(conversationId, historyCursor, count));
        final List<ChatMessage> messages = page.messages();
        for (int i = messages.size() - 1; i >= 0; i--)
        {
            print(messages.get(i));
        }
        historyCursor = messages.isEmpty() ? 1 : messages.get(messages.size() - 1).seq();
        if (page.hasMore())
        {
            out.println("(/more for older)");
        }
        else
        {
            historyCursor = 1;
        }
    }

    /**
     * Called on the client's event loop, which must not block: a name lookup waits for that very
     * loop, so printing happens on a thread of its own, in arrival order.
     */
    public void onMessage(final ChatMessage message)
    {
        printer.execute(() -> print(message));
    }

    public void onStateChange(final ClientState state, final String reason)
    {
        if (ClientState.DISCONNECTED == state || ClientState.CLOSED == state)
        {
            out.println("* " + state.name().toLowerCase() + ": " + reason);
        }
        else if (ClientState.ONLINE == state && null != client)
        {
            out.println("* online");
        }
    }

    private void print(final ChatMessage message)
    {
        out.println("[" + TIME.format(Instant.ofEpochMilli(message.timestamp())) + "] " +
            nameOf(message.senderUserId()) + ": " + message.text());
    }

    private String nameOf(final long userId)
    {
        final String known = names.get(userId);
        if (null != known)
        {
            return known;
        }
        try
        {
            final String name = client.lookupUser(userId).get(5, TimeUnit.SECONDS).name();
            names.put(userId, name);
            return name;
        }
        catch (final Exception ex)
        {
            return "user " + userId;
        }
    }

    private static <T> T await(final Future<T> future) throws Exception
    {
        return future.get(10, TimeUnit.SECONDS);
    }
}
