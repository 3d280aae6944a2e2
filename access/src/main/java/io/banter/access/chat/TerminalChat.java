package io.banter.access.chat;

import io.banter.access.auth.ServerSecret;
import io.banter.access.auth.TokenAuthority;
import io.banter.access.cli.Args;
import io.banter.access.client.BanterClient;
import io.banter.access.client.BanterException;
import io.banter.access.client.BanterClientContext;
import io.banter.access.client.Change;
import io.banter.access.client.ChatMessage;
import io.banter.access.client.ClientState;
import io.banter.access.client.ConversationPage;
import io.banter.access.client.ConversationSummary;
import io.banter.access.client.Done;
import io.banter.access.client.GroupInfo;
import io.banter.access.client.GroupNotice;
import io.banter.access.client.HistoryPage;
import io.banter.access.client.InboxEntry;
import io.banter.access.client.InboxPage;
import io.banter.access.client.MessageListener;
import io.banter.access.client.Presence;
import io.banter.access.client.ReadState;
import io.banter.access.client.ReceiptPage;
import io.banter.access.client.RelationsPage;
import io.banter.access.client.UserProfile;
import io.banter.codecs.ConversationKind;
import io.banter.codecs.GroupRole;
import io.banter.codecs.Platform;
import io.banter.codecs.RelationList;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code banter chat}: an interactive terminal client on the SDK. Incoming messages print as
 * they arrive; lines typed are sent to the current peer.
 */
public final class TerminalChat implements MessageListener
{
    public static final String USAGE = String.join("\n",
        "usage: banter chat --user NAME [--server HOST:PORT[,HOST:PORT...]] [--data-dir DIR] [--token TOKEN | --secret-file FILE]",
        "                   [--device N] [--platform mobile|desktop|web] [--verbose]",
        "",
        "Chat as NAME. Without --token, a token is minted from the server secret (default data/server.secret),",
        "which works on the server's own machine. The user must exist (banter admin add-user NAME).",
        "",
        "options:",
        "  --server       gateway endpoints, tried in turn (default: the gateways the server recorded in",
        "                 DIR/node-*/cluster.properties, else localhost:7070)",
        "  --data-dir     the server's data directory, where its gateways and secret are found (default data)",
        "  --token        a login token from 'banter admin token NAME'",
        "  --secret-file  the server secret to mint a token with (default DIR/server.secret)",
        "  --device       this terminal's device id (default 1; a second terminal of the same user needs another)",
        "  --platform     the session's platform (default desktop). One mobile, one desktop and four web sessions",
        "                 may be online at once: a newer login on a full platform ends the oldest with Kicked",
        "  --verbose      errors also name the refused request's template id",
        "",
        "exit status: 0 after /quit or the end of input; 1 if it cannot connect or log in; 2 for a usage error;",
        "3 when the server ends the session (signed out: the account or device logged in elsewhere).");

    /** The exit status when the server ended the session: it is over, but not by this terminal's choice. */
    public static final int SIGNED_OUT = 3;

    private static final String COMMANDS = String.join("\n",
        "commands (a plain line is sent to the current conversation):",
        "  /to NAME                  talk to NAME directly (friends only, unless the server lets strangers talk)",
        "  @NAME text                send one message to NAME",
        "  /inbox                    your conversations by latest activity, with unread counts and presence",
        "  /open ID                  talk in conversation ID (a group, or a direct one) from /inbox",
        "  /history [N]              the last N messages here (default 20); /more for N older",
        "  /read                     mark everything here read",
        "  /receipts SEQ             who has and has not read message SEQ here",
        "  /recall SEQ               recall message SEQ here (yours within the window; any, as group owner or admin)",
        "  /group NAME a,b,c         create a group with members a, b and c, and talk in it",
        "  /add NAME [NAME...]       add members to the current group",
        "  /remove NAME              remove a member from the current group",
        "  /role NAME owner|admin|member   set a member's role (owner only; owner hands ownership over)",
        "  /rename NEWNAME           rename the current group",
        "  /invite on|off            whether plain members may add members",
        "  /info                     the current group's members and roles",
        "  /leave                    leave the current group",
        "  /friend NAME [note]       ask NAME to be friends",
        "  /accept NAME, /decline NAME   answer NAME's friend request",
        "  /unfriend NAME            end a friendship",
        "  /friends, /requests       your friends (with presence); pending requests both ways",
        "  /block NAME, /unblock NAME, /blocked",
        "  /watch NAME, /unwatch NAME    be told when NAME comes online or goes offline",
        "  /who NAME                 is NAME online?",
        "  /list                     your conversations by id",
        "  /help                     this text",
        "  /quit                     leave");
    private static final int AWAIT_S = 10;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    /** What the input thread hands the command loop besides lines: the end of input, or of the session. */
    private static final String END_OF_INPUT = new String("end of input");
    private static final String SESSION_ENDED = new String("session ended");
    private static final int DEFAULT_PAGE = 20;

    private final PrintStream out;
    private final boolean verbose;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> cannotConnect = new CompletableFuture<>();
    private final Map<String, String> connectFailures = new ConcurrentHashMap<>();
    private int endpointCount = 1;
    private final Map<Long, String> names = new ConcurrentHashMap<>();
    private final ExecutorService printer = Executors.newSingleThreadExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "banter-chat-printer");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Long, String> groupNames = new ConcurrentHashMap<>();
    private final Set<Long> directConversations = ConcurrentHashMap.newKeySet();
    private BanterClient client;
    // Written by the input thread, and by the event loop when a first direct message opens the conversation.
    private volatile long conversationId;
    private volatile long peerUserId;
    private volatile String title;
    private long historyCursor;
    private int historyPageSize = DEFAULT_PAGE;
    private volatile boolean reconnecting;
    private volatile boolean everOnline;
    private volatile boolean leaving;

    private TerminalChat(final PrintStream out, final boolean verbose)
    {
        this.out = out;
        this.verbose = verbose;
    }

    public static int run(final String[] argv, final int from)
    {
        return run(argv, from, System.in, System.out, System.err);
    }

    /**
     * The chat on the given streams: lines typed come from {@code in}, what the user reads goes
     * to {@code out}, why it could not start to {@code err}.
     *
     * @return the exit status (see {@link #USAGE}).
     */
    public static int run(
        final String[] argv, final int from, final InputStream in, final PrintStream out, final PrintStream err)
    {
        final Args args = Args.parse(argv, from, Set.of("user", "server", "data-dir", "token", "secret-file", "device", "platform"),
            Set.of("verbose"));
        if (args.has("help") || !args.has("user"))
        {
            out.println(USAGE);
            return args.has("help") ? 0 : 2;
        }
        final String user = args.get("user", "");
        final Platform platform;
        try
        {
            platform = Platform.valueOf(args.get("platform", "desktop").toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("banter chat: --platform must be mobile, desktop or web");
            return 2;
        }
        final Path dataDir = Path.of(args.get("data-dir", "data"));
        final long userId;
        final String token;
        if (args.has("token"))
        {
            token = args.get("token", "");
            userId = TokenAuthority.claimedUserId(token);
            if (0 == userId)
            {
                err.println("banter chat: --token is not a Banter token");
                return 2;
            }
        }
        else
        {
            final Path secretFile = args.has("secret-file") ?
                Path.of(args.get("secret-file", "")) : dataDir.resolve("server.secret");
            if (!Files.exists(secretFile))
            {
                err.println("banter chat: no " + secretFile + "; pass --token (from 'banter admin token " + user +
                    "') or --secret-file");
                return 2;
            }
            final TokenAuthority tokens = new TokenAuthority(ServerSecret.loadOrCreate(secretFile));
            userId = tokens.userIdFor(user);
            token = tokens.issue(userId, System.currentTimeMillis() + TimeUnit.DAYS.toMillis(1));
        }

        final List<String> recorded = RecordedGateways.in(dataDir);
        final String servers = args.has("server") || recorded.isEmpty() ?
            args.get("server", "localhost:7070") : String.join(",", recorded);
        final String[] endpoints = servers.split(",");
        for (final String endpoint : endpoints)
        {
            if (!endpoint.matches("[^:\\s]+:\\d{1,5}"))
            {
                err.println("banter chat: --server takes HOST:PORT[,HOST:PORT...], got \"" + endpoint + "\"");
                return 2;
            }
        }

        final TerminalChat chat = new TerminalChat(out, args.has("verbose"));
        chat.names.put(userId, user);
        chat.endpointCount = endpoints.length;
        final BanterClientContext context = new BanterClientContext()
            .endpoints(endpoints)
            .userId(userId)
            .deviceId(args.getLong("device", 1))
            .platform(platform)
            .token(token)
            .listener(chat);
        try (BanterClient client = BanterClient.connect(context))
        {
            chat.client = client;
            try
            {
                // Whichever comes first: logged in, refused, or every endpoint refused the connection.
                final Object failure = CompletableFuture.anyOf(client.online(), chat.cannotConnect)
                    .get(15, TimeUnit.SECONDS);
                if (null != failure)
                {
                    err.println("banter chat: " + failure + " (is 'banter server' running?)");
                    return 1;
                }
            }
            catch (final Exception ex)
            {
                err.println("banter chat: could not log in as " + user + ": " +
                    (ex instanceof ExecutionException ? ex.getCause().getMessage() : "no answer from " +
                    servers + " in 15 s (is 'banter server' running?)"));
                return 1;
            }
            chat.out.println("logged in as " + user + " (user id " + userId + "). Type /help for commands.");
            return chat.commandLoop(in);
        }
    }

    /**
     * Lines are read on a thread of their own, so that the session ending (signed out by a login
     * elsewhere) ends the chat at once rather than at the next line typed.
     */
    private int commandLoop(final InputStream input)
    {
        final Thread reader = new Thread(() -> readLines(input), "banter-chat-input");
        reader.setDaemon(true);
        reader.start();
        while (true)
        {
            final String line;
            try
            {
                line = lines.take();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return 1;
            }
            if (END_OF_INPUT == line)
            {
                leaving = true;
                return 0;
            }
            if (SESSION_ENDED == line)
            {
                return SIGNED_OUT;
            }
            try
            {
                if (!onLine(line))
                {
                    leaving = true;
                    return 0;
                }
            }
            catch (final Exception ex)
            {
                out.println("! " + describe(ex));
            }
        }
    }

    private void readLines(final InputStream input)
    {
        try
        {
            final BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
            String line;
            while (null != (line = in.readLine()))
            {
                line = line.strip();
                if (!line.isEmpty())
                {
                    lines.add(line);
                }
            }
        }
        catch (final java.io.IOException ex)
        {
            out.println("! cannot read input: " + ex.getMessage());
        }
        lines.add(END_OF_INPUT);
    }

    /**
     * An error as a person reads it: the server's code and reason, or what was wrong with the line.
     */
    private String describe(final Throwable failure)
    {
        final Throwable cause = failure instanceof ExecutionException || failure instanceof CompletionException ?
            failure.getCause() : failure;
        if (cause instanceof TimeoutException)
        {
            return "no answer from the server in " + AWAIT_S + " s";
        }
        if (cause instanceof BanterException refusal)
        {
            return refusal.getMessage() + (verbose && 0 != refusal.requestTemplateId() ?
                " (request template " + refusal.requestTemplateId() + ")" : "");
        }
        final String message = cause.getMessage();
        return null != message ? message : cause.getClass().getSimpleName();
    }

    /**
     * A message number as the chat shows it ({@code #12}) or bare ({@code 12}).
     */
    private static long seqArgument(final String command, final String argument)
    {
        final String digits = argument.startsWith("#") ? argument.substring(1) : argument;
        if (!digits.matches("\\d{1,18}") || 0 == Long.parseLong(digits))
        {
            throw new IllegalArgumentException(command + " takes a message number (#seq), got \"" + argument + "\"");
        }
        return Long.parseLong(digits);
    }

    private static int countArgument(final String command, final String argument, final int defaultCount)
    {
        if (argument.isEmpty())
        {
            return defaultCount;
        }
        if (!argument.matches("\\d{1,4}") || 0 == Integer.parseInt(argument))
        {
            throw new IllegalArgumentException(command + " takes a number of messages (1 to 9999), got \"" +
                argument + "\"");
        }
        return Integer.parseInt(argument);
    }

    private static long idArgument(final String command, final String argument)
    {
        if (!argument.matches("\\d{1,19}"))
        {
            throw new IllegalArgumentException(command + " takes a conversation id (see /inbox), got \"" +
                argument + "\"");
        }
        return Long.parseLong(argument);
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
                    final UserProfile profile = lookup(argument);
                    peerUserId = profile.userId();
                    conversationId = directConversationWith(peerUserId);
                    title = profile.name();
                    historyCursor = 0;
                    out.println("talking to " + title + (profile.online() ? " (online)" : " (offline)"));
                    break;
                }
                case "/open":
                    open(idArgument("/open", argument));
                    break;
                case "/inbox":
                    inbox();
                    break;
                case "/list":
                    listConversations();
                    break;
                case "/history":
                    historyPageSize = countArgument("/history", argument, DEFAULT_PAGE);
                    historyCursor = 0;
                    history(historyPageSize);
                    break;
                case "/more":
                    // Pages on with the size the last /history asked for.
                    history(historyPageSize);
                    break;
                case "/read":
                {
                    final long here = requireConversation();
                    final ReadState state = await(client.markRead(here, headOf(here)));
                    out.println("read up to #" + state.readSeq() + "; " + state.totalUnread() + " unread in all");
                    break;
                }
                case "/receipts":
                    receipts(seqArgument("/receipts", argument));
                    break;
                case "/recall":
                {
                    final long seq = seqArgument("/recall", argument);
                    await(client.recall(requireConversation(), seq));
                    out.println("recalled #" + seq);
                    break;
                }
                case "/group":
                    createGroup(argument);
                    break;
                case "/add":
                {
                    final String[] names = argument.split("[\\s,]+");
                    final long[] ids = new long[names.length];
                    for (int i = 0; i < names.length; i++)
                    {
                        ids[i] = lookup(names[i]).userId();
                    }
                    await(client.addMembers(requireGroup(), ids));
                    out.println("added " + String.join(", ", names));
                    break;
                }
                case "/remove":
                    await(client.removeMember(requireGroup(), lookup(argument).userId()));
                    out.println("removed " + argument);
                    break;
                case "/role":
                {
                    final String[] parts = argument.split("\\s+");
                    if (parts.length != 2)
                    {
                        out.println("usage: /role NAME owner|admin|member");
                        break;
                    }
                    final GroupRole role = roleArgument(parts[1]);
                    await(client.setRole(requireGroup(), lookup(parts[0]).userId(), role));
                    out.println(parts[0] + " is now " + parts[1]);
                    break;
                }
                case "/rename":
                {
                    final long group = requireGroup();
                    final GroupInfo info = await(client.groupInfo(group, 0, 1));
                    await(client.updateGroup(group, info.membersCanInvite(), argument));
                    title = argument;
                    break;
                }
                case "/invite":
                    await(client.updateGroup(requireGroup(), "on".equalsIgnoreCase(argument), ""));
                    break;
                case "/info":
                    groupInfo();
                    break;
                case "/leave":
                    await(client.leaveGroup(requireGroup()));
                    out.println("left " + title);
                    conversationId = 0;
                    title = null;
                    break;
                case "/friend":
                {
                    final String[] parts = argument.split("\\s+", 2);
                    await(client.requestFriend(lookup(parts[0]).userId(), parts.length > 1 ? parts[1] : ""));
                    out.println("asked " + parts[0] + " to be friends");
                    break;
                }
                case "/accept":
                case "/decline":
                    await(client.respondToFriendRequest(lookup(argument).userId(), "/accept".equals(words[0])));
                    out.println(("/accept".equals(words[0]) ? "accepted " : "declined ") + argument);
                    break;
                case "/unfriend":
                    await(client.removeFriend(lookup(argument).userId()));
                    out.println(argument + " is no longer a friend");
                    break;
                case "/friends":
                    relations(RelationList.FRIENDS);
                    break;
                case "/requests":
                    relations(RelationList.INCOMING);
                    relations(RelationList.OUTGOING);
                    break;
                case "/block":
                case "/unblock":
                    await(client.block(lookup(argument).userId(), "/block".equals(words[0])));
                    out.println(argument + ("/block".equals(words[0]) ? " is blocked" : " is unblocked"));
                    break;
                case "/blocked":
                    relations(RelationList.BLOCKED);
                    break;
                case "/watch":
                case "/unwatch":
                {
                    final Presence presence = await(client.subscribePresence(lookup(argument).userId(),
                        "/watch".equals(words[0])));
                    out.println(argument + " is " + (presence.online() ? "online" : "offline"));
                    break;
                }
                case "/who":
                {
                    final UserProfile profile = lookup(argument);
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
            final UserProfile profile = lookup(words[0].substring(1));
            send(0, profile.userId(), profile.name(), words.length > 1 ? words[1] : "");
            return true;
        }
        if (0 == conversationId && 0 == peerUserId)
        {
            out.println("where to? use /to NAME, /open ID, /group NAME a,b or @NAME text");
            return true;
        }
        send(conversationId, 0 == conversationId ? peerUserId : 0, 0 == peerUserId ? "#" + title : title, line);
        return true;
    }

    private static GroupRole roleArgument(final String word)
    {
        switch (word.toLowerCase(Locale.ROOT))
        {
            case "owner":
                return GroupRole.OWNER;
            case "admin":
                return GroupRole.ADMIN;
            case "member":
                return GroupRole.MEMBER;
            default:
                throw new IllegalArgumentException("a role is owner, admin or member, got \"" + word + "\"");
        }
    }

    /**
     * Sent in the background: the prompt stays free. Once the server acknowledges it the line's
     * number shows, the {@code #seq} that /recall and /receipts take.
     */
    private void send(final long conversation, final long toUserId, final String toName, final String text)
    {
        client.send(conversation, toUserId, 1, text.getBytes(StandardCharsets.UTF_8)).whenComplete((receipt, failure) ->
        {
            if (null != failure)
            {
                out.println("! not sent to " + toName + ": " + describe(failure));
                return;
            }
            out.println("#" + receipt.seq() + " sent to " + toName);
            if (0 == conversationId && toUserId == peerUserId && 0 != toUserId)
            {
                conversationId = receipt.conversationId();
            }
        });
    }

    private UserProfile lookup(final String name) throws Exception
    {
        final UserProfile profile = await(client.lookupUser(name));
        names.put(profile.userId(), profile.name());
        return profile;
    }

    private long requireConversation()
    {
        if (0 == conversationId)
        {
            throw new IllegalStateException("no current conversation: /to NAME (after a first message), /open ID or /group");
        }
        return conversationId;
    }

    private long requireGroup() throws Exception
    {
        final long here = requireConversation();
        if (0 != peerUserId)
        {
            throw new IllegalStateException("the current conversation is not a group");
        }
        return here;
    }

    private long directConversationWith(final long userId) throws Exception
    {
        long before = 0;
        while (true)
        {
            final InboxPage page = await(client.inbox(before, 100));
            for (final InboxEntry entry : page.conversations())
            {
                if (entry.kind() == ConversationKind.DIRECT && entry.peerUserId() == userId)
                {
                    return entry.conversationId();
                }
                before = entry.activity();
            }
            if (!page.hasMore())
            {
                return 0;
            }
        }
    }

    private long headOf(final long conversation) throws Exception
    {
        return await(client.history(conversation, 0, 1)).headSeq();
    }

    private void open(final long conversation) throws Exception
    {
        final HistoryPage page = await(client.history(conversation, 0, 1));
        conversationId = conversation;
        historyCursor = 0;
        peerUserId = 0;
        title = "#" + conversation;
        long before = 0;
        boolean found = false;
        while (!found)
        {
            final InboxPage inbox = await(client.inbox(before, 100));
            for (final InboxEntry entry : inbox.conversations())
            {
                if (entry.conversationId() == conversation)
                {
                    peerUserId = entry.kind() == ConversationKind.DIRECT ? entry.peerUserId() : 0;
                    title = entry.kind() == ConversationKind.DIRECT ? nameOf(entry.peerUserId()) : entry.name();
                    found = true;
                }
                before = entry.activity();
            }
            if (!inbox.hasMore())
            {
                break;
            }
        }
        if (0 == peerUserId)
        {
            groupNames.put(conversation, title);
        }
        out.println("in " + title + " (" + page.headSeq() + " messages)");
    }

    private void createGroup(final String argument) throws Exception
    {
        final String[] parts = argument.split("\\s+", 2);
        if (parts.length != 2)
        {
            out.println("usage: /group NAME a,b,c");
            return;
        }
        final String[] memberNames = parts[1].split("[\\s,]+");
        final long[] members = new long[memberNames.length];
        for (int i = 0; i < memberNames.length; i++)
        {
            members[i] = lookup(memberNames[i]).userId();
        }
        final Done done = await(client.createGroup(parts[0], false, members));
        conversationId = done.conversationId();
        peerUserId = 0;
        title = parts[0];
        historyCursor = 0;
        groupNames.put(conversationId, title);
        out.println("created " + title + " (conversation " + conversationId + ") with " + String.join(", ", memberNames));
    }

    private void groupInfo() throws Exception
    {
        final GroupInfo info = await(client.groupInfo(requireGroup(), 0, 200));
        out.printf("  %s: %d members%s, members %s invite%n", info.name(), info.memberCount(),
            info.superGroup() ? " (super group: members pull)" : "", info.membersCanInvite() ? "may" : "may not");
        for (final GroupInfo.Member member : info.members())
        {
            out.printf("  %-16s %-6s read up to #%d%n", nameOf(member.userId()),
                member.role().name().toLowerCase(java.util.Locale.ROOT), member.readSeq());
        }
        if (info.hasMore())
        {
            out.println("  ...");
        }
    }

    private void receipts(final long seq) throws Exception
    {
        final long here = requireConversation();
        final ReceiptPage read = await(client.receipts(here, seq, true, 0, 50));
        final ReceiptPage unread = await(client.receipts(here, seq, false, 0, 50));
        out.println("#" + seq + ": read by " + read.readCount() + namesOf(read) + ", not yet by " + unread.unreadCount() +
            namesOf(unread));
    }

    private String namesOf(final ReceiptPage page)
    {
        if (page.users().isEmpty())
        {
            return "";
        }
        final StringBuilder text = new StringBuilder(" (");
        for (int i = 0; i < page.users().size(); i++)
        {
            text.append(i > 0 ? ", " : "").append(nameOf(page.users().get(i)));
        }
        return text.append(page.hasMore() ? ", ...)" : ")").toString();
    }

    private void relations(final RelationList list) throws Exception
    {
        final RelationsPage page = await(client.relations(list, 0, 200));
        out.println("  " + list.name().toLowerCase(java.util.Locale.ROOT) + ": " + page.total());
        for (final RelationsPage.Relation relation : page.users())
        {
            out.println("    " + nameOf(relation.userId()) +
                (list == RelationList.FRIENDS ? (relation.online() ? "  (online)" : "") : "") +
                (relation.note().isEmpty() ? "" : "  \"" + relation.note() + "\""));
        }
    }

    private void inbox() throws Exception
    {
        final InboxPage page = await(client.inbox(0, 50));
        if (page.conversations().isEmpty())
        {
            out.println("no conversations yet");
            return;
        }
        out.println("  " + page.totalUnread() + " unread");
        for (final InboxEntry entry : page.conversations())
        {
            final boolean direct = entry.kind() == ConversationKind.DIRECT;
            final String name = direct ? nameOf(entry.peerUserId()) : entry.name();
            if (!direct)
            {
                groupNames.put(entry.conversationId(), name);
            }
            final String preview = entry.lastRecalled() ? "(recalled)" : entry.lastArchived() ? "(older message)" :
                entry.lastContentType() == ChatMessage.SYSTEM_CONTENT_TYPE ? "(group event)" : entry.previewText();
            out.printf("  %6d  %-20s %4s  %s: %s%s%n", entry.conversationId(),
                direct ? name : "#" + name + " (" + entry.memberCount() + ")",
                entry.unread() > 0 ? "+" + entry.unread() : "", nameOf(entry.lastSenderUserId()), preview,
                direct && entry.peerOnline() ? "  (online)" : "");
        }
        if (page.hasMore())
        {
            out.println("  ...");
        }
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
            final String name = 0 == conversation.peerUserId() ? "#" + groupName(conversation.conversationId()) :
                nameOf(conversation.peerUserId());
            out.printf("  %6d  %-16s %6d messages, last %s%n", conversation.conversationId(), name,
                conversation.headSeq(), TIME.format(Instant.ofEpochMilli(conversation.lastTimestamp())));
        }
        if (page.hasMore())
        {
            out.println("  ...");
        }
    }

    private void history(final int count) throws Exception
    {
        if (0 == conversationId && 0 != peerUserId)
        {
            conversationId = directConversationWith(peerUserId);
        }
        if (0 == conversationId)
        {
            out.println(0 == peerUserId ? "no current conversation; use /to NAME, /open ID or /group" :
                "no messages with " + title + " yet");
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
        if (ClientState.CLOSED == state)
        {
            if (!leaving && everOnline)
            {
                // The server ended the session (or refused a later login): say why and end the
                // chat, instead of failing every line typed from now on.
                out.println("* signed out: " + reason);
                lines.add(SESSION_ENDED);
            }
        }
        else if (ClientState.DISCONNECTED == state)
        {
            if (everOnline)
            {
                reconnecting = true;
                out.println("* disconnected: " + reason);
            }
        }
        else if (ClientState.ONLINE == state)
        {
            everOnline = true;
            if (reconnecting)
            {
                // Not after every catch-up sync: only when a lost connection is back.
                reconnecting = false;
                out.println("* online again");
            }
        }
    }

    /**
     * Before the first login, an endpoint refusing the connection is an answer: once every one
     * has refused, the chat says so rather than waiting out the login timeout.
     */
    public void onConnectFailed(final InetSocketAddress endpoint, final Throwable cause)
    {
        if (everOnline)
        {
            return;
        }
        final String where = endpoint.getHostString() + ":" + endpoint.getPort();
        connectFailures.putIfAbsent(where, connectFailure(cause));
        if (connectFailures.size() >= endpointCount)
        {
            final StringBuilder text = new StringBuilder("cannot connect to ");
            if (1 == connectFailures.size())
            {
                text.append(where).append(": ").append(connectFailures.get(where));
            }
            else
            {
                connectFailures.forEach((hostPort, why) -> text.append(hostPort).append(" (").append(why).append("), "));
                text.setLength(text.length() - 2);
            }
            cannotConnect.complete(text.toString());
        }
    }

    private static String connectFailure(final Throwable cause)
    {
        if (cause instanceof java.net.UnknownHostException)
        {
            return "unknown host";
        }
        final String message = null == cause.getMessage() ? cause.getClass().getSimpleName() : cause.getMessage();
        // Netty's "Connection refused: localhost/127.0.0.1:1": the reason, not the address again.
        final int colon = message.indexOf(':');
        return (colon > 0 ? message.substring(0, colon) : message).toLowerCase(Locale.ROOT);
    }

    public void onChange(final Change change)
    {
        printer.execute(() -> out.println("* " + describe(change)));
    }

    public void onPresence(final Presence presence)
    {
        printer.execute(() -> out.println("* " + nameOf(presence.userId()) + " is " +
            (presence.online() ? "online" : "offline")));
    }

    private String describe(final Change change)
    {
        final String who = nameOf(change.userId());
        switch (change.kind())
        {
            case READ:
                return change.userId() == client.userId() ?
                    "you read " + where(change.conversationId()) + " up to #" + change.seq() + " on another device" :
                    who + " read " + where(change.conversationId()) + " up to #" + change.seq();
            case RECALL:
                return who + " recalled #" + change.seq() + " in " + where(change.conversationId());
            case FRIEND_REQUEST:
                return who + " asks to be friends" + (change.note().isEmpty() ? "" : ": \"" + change.note() + "\"") +
                    " (/accept " + who + " or /decline " + who + ")";
            case FRIEND_ACCEPTED:
                return "you and " + who + " are friends";
            case FRIEND_DECLINED:
                return who + " declined your friend request";
            case FRIEND_REMOVED:
                return "you and " + who + " are no longer friends";
            case BLOCK_CHANGED:
                return who + " was blocked or unblocked on another of your devices";
            default:
                return change.kind() + " " + change;
        }
    }

    private String where(final long conversation)
    {
        final String group = groupNames.get(conversation);
        return null != group ? "#" + group : "conversation " + conversation;
    }

    private String groupName(final long conversation)
    {
        final String known = groupNames.get(conversation);
        if (null != known)
        {
            return known;
        }
        try
        {
            final String name = client.groupInfo(conversation, 0, 1).get(5, TimeUnit.SECONDS).name();
            groupNames.put(conversation, name);
            return name;
        }
        catch (final Exception ex)
        {
            return String.valueOf(conversation);
        }
    }

    private void print(final ChatMessage message)
    {
        if (message.isArchived())
        {
            // Only its place came with the sync: the body left the server's hot tier.
            out.println("#" + message.seq() + " (older message; /history shows it)");
            return;
        }
        final String time = "[" + TIME.format(Instant.ofEpochMilli(message.timestamp())) + "] ";
        final GroupNotice notice = GroupNotice.of(message);
        if (null != notice)
        {
            groupNames.put(message.conversationId(), notice.name().isEmpty() ? groupName(message.conversationId()) :
                notice.name());
            out.println(time + "#" + groupName(message.conversationId()) + " * " + notice.render(this::nameOf));
            return;
        }
        final String place = groupNames.containsKey(message.conversationId()) || isGroup(message) ?
            "#" + groupName(message.conversationId()) + " " : "";
        out.println(time + place + "#" + message.seq() + " " + nameOf(message.senderUserId()) + ": " +
            (message.isRecalled() ? "(recalled)" : message.text()));
    }

    /**
     * Whether a message's conversation is a group, asked once per conversation (the answer for a
     * direct conversation is a refusal, remembered too).
     */
    private boolean isGroup(final ChatMessage message)
    {
        final long conversation = message.conversationId();
        if (groupNames.containsKey(conversation))
        {
            return true;
        }
        if (directConversations.contains(conversation))
        {
            return false;
        }
        try
        {
            groupNames.put(conversation, client.groupInfo(conversation, 0, 1).get(5, TimeUnit.SECONDS).name());
            return true;
        }
        catch (final Exception ex)
        {
            directConversations.add(conversation);
            return false;
        }
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
        return future.get(AWAIT_S, TimeUnit.SECONDS);
    }
}
