package io.banter.replica.cli;

import io.banter.access.auth.ServerSecret;
import io.banter.access.auth.TokenAuthority;
import io.banter.access.cli.Args;
import io.banter.codecs.ErrorCode;
import io.banter.replica.admin.AdminClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code banter admin}: register users and mint login tokens.
 */
final class AdminCommand
{
    private static final String USAGE = String.join("\n",
        "usage: banter admin add-user NAME [--id N] [--cluster ENDPOINTS] [--secret-file FILE]",
        "       banter admin token NAME [--ttl-hours H] [--secret-file FILE]",
        "",
        "add-user  registers NAME through the cluster log and prints its id and a token. The id is derived",
        "          from NAME with the server secret unless --id is given.",
        "token     prints a login token for NAME, signed with the server secret (no cluster needed).",
        "",
        "options:",
        "  --cluster ENDPOINTS  cluster ingress (default 0=localhost:20001)",
        "  --secret-file FILE   the server secret (default data/server.secret)",
        "  --ttl-hours H        token lifetime (default 720)",
        "  --id N               an explicit user id instead of the derived one");

    private AdminCommand()
    {
    }

    static int run(final String[] argv, final int from)
    {
        final Args args = Args.parse(argv, from, Set.of("cluster", "secret-file", "ttl-hours", "id"), Set.of());
        if (args.has("help") || args.positional().size() != 2)
        {
            System.out.println(USAGE);
            return args.has("help") ? 0 : 2;
        }
        final String action = args.positional().get(0);
        final String name = args.positional().get(1);
        final Path secretFile = Path.of(args.get("secret-file", "data/server.secret"));
        if (!Files.exists(secretFile))
        {
            System.err.println("banter admin: no server secret at " + secretFile + " (start 'banter server' first)");
            return 2;
        }
        final TokenAuthority tokens = new TokenAuthority(ServerSecret.loadOrCreate(secretFile));
        final long userId = args.getLong("id", tokens.userIdFor(name));
        final String token = tokens.issue(userId,
            System.currentTimeMillis() + TimeUnit.HOURS.toMillis(args.getLong("ttl-hours", 720)));
        switch (action)
        {
            case "token":
                System.out.println(token);
                return 0;
            case "add-user":
                try (AdminClient admin = new AdminClient(null, args.get("cluster", "0=localhost:20001")))
                {
                    final AdminClient.Response response = admin.registerUser(userId, name, 15, TimeUnit.SECONDS);
                    if (ErrorCode.NONE != response.code())
                    {
                        System.err.println("banter admin: " + name + " not added: " + response.code() + " " +
                            response.text());
                        return 1;
                    }
                    System.out.println("added user " + name + " id=" + response.userId());
                    System.out.println("token: " + token);
                    return 0;
                }
                catch (final RuntimeException ex)
                {
                    System.err.println("banter admin: cannot reach the cluster at " +
                        args.get("cluster", "0=localhost:20001") + ": " + ex.getMessage());
                    return 1;
                }
            default:
                System.err.println("banter admin: unknown action '" + action + "'\n" + USAGE);
                return 2;
        }
    }
}
