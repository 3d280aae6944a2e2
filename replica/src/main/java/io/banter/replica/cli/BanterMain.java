package io.banter.replica.cli;

import io.banter.access.chat.TerminalChat;

/**
 * The entry point behind {@code bin/banter}: one process, one role, chosen by the first word.
 */
public final class BanterMain
{
    static final String USAGE = String.join("\n",
        "usage: banter <command> [options]      (every command takes --help)",
        "",
        "commands:",
        "  server                 a one-member cluster with an embedded gateway: the quick start",
        "  node                   one member of an N-member cluster (embedded gateway unless --no-gateway)",
        "  gateway                a gateway alone, in front of a running cluster",
        "  admin add-user NAME    register a user",
        "  admin token NAME       print a login token for a user",
        "  chat --user NAME       interactive terminal chat",
        "  replica <command>      start/status/leader/snapshot/stop/kill a local cluster; the failover drill",
        "  journal <command>      dump a member's log, verify logs by replay and state hash, inspect snapshots",
        "  bench jmh [options]    the JMH microbenchmarks",
        "  build                  build every module (skipping tests)",
        "",
        "--verbose (any command): more detail, e.g. stack traces and every cluster connection error.");

    /** The system property {@code --verbose} sets, read by the roles (and passed to member processes). */
    public static final String VERBOSE_PROPERTY = "banter.verbose";

    private BanterMain()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    static int run(final String[] argv)
    {
        final String[] args = java.util.Arrays.stream(argv).filter(word -> !"--verbose".equals(word))
            .toArray(String[]::new);
        if (args.length != argv.length)
        {
            System.setProperty(VERBOSE_PROPERTY, "true");
        }
        try
        {
            return dispatch(args);
        }
        catch (final java.io.IOException ex)
        {
            System.err.println("banter " + args[0] + ": " + ex);
            return 1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    public static boolean verbose()
    {
        return Boolean.getBoolean(VERBOSE_PROPERTY);
    }

    /**
     * An exception as one line: its message and its causes' messages, without the stack.
     */
    static String oneLine(final Throwable ex)
    {
        final StringBuilder line = new StringBuilder();
        for (Throwable cause = ex; null != cause; cause = cause.getCause())
        {
            final String message = null == cause.getMessage() ? cause.getClass().getSimpleName() :
                cause.getMessage().lines().findFirst().orElse("").trim();
            if (line.indexOf(message) < 0)
            {
                line.append(line.length() > 0 ? ": " : "").append(message);
            }
            if (cause.getCause() == cause)
            {
                break;
            }
        }
        return line.toString();
    }

    private static int dispatch(final String[] args) throws java.io.IOException, InterruptedException
    {
        if (0 == args.length || "help".equals(args[0]) || "--help".equals(args[0]) || "-h".equals(args[0]))
        {
            System.out.println(USAGE);
            return 0 == args.length ? 2 : 0;
        }
        try
        {
            return switch (args[0])
            {
                case "server" -> NodeCommand.run(args, 1, true);
                case "node" -> NodeCommand.run(args, 1, false);
                case "gateway" -> GatewayCommand.run(args, 1);
                case "admin" -> AdminCommand.run(args, 1);
                case "chat" -> TerminalChat.run(args, 1);
                case "replica" -> ReplicaCommand.run(args, 1);
                case "journal" -> JournalCommand.run(args, 1);
                default ->
                {
                    System.err.println("banter: unknown command '" + args[0] + "'\n" + USAGE);
                    yield 2;
                }
            };
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("banter " + args[0] + ": " + ex.getMessage() + " (see --help)");
            return 2;
        }
    }
}
