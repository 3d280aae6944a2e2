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
        "  build                  build every module (skipping tests)");

    private BanterMain()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    static int run(final String[] args)
    {
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
