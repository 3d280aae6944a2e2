package io.banter.journal.cold;

/**
 * A record on disk failed its checksum or its framing: it is never served. The message can be
 * written again from the replicated log.
 */
public final class ColdTierCorruptException extends RuntimeException
{
    public ColdTierCorruptException(final String message)
    {
        super(message);
    }
}
