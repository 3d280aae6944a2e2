package io.banter.access.client;

import io.banter.codecs.ChangeKind;

/**
 * A change in the user's stream that is not a message, from a push or a sync page, in change
 * sequence order: a read position moved ({@code READ}: {@code userId} read {@code conversationId}
 * up to {@code seq}; when {@code userId} is this user, another of its devices did), a recall
 * ({@code RECALL}: the message at {@code seq} is now a tombstone), or a relationship change
 * ({@code FRIEND_REQUEST} with its note, {@code FRIEND_ACCEPTED}, {@code FRIEND_DECLINED},
 * {@code FRIEND_REMOVED}, {@code BLOCK_CHANGED}).
 *
 * @param changeSeq 0 for a super group's recall, which is pushed without a change entry.
 */
public record Change(long changeSeq, ChangeKind kind, long conversationId, long seq, long userId, String note)
{
}
