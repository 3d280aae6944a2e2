package io.banter.access.auth;

import io.banter.codecs.ErrorCode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Login tokens signed with the server secret: base64url(userId | expiresAtMillis | HMAC-SHA256
 * of both). The gateway checks them without asking the engine, so a bad token never reaches
 * the log. Not thread-safe: each Netty thread uses its own instance.
 */
public final class TokenAuthority
{
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MAC_LENGTH = 32;
    private static final int TOKEN_LENGTH = 16 + MAC_LENGTH;

    private final Mac mac;
    private final byte[] macBuffer = new byte[MAC_LENGTH];

    public TokenAuthority(final byte[] secret)
    {
        try
        {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HMAC-SHA256 unavailable", ex);
        }
    }

    public String issue(final long userId, final long expiresAtMillis)
    {
        final ByteBuffer token = ByteBuffer.allocate(TOKEN_LENGTH);
        token.putLong(userId).putLong(expiresAtMillis);
        mac.update(token.array(), 0, 16);
        token.put(mac.doFinal());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
    }

    /**
     * @return {@link ErrorCode#NONE} when the token was issued for {@code userId} and has not expired.
     */
    public ErrorCode verify(final String token, final long userId, final long nowMillis)
    {
        final byte[] bytes;
        try
        {
            bytes = Base64.getUrlDecoder().decode(token);
        }
        catch (final IllegalArgumentException ex)
        {
            return ErrorCode.BAD_TOKEN;
        }
        if (bytes.length != TOKEN_LENGTH)
        {
            return ErrorCode.BAD_TOKEN;
        }
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        final long tokenUserId = buffer.getLong();
        final long expiresAt = buffer.getLong();
        mac.update(bytes, 0, 16);
        try
        {
            mac.doFinal(macBuffer, 0);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
        final byte[] presented = new byte[MAC_LENGTH];
        buffer.get(presented);
        if (!MessageDigest.isEqual(macBuffer, presented) || tokenUserId != userId)
        {
            return ErrorCode.BAD_TOKEN;
        }
        return nowMillis > expiresAt ? ErrorCode.TOKEN_EXPIRED : ErrorCode.NONE;
    }

    /**
     * An opaque user id derived from a name with the secret: stable, not guessable without the
     * secret, never 0.
     */
    public long userIdFor(final String name)
    {
        final byte[] digest = mac.doFinal(("user:" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        final long id = ByteBuffer.wrap(digest).getLong() & Long.MAX_VALUE;
        return 0 == id ? 1 : id;
    }

    /**
     * The user id a token claims (unverified: only the server can check it), or 0 if it is not
     * a token at all. Lets a client that holds just a token know who it logs in as.
     */
    public static long claimedUserId(final String token)
    {
        try
        {
            final byte[] bytes = Base64.getUrlDecoder().decode(token);
            return bytes.length == TOKEN_LENGTH ? ByteBuffer.wrap(bytes).getLong() : 0;
        }
        catch (final IllegalArgumentException ex)
        {
            return 0;
        }
    }
}
