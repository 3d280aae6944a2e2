package io.banter.perf.docs;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's launcher section documents what the launcher's help says, no more and no less,
 * its quick start is on the first screen, and no document links outside the repository.
 */
final class ReadmeTest
{
    private static final Pattern COMMAND_LINE = Pattern.compile("^  ([a-z][a-z -]*?)(?: [A-Z]+| --[a-z]+ [A-Z]+)?\\s{2,}\\S");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void theQuickStartIsOnTheFirstScreenWithExactlyTwoCommands()
    {
        final List<String> lines = RepositoryFiles.read("README.md").lines().toList();
        int heading = -1;
        for (int i = 0; i < lines.size() && heading < 0; i++)
        {
            if (lines.get(i).startsWith("## "))
            {
                heading = i;
            }
        }
        assertEquals("## Quick start", lines.get(heading), "the first section");
        assertTrue(heading < 12, "the quick start starts on line " + (heading + 1) + ", after more than a title and a few lines");
        int fence = heading + 1;
        while (!lines.get(fence).startsWith("```"))
        {
            fence++;
        }
        final List<String> commands = new ArrayList<>();
        for (int i = fence + 1; !lines.get(i).startsWith("```"); i++)
        {
            commands.add(lines.get(i).replaceAll("\\s+#.*", "").strip());
        }
        assertEquals(List.of("bin/banter server", "mvn -B verify"), commands);
    }

    @Test
    void noDocumentLinksOutsideTheRepositoryOrToAFileThatIsNotThere() throws Exception
    {
        final Path root = RepositoryFiles.root();
        final List<String> bad = new ArrayList<>();
        for (final String document : List.of("README.md", "docs/ARCHITECTURE.md", "perf/RESULTS.md"))
        {
            final Matcher link = LINK.matcher(RepositoryFiles.read(document));
            while (link.find())
            {
                final String target = link.group(1);
                if (target.startsWith("https://") || target.startsWith("#"))
                {
                    continue;
                }
                final Path resolved = root.resolve(document).getParent().resolve(target.replaceAll("#.*", "")).normalize();
                if (!resolved.startsWith(root) || !Files.exists(resolved))
                {
                    bad.add(document + " -> " + target);
                }
            }
        }
        assertEquals(List.of(), bad, "links that leave the repository or lead nowhere");
    }

    @Test
    void theLauncherSectionDocumentsEveryCommandAndOptionOfTheHelpAndNothingElse()
    {
        final Map<String, List<String>> rowsByCommand = new LinkedHashMap<>();
        final List<String> optionRows = new ArrayList<>();
        for (final String row : launcherSection().lines().filter(line -> line.startsWith("| `")).toList())
        {
            final String firstCell = row.substring(2, row.indexOf(" |", 2));
            if (firstCell.startsWith("`--"))
            {
                optionRows.add(row);
            }
            else
            {
                for (final String command : commandsIn(firstCell))
                {
                    rowsByCommand.computeIfAbsent(command, ignore -> new ArrayList<>()).add(row);
                }
            }
        }
        final Set<String> sharedOptions = RepositoryFiles.options(String.join("\n", optionRows));

        final List<String> problems = new ArrayList<>();
        final Set<String> everyHelpOption = new LinkedHashSet<>();
        final Map<String, Set<String>> documentedByHelp = new LinkedHashMap<>();
        for (final String command : commandsOfTheOverview())
        {
            final List<String> rows = rowsByCommand.getOrDefault(command, List.of());
            if (rows.isEmpty())
            {
                problems.add("no row for '" + command + "'");
            }
            if ("help".equals(command))
            {
                continue; // the overview's options are its commands', checked with them
            }
            final String helpName = helpFileOf(command);
            final Set<String> helpOptions = RepositoryFiles.options(RepositoryFiles.help(helpName));
            helpOptions.remove("--help");
            everyHelpOption.addAll(helpOptions);
            final Set<String> rowOptions = RepositoryFiles.options(String.join("\n", rows));
            documentedByHelp.computeIfAbsent(helpName, ignore -> new LinkedHashSet<>()).addAll(rowOptions);
            for (final String option : rowOptions)
            {
                if (!helpOptions.contains(option))
                {
                    problems.add("README gives '" + command + "' " + option + ", which its --help does not have");
                }
            }
        }
        for (final Map.Entry<String, Set<String>> entry : documentedByHelp.entrySet())
        {
            final Set<String> helpOptions = RepositoryFiles.options(RepositoryFiles.help(entry.getKey()));
            helpOptions.remove("--help");
            for (final String option : helpOptions)
            {
                if (!entry.getValue().contains(option) && !sharedOptions.contains(option))
                {
                    problems.add(option + " of bin/help/" + entry.getKey() + ".txt is not in README's launcher section");
                }
            }
        }
        for (final String option : sharedOptions)
        {
            if (!everyHelpOption.contains(option))
            {
                problems.add("README's option " + option + " is in no --help");
            }
        }
        for (final String command : rowsByCommand.keySet())
        {
            if (!commandsOfTheOverview().contains(command))
            {
                problems.add("README documents '" + command + "', which bin/banter help does not list");
            }
        }
        assertEquals(List.of(), problems);
    }

    /**
     * "admin add-user NAME", "chat --user NAME", "replica stop N": the command's words, without
     * its arguments.
     */
    static Set<String> commandsOfTheOverview()
    {
        final Set<String> commands = new LinkedHashSet<>();
        for (final String line : RepositoryFiles.help("banter").lines().toList())
        {
            final Matcher matcher = COMMAND_LINE.matcher(line);
            if (matcher.find())
            {
                commands.add(matcher.group(1).strip());
            }
        }
        assertFalse(commands.isEmpty());
        assertTrue(commands.containsAll(List.of("server", "admin add-user", "journal cold", "bench mixed", "help")),
            commands.toString());
        return commands;
    }

    /**
     * The commands a row's first cell names: each backquoted span's words up to the first
     * argument ({@code `replica stop N` / `replica kill N`} names two).
     */
    private static List<String> commandsIn(final String firstCell)
    {
        final List<String> commands = new ArrayList<>();
        final Matcher span = Pattern.compile("`([^`]+)`").matcher(firstCell);
        while (span.find())
        {
            final List<String> words = new ArrayList<>();
            for (final String word : span.group(1).split(" "))
            {
                if (!word.matches("[a-z][a-z-]*"))
                {
                    break;
                }
                words.add(word);
            }
            commands.add(String.join(" ", words));
        }
        return commands;
    }

    private static String helpFileOf(final String command)
    {
        final String[] words = command.split(" ");
        if ("bench".equals(words[0]))
        {
            return Set.of("direct", "group", "mixed", "reconnect").contains(words[1]) ? "bench-load" : "bench-" + words[1];
        }
        return words[0];
    }

    private static String launcherSection()
    {
        final String readme = RepositoryFiles.read("README.md");
        final int start = readme.indexOf("\n## The launcher\n");
        assertTrue(start >= 0, "README has a section '## The launcher'");
        final int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }
}
