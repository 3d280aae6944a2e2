package io.banter.access.client;

import io.banter.codecs.ErrorCode;

/**
 * A request was refused by the server (with its reason code) or could not be completed.
 */
public final class BanterException extends RuntimeException
{
    private final ErrorCode code;
    private final int requestTemplateId;

    public BanterException(final ErrorCode code, final String message)
    {
        this(code, message, 0);
    }

    /**
     * @param requestTemplateId the template of the refused request as the server named it, for
     *                          diagnostics; not part of the message, which is for people.
     */
    public BanterException(final ErrorCode code, final String message, final int requestTemplateId)
    {
        super(code + ": " + message);
        this.code = code;
        this.requestTemplateId = requestTemplateId;
    }

    public ErrorCode code()
    {
        return code;
    }

    /**
     * The template id of the request the server refused, or 0 when it did not say (or the SDK refused it).
     */
    public int requestTemplateId()
    {
        return requestTemplateId;
    }
}
