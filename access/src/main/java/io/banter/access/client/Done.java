package io.banter.access.client;

/**
 * A state-changing request succeeded.
 *
 * @param conversationId the group a group request concerned (the new one for createGroup).
 * @param userId         the other user concerned, if any.
 * @param seq            the seq of the system message or tombstone it produced, if any.
 */
public record Done(long conversationId, long userId, long seq)
{
}
