package io.banter.access.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The server secret that signs login tokens, kept in a file readable only by its owner and
 * created with 32 random bytes on first use.
 */
public final class ServerSecret
{
    private ServerSecret()
    {
    }

    /**
     * The secret in {@code file}, or a new one written there if there is none. Processes that
     * start together (the members of {@code replica start}) may race to create it: the new secret
     * is written in full to a file of its own and then linked into place, which fails if another
     * got there first, so every one of them ends up with the one secret that won.
     */
    public static byte[] loadOrCreate(final Path file)
    {
        try
        {
            if (Files.exists(file))
            {
                return read(file);
            }
            final Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            final byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            final Path candidate = Files.createTempFile(directory, file.getFileName().toString(), ".new");
            try
            {
                ownerOnly(candidate);
                Files.writeString(candidate, HexFormat.of().formatHex(secret) + "\n");
                Files.createLink(file, candidate);
                return secret;
            }
            catch (final FileAlreadyExistsException lost)
            {
                return read(file);
            }
            finally
            {
                Files.deleteIfExists(candidate);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("server secret " + file, ex);
        }
    }

    private static byte[] read(final Path file) throws IOException
    {
        return HexFormat.of().parseHex(Files.readString(file).trim());
    }

    private static void ownerOnly(final Path file) throws IOException
    {
        try
        {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        catch (final UnsupportedOperationException ignore)
        {
            // not a POSIX file system
        }
    }
}
