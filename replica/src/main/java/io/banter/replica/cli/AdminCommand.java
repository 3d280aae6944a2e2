package io.banter.replica.cli;

import io.banter.access.auth.ServerSecret;
import io.banter.access.auth.TokenAuthority;
import io.banter.access.cli.Args;
import io.banter.codecs.ErrorCode;
import io.banter.replica.admin.AdminClient;
import io.banter.replica.node.RecordedCluster;
import io.banter.replica.server.BanterServer;

import java.io.File;

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
        "usage: banter admin add-user NAME [--id N] [--data-dir DIR] [--cluster ENDPOINTS] [--secret-file FILE]",
        "       banter admin token NAME [--ttl-hours H] [--data-dir DIR] [--secret-file FILE]",
        "",
        "add-user  registers NAME through the cluster log and prints its id and a token. The id is derived",
        "          from NAME with the server secret unless --id is given.",
        "token     prints a login token for NAME, signed with the server secret (no cluster needed).",
        "",
        "options:",
        "  --data-dir DIR       the server's data directory (default data): the cluster's ingress is",
        "                       read from DIR/node-*/cluster.properties and the secret from DIR/server.secret",
        "  --cluster ENDPOINTS  cluster ingress, instead of the data directory's (e.g. 0=localhost:20001)",
        "  --secret-file FILE   the server secret, instead of DIR/server.secret",
        "  --ttl-hours H        token lifetime (default 720)",
        "  --id N               an explicit user id instead of the derived one");

    private AdminCommand()
    {
    }

    static int run(final String[] argv, final int from)
    {
        final Args args = Args.parse(argv, from, Set.of("cluster", "secret-file", "ttl-hours", "id", "data-dir"), Set.of());
        if (args.has("help") || args.positional().size() != 2)
        {
            System.out.println(USAGE);
            return args.has("help") ? 0 : 2;
        }
        final String action = args.positional().get(0);
        final String name = args.positional().get(1);
        final File dataDir = new File(args.get("data-dir", "data"));
        final Path secretFile = args.has("secret-file") ? Path.of(args.get("secret-file", "")) :
            BanterServer.secretFile(dataDir).toPath();
        if (!Files.exists(secretFile))
        {
            System.err.println("banter admin: no server secret at " + secretFile +
                " (start 'banter server' first, or give --data-dir or --secret-file)");
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
            {
                final String endpoints = args.has("cluster") ? args.get("cluster", "") : recordedIngress(dataDir);
                if (null == endpoints)
                {
                    System.err.println("banter admin: " + RecordedCluster.read(dataDir).noClusterMessage() +
                        "; or give --cluster ENDPOINTS");
                    return 1;
                }
                return addUser(endpoints, userId, name, token);
            }
            default:
                System.err.println("banter admin: unknown action '" + action + "'\n" + USAGE);
                return 2;
        }
    }

    private static String recordedIngress(final File dataDir)
    {
        final RecordedCluster recorded = RecordedCluster.read(dataDir);
        return recorded.isEmpty() ? null : recorded.ingressEndpoints();
    }

    private static int addUser(final String endpoints, final long userId, final String name, final String token)
    {
        try (AdminClient admin = new AdminClient(null, endpoints))
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
            System.err.println("banter admin: cannot reach the cluster at " + endpoints + ": " +
                ex.getMessage());
            return 1;
        }
    }
}
