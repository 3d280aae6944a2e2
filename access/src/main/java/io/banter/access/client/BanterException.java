package io.banter.access.client;

import io.banter.codecs.ErrorCode;

/**
 * A request was refused by the server (with its reason code) or could not be completed.
 */
public final class BanterException extends RuntimeException
{
    private final ErrorCode code;

    public BanterException(final ErrorCode code, final String message)
    {
        super(code + ": " + message);
        this.code = code;
    }

    public ErrorCode code()
    {
        return code;
    }
}
