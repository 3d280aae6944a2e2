package io.banter.access.chat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The gateways a server's members recorded in its data directory when they started
 * ({@code node-i/cluster.properties}, key {@code gateway}), so that a chat on the server's
 * machine finds the server from the data directory alone, as the operator commands do.
 */
final class RecordedGateways
{
    private RecordedGateways()
    {
    }

    /**
     * @return "host:port" of every recorded gateway, in member order; empty if none is recorded.
     */
    static List<String> in(final Path dataDir)
    {
        final List<Path> records = new ArrayList<>();
        if (Files.isDirectory(dataDir))
        {
            try (DirectoryStream<Path> members = Files.newDirectoryStream(dataDir, "node-*"))
            {
                for (final Path member : members)
                {
                    final Path record = member.resolve("cluster.properties");
                    if (Files.isRegularFile(record))
                    {
                        records.add(record);
                    }
                }
            }
            catch (final IOException ex)
            {
                return List.of();
            }
        }
        records.sort(null);
        final List<String> gateways = new ArrayList<>();
        for (final Path record : records)
        {
            final Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(record, StandardCharsets.UTF_8))
            {
                properties.load(reader);
            }
            catch (final IOException ex)
            {
                continue;
            }
            final String gateway = properties.getProperty("gateway", "");
            if (!gateway.isEmpty())
            {
                gateways.add(gateway);
            }
        }
        return gateways;
    }
}
