package io.banter.replica.ops;

import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.ElectionState;
import io.aeron.cluster.service.Cluster;

/**
 * What {@code replica status} says a member is doing, from the counters in its media driver: the
 * node role, the consensus module's state and the election's state.
 * <p>
 * The election counter keeps the value of the last election step it was set to. In the steps
 * before a leader is known (INIT, CANVASS, NOMINATE, the ballots) a member consumes no log, so its
 * commit position cannot move; if it moves, the member is following a leader and the election
 * value is stale, and the consensus module's state is what the member is doing.
 */
public final class MemberState
{
    private MemberState()
    {
    }

    public static String role(final long role)
    {
        return role < 0 || role >= Cluster.Role.values().length ? "STARTING" : Cluster.Role.get(role).name();
    }

    /**
     * @param commitAdvanced whether the member's commit position moved between two readings.
     */
    public static String state(final long moduleState, final long electionState, final boolean commitAdvanced)
    {
        if (isInElection(electionState) && !(commitAdvanced && consumesNoLog(electionState)))
        {
            return "ELECTION:" + ElectionState.get(electionState).name();
        }
        return moduleState >= 0 ? ConsensusModule.State.get(moduleState).name() : "-";
    }

    public static boolean isInElection(final long electionState)
    {
        return electionState >= 0 && ElectionState.CLOSED.code() != electionState;
    }

    /**
     * Whether a member in this election step cannot be applying the log.
     */
    public static boolean consumesNoLog(final long electionState)
    {
        return ElectionState.INIT.code() == electionState ||
            ElectionState.CANVASS.code() == electionState ||
            ElectionState.NOMINATE.code() == electionState ||
            ElectionState.CANDIDATE_BALLOT.code() == electionState ||
            ElectionState.FOLLOWER_BALLOT.code() == electionState;
    }
}
