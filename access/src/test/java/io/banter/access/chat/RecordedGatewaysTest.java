package io.banter.access.chat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

final class RecordedGatewaysTest
{
    @TempDir
    Path dataDir;

    @Test
    void theGatewaysTheMembersRecordedAreFoundInMemberOrder() throws IOException
    {
        record(1, "gateway=127.0.0.1\\:7071\n");
        record(0, "gateway=127.0.0.1\\:7070\n");
        record(2, "member-id=2\n");
        assertEquals(List.of("127.0.0.1:7070", "127.0.0.1:7071"), RecordedGateways.in(dataDir));
    }

    @Test
    void aDirectoryWithoutRecordsOrNoDirectoryGivesNone()
    {
        assertEquals(List.of(), RecordedGateways.in(dataDir));
        assertEquals(List.of(), RecordedGateways.in(dataDir.resolve("missing")));
    }

    private void record(final int member, final String properties) throws IOException
    {
        final Path memberDir = Files.createDirectories(dataDir.resolve("node-" + member));
        Files.writeString(memberDir.resolve("cluster.properties"), properties);
    }
}
