package io.banter.access.client;

import io.banter.codecs.GroupRole;

import java.util.List;

/**
 * A group's settings and one page of its members, ascending user id.
 */
public record GroupInfo(
    long conversationId,
    String name,
    long ownerUserId,
    int memberCount,
    boolean superGroup,
    boolean membersCanInvite,
    long headSeq,
    boolean hasMore,
    List<Member> members)
{
    public record Member(long userId, GroupRole role, long readSeq)
    {
    }
}
