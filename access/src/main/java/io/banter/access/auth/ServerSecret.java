package io.banter.access.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
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

    public static byte[] loadOrCreate(final Path file)
    {
        try
        {
            if (Files.exists(file))
            {
                return HexFormat.of().parseHex(Files.readString(file).trim());
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            final byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Files.writeString(file, HexFormat.of().formatHex(secret) + "\n");
            try
            {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            catch (final UnsupportedOperationException ignore)
            {
                // not a POSIX file system
            }
            return secret;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("server secret " + file, ex);
        }
    }
}
