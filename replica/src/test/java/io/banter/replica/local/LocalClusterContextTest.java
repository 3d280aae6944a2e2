package io.banter.replica.local;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class LocalClusterContextTest
{
    @Test
    void everyMemberGetsTheExtraNodeArgumentsBeforeItsGatewayPort()
    {
        final LocalClusterContext context = new LocalClusterContext()
            .dataDir(new File("/tmp/cluster"))
            .basePort(47_000)
            .gatewayPort(47_070)
            .extraNodeArguments(List.of("--heartbeat-timeout-ms", "30000", "--no-cold-tier"));

        final List<String> arguments = context.nodeArguments(2);

        assertEquals(List.of("--heartbeat-timeout-ms", "30000", "--no-cold-tier", "--gateway-port", "47072"),
            arguments.subList(arguments.size() - 5, arguments.size()));
    }
}
