package io.banter.access.client;

import io.banter.codecs.RelationList;

import java.util.List;

/**
 * One page of a relationship list, ascending user id.
 */
public record RelationsPage(RelationList list, int total, boolean hasMore, List<Relation> users)
{
    /**
     * @param online presence, for friends.
     * @param note   the request's note, for incoming and outgoing requests.
     */
    public record Relation(long userId, boolean online, String note)
    {
    }
}
