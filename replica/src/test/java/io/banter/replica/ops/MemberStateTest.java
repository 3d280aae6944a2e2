package io.banter.replica.ops;

import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.ElectionState;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What status says a member does, from its role, consensus-module and election counters.
 */
final class MemberStateTest
{
    private static final long ACTIVE = ConsensusModule.State.ACTIVE.code();

    @Test
    void anElectionStepBeforeALeaderWithAMovingCommitPositionIsStale()
    {
        // A member in CANVASS applies no log: if its commit position moves it follows a leader.
        assertEquals("ACTIVE", MemberState.state(ACTIVE, ElectionState.CANVASS.code(), true));
        assertEquals("ACTIVE", MemberState.state(ACTIVE, ElectionState.FOLLOWER_BALLOT.code(), true));
    }

    @Test
    void aRealElectionIsShown()
    {
        assertEquals("ELECTION:CANVASS", MemberState.state(ACTIVE, ElectionState.CANVASS.code(), false));
        // Catching up moves the commit position legitimately: still an election.
        assertEquals("ELECTION:FOLLOWER_CATCHUP", MemberState.state(ACTIVE, ElectionState.FOLLOWER_CATCHUP.code(), true));
    }

    @Test
    void aClosedElectionShowsTheConsensusModuleState()
    {
        assertEquals("ACTIVE", MemberState.state(ACTIVE, ElectionState.CLOSED.code(), false));
        assertEquals("SNAPSHOT", MemberState.state(ConsensusModule.State.SNAPSHOT.code(), ElectionState.CLOSED.code(), false));
        assertEquals("-", MemberState.state(-1, -1, false));
        assertEquals("STARTING", MemberState.role(-1));
        assertEquals("FOLLOWER", MemberState.role(0));
    }
}
