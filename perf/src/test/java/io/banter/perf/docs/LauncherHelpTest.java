package io.banter.perf.docs;

import io.banter.perf.baseline.RedisBaseline;
import io.banter.perf.compare.CompareRun;
import io.banter.perf.latency.EndToEndLatency;
import io.banter.perf.load.HostileClientsRun;
import io.banter.perf.load.LoadGenerator;
import io.banter.perf.storage.ColdTierLoad;
import io.banter.perf.storage.StorageTiersLoad;
import io.banter.replica.cli.BanterMain;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/banter … --help} answers from {@code bin/help/*.txt} without building anything, and
 * each file is exactly what the Java command prints for {@code --help}, so the two cannot drift.
 * The top-level help names every branch of the launcher and every subcommand the Java commands
 * accept. In the perf module because it is the one that sees every command's class.
 */
final class LauncherHelpTest
{
    /**
     * {@code -Dbanter.writeHelp=true} rewrites bin/help from the Java classes first: after a
     * command's USAGE changed, run this test once with it and review the diff.
     */
    private static final String WRITE_HELP = "banter.writeHelp";

    @TempDir
    static Path unbuilt;

    /**
     * A copy of the launcher without any build beside it: were --help to build first, it would
     * say so on stderr (and fail, with no modules to build).
     */
    @BeforeAll
    static void copyTheLauncherAlone() throws IOException
    {
        final Path root = RepositoryFiles.root();
        Files.createDirectories(unbuilt.resolve("bin/help"));
        Files.copy(root.resolve("pom.xml"), unbuilt.resolve("pom.xml"));
        Files.copy(root.resolve("bin/banter"), unbuilt.resolve("bin/banter"), StandardCopyOption.COPY_ATTRIBUTES);
        try (Stream<Path> files = Files.list(root.resolve("bin/help")))
        {
            for (final Path file : files.toList())
            {
                Files.copy(file, unbuilt.resolve("bin/help").resolve(file.getFileName()));
            }
        }
    }

    @Test
    void everyCommandsHelpIsWhatItsJavaClassPrintsAndNeedsNoBuild() throws Exception
    {
        final Map<List<String>, String> javaHelp = new LinkedHashMap<>();
        for (final String command : List.of("server", "node", "gateway", "admin", "chat", "replica", "journal"))
        {
            javaHelp.put(List.of(command), banterMainHelp(command));
        }
        javaHelp.put(List.of("replica", "drill"), banterMainHelp("replica"));
        javaHelp.put(List.of("journal", "cold"), banterMainHelp("journal"));
        javaHelp.put(List.of("bench", "latency"), usageOf(EndToEndLatency.class));
        for (final String scenario : List.of("direct", "group", "mixed", "reconnect"))
        {
            javaHelp.put(List.of("bench", scenario), usageOf(LoadGenerator.class));
        }
        javaHelp.put(List.of("bench", "cold"), usageOf(ColdTierLoad.class));
        javaHelp.put(List.of("bench", "hostile"), usageOf(HostileClientsRun.class));
        javaHelp.put(List.of("bench", "storage"), usageOf(StorageTiersLoad.class));
        javaHelp.put(List.of("bench", "baseline"), usageOf(RedisBaseline.class));
        javaHelp.put(List.of("bench", "compare"), usageOf(CompareRun.class));

        if (Boolean.getBoolean(WRITE_HELP))
        {
            for (final Map.Entry<List<String>, String> entry : javaHelp.entrySet())
            {
                final Path file = RepositoryFiles.root().resolve("bin/help/" + helpFileOf(entry.getKey()) + ".txt");
                Files.writeString(file, entry.getValue());
                Files.writeString(unbuilt.resolve("bin/help").resolve(file.getFileName()), entry.getValue());
            }
        }
        for (final Map.Entry<List<String>, String> entry : javaHelp.entrySet())
        {
            final Launched launched = launch(entry.getKey(), "--help");
            final String name = String.join(" ", entry.getKey());
            assertEquals("", launched.stderr, name + " --help must not build or complain");
            assertEquals(0, launched.exitCode, name + " --help");
            assertEquals(entry.getValue(), launched.stdout, "bin/banter " + name + " --help against the Java class");
        }
        for (final List<String> scriptOnly : List.of(List.of("bench", "jmh"), List.of("bench"), List.of("build")))
        {
            final Launched launched = launch(scriptOnly, "--help");
            assertEquals("", launched.stderr);
            assertEquals(0, launched.exitCode);
            assertTrue(launched.stdout.startsWith("usage: bin/banter " + String.join(" ", scriptOnly)), launched.stdout);
        }
    }

    @Test
    void helpAndNoCommandPrintTheOverviewWithoutBuilding() throws Exception
    {
        final String overview = RepositoryFiles.help("banter");
        for (final String word : List.of("help", "--help", "-h"))
        {
            final Launched launched = launch(List.of(word));
            assertEquals(0, launched.exitCode);
            assertEquals(overview, launched.stdout);
            assertEquals("", launched.stderr);
        }
        final Launched bare = launch(List.of());
        assertEquals(2, bare.exitCode);
        assertEquals(overview, bare.stderr);

        final Launched unknown = launch(List.of("bench", "nonsense"));
        assertEquals(2, unknown.exitCode);
        assertTrue(unknown.stderr.startsWith("banter: unknown bench command 'nonsense'\n"), unknown.stderr);
    }

    @Test
    void theOverviewNamesEveryCommandTheLauncherAndTheJavaCommandsAccept()
    {
        final String overview = RepositoryFiles.help("banter");
        final Set<String> commands = RepositoryFiles.caseLabels(4);
        final Set<String> bench = RepositoryFiles.caseLabels(12);
        assertTrue(commands.containsAll(List.of("server", "bench", "journal", "build")), commands.toString());
        assertTrue(bench.containsAll(List.of("jmh", "direct", "cold", "compare")), bench.toString());

        final List<String> missing = new ArrayList<>();
        for (final String command : commands)
        {
            if (!command.startsWith("-") && !"bench".equals(command) && !overview.contains("\n  " + command + " "))
            {
                missing.add(command);
            }
        }
        for (final String sub : bench)
        {
            if (!sub.startsWith("-") && !overview.contains("\n  bench " + sub + " "))
            {
                missing.add("bench " + sub);
            }
        }
        for (final String command : List.of("replica", "journal"))
        {
            final List<String> subcommands = RepositoryFiles.usageAlternatives(RepositoryFiles.help(command));
            assertFalse(subcommands.isEmpty(), command + "'s usage line names its subcommands");
            for (final String sub : subcommands)
            {
                if (!overview.contains("\n  " + command + " " + sub + " "))
                {
                    missing.add(command + " " + sub);
                }
            }
        }
        for (final String scenario : RepositoryFiles.usageAlternatives(RepositoryFiles.help("bench-load")))
        {
            if (!bench.contains(scenario))
            {
                missing.add("the launcher's bench " + scenario);
            }
        }
        assertEquals(List.of(), missing, "commands missing from bin/help/banter.txt (or from the launcher)");
        assertEquals(bench.stream().filter(sub -> !sub.startsWith("-")).sorted().toList(),
            RepositoryFiles.usageAlternatives(RepositoryFiles.help("bench")).stream().sorted().toList(),
            "bench's usage line lists exactly the launcher's bench commands");
    }

    private static String helpFileOf(final List<String> words)
    {
        if (!"bench".equals(words.get(0)))
        {
            return words.get(0);
        }
        return Set.of("direct", "group", "mixed", "reconnect").contains(words.get(1)) ? "bench-load" : "bench-" + words.get(1);
    }

    private static Launched launch(final List<String> words, final String... more) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("bash", unbuilt.resolve("bin/banter").toString()));
        command.addAll(words);
        command.addAll(List.of(more));
        final Path out = Files.createTempFile(unbuilt, "out", ".txt");
        final Path err = Files.createTempFile(unbuilt, "err", ".txt");
        final Process process = new ProcessBuilder(command).directory(unbuilt.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        return new Launched(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String banterMainHelp(final String command) throws Exception
    {
        final Method run = BanterMain.class.getDeclaredMethod("run", String[].class);
        run.setAccessible(true);
        final PrintStream original = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            assertEquals(0, run.invoke(null, (Object)new String[]{command, "--help"}), command + " --help");
        }
        finally
        {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /**
     * Every bench class prints {@code USAGE} and a newline for --help (some then exit the JVM,
     * so the field is read rather than main run).
     */
    private static String usageOf(final Class<?> command) throws Exception
    {
        final Field usage = command.getDeclaredField("USAGE");
        usage.setAccessible(true);
        return usage.get(null) + System.lineSeparator();
    }

    private record Launched(int exitCode, String stdout, String stderr)
    {
    }
}
