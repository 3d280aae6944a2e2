package io.banter.replica.ops;

/**
 * One member as {@code banter replica status} reports it. Positions are -1 when unknown.
 *
 * @param memberId         the member's id.
 * @param running          whether its media driver is alive.
 * @param role             LEADER, FOLLOWER, CANDIDATE, or DOWN.
 * @param state            the consensus module's state (ACTIVE, SNAPSHOT, …) or the election's state.
 * @param leadershipTermId the term it is in.
 * @param commitPosition   the log position it knows to be committed.
 * @param logPosition      its appended log position as the leader last heard it.
 * @param snapshotPosition the log position of its latest snapshot.
 * @param snapshotTerm     the term of its latest snapshot.
 * @param hotMessages      messages in its hot tier.
 * @param evicted          messages evicted from its hot tier since it started.
 * @param coldWriteErrors  cold-tier records its writer could not write (the log still has them).
 */
public record MemberStatus(
    int memberId,
    boolean running,
    String role,
    String state,
    long leadershipTermId,
    long commitPosition,
    long logPosition,
    long snapshotPosition,
    long snapshotTerm,
    long hotMessages,
    long evicted,
    long coldWriteErrors)
{
    public boolean isLeader()
    {
        return "LEADER".equals(role);
    }
}
