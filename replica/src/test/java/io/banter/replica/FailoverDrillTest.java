package io.banter.replica;

import io.banter.replica.drill.DrillContext;
import io.banter.replica.drill.DrillReport;
import io.banter.replica.drill.FailoverDrill;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code banter replica drill} at a small scale: three member processes, the leader killed with
 * SIGKILL while clients send, and every client's records checked.
 */
final class FailoverDrillTest
{
    @TempDir
    File dataDir;

    @Test
    void killingTheLeaderUnderLoadLosesDuplicatesAndReordersNothingAndKeepsEveryConnection() throws Exception
    {
        final DrillReport report = new FailoverDrill(new DrillContext()
            .gateways(2)
            .clients(4)
            .rate(400)
            .durationMs(8_000)
            .killAfterMs(3_000)
            .basePort(27_000)
            .gatewayPort(0)
            .dataDir(dataDir), System.out).run();
        report.print(System.out);

        assertTrue(report.killedMember() >= 0, "a leader was killed");
        assertTrue(report.newLeader() >= 0, "a new leader was elected");
        assertNotEquals(report.killedMember(), report.newLeader());
        assertEquals(3_200, report.sent());
        assertEquals(report.sent(), report.acked(), "every send acknowledged");
        assertEquals(0, report.lost(), "acknowledged but lost");
        assertEquals(report.acked(), report.ackLatencies(), "every ack timed from its intended send time");
        assertEquals(report.acked(), report.deliveryLatencies(), "every delivery timed from its intended send time");
        assertEquals(0, report.duplicates(), "duplicates");
        assertEquals(0, report.reorders(), "reorders");
        assertTrue(report.leaderChanges() >= 1, "both gateways followed the new leader");
        assertEquals(0, report.connectionsClosed(), "client connections stayed open");
        assertEquals(0, report.clusterReconnects(), "both gateways kept their cluster sessions");
        assertTrue(report.passed());
    }
}
