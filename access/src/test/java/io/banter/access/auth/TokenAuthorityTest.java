package io.banter.access.auth;

import io.banter.codecs.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class TokenAuthorityTest
{
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    private final TokenAuthority authority = new TokenAuthority(SECRET);

    @Test
    void aTokenVerifiesForItsUserUntilItExpires()
    {
        final String token = authority.issue(42, 1_000);
        assertEquals(ErrorCode.NONE, authority.verify(token, 42, 999));
        assertEquals(ErrorCode.NONE, authority.verify(token, 42, 1_000));
        assertEquals(ErrorCode.TOKEN_EXPIRED, authority.verify(token, 42, 1_001));
        assertEquals(42, TokenAuthority.claimedUserId(token));
    }

    @Test
    void aTokenForAnotherUserOrSecretOrTamperedIsBad()
    {
        final String token = authority.issue(42, 1_000);
        assertEquals(ErrorCode.BAD_TOKEN, authority.verify(token, 43, 0));
        assertEquals(ErrorCode.BAD_TOKEN,
            new TokenAuthority("another secret, just as long....".getBytes()).verify(token, 42, 0));

        final byte[] bytes = Base64.getUrlDecoder().decode(token);
        bytes[15] ^= 1; // push the expiry out: the MAC no longer matches
        assertEquals(ErrorCode.BAD_TOKEN,
            authority.verify(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), 42, 0));
        assertEquals(ErrorCode.BAD_TOKEN, authority.verify("%%% not base64", 42, 0));
        assertEquals(ErrorCode.BAD_TOKEN, authority.verify("", 42, 0));
        assertEquals(0, TokenAuthority.claimedUserId("short"));
    }

    @Test
    void userIdsFromNamesAreStablePositiveAndDependOnTheSecret()
    {
        final long alice = authority.userIdFor("alice");
        assertEquals(alice, new TokenAuthority(SECRET).userIdFor("alice"));
        assertNotEquals(alice, authority.userIdFor("bob"));
        assertNotEquals(alice, new TokenAuthority("another secret, just as long....".getBytes()).userIdFor("alice"));
        assertTrue(alice > 0);
    }
}
