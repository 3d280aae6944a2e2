package io.banter.replica.node;

/**
 * A member cannot start because something it needs (its data directory, its media-driver
 * directory, a port) is held by another process; the message says what and by whom, in one line.
 * Nothing was created or changed.
 */
public final class MemberInUseException extends IllegalStateException
{
    public MemberInUseException(final String message)
    {
        super(message);
    }
}
