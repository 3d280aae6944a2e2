package io.banter.perf.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The launcher, its help files and the README, found from the module's working directory
 * (surefire runs in {@code perf/}), for the tests that keep them in agreement.
 */
final class RepositoryFiles
{
    static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*[a-z0-9]");

    private RepositoryFiles()
    {
    }

    static Path root()
    {
        Path dir = Path.of("").toAbsolutePath();
        while (null != dir && !Files.isRegularFile(dir.resolve("bin/banter")))
        {
            dir = dir.getParent();
        }
        if (null == dir)
        {
            throw new IllegalStateException("no bin/banter above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static String read(final String path)
    {
        try
        {
            return Files.readString(root().resolve(path), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read " + path, ex);
        }
    }

    static String help(final String name)
    {
        return read("bin/help/" + name + ".txt");
    }

    static List<String> helpNames()
    {
        try (var files = Files.list(root().resolve("bin/help")))
        {
            final List<String> names = new ArrayList<>();
            files.map(file -> file.getFileName().toString())
                .filter(name -> name.endsWith(".txt"))
                .map(name -> name.substring(0, name.length() - ".txt".length()))
                .sorted()
                .forEach(names::add);
            return names;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot list bin/help", ex);
        }
    }

    static Set<String> options(final String text)
    {
        final Set<String> options = new LinkedHashSet<>();
        final Matcher matcher = OPTION.matcher(text);
        while (matcher.find())
        {
            options.add(matcher.group());
        }
        return options;
    }

    /**
     * The labels of the launcher's {@code case} branches indented by {@code indent} spaces, each
     * alternative of {@code a|b|c)} on its own.
     */
    static Set<String> caseLabels(final int indent)
    {
        final Pattern label = Pattern.compile("^ {" + indent + "}([a-z-]+(?:\\|[a-z-]+)*)\\)$");
        final Set<String> labels = new LinkedHashSet<>();
        for (final String line : read("bin/banter").split("\n"))
        {
            final Matcher matcher = label.matcher(line);
            if (matcher.matches())
            {
                labels.addAll(List.of(matcher.group(1).split("\\|")));
            }
        }
        return labels;
    }

    /**
     * The alternatives of the first {@code <a|b|c>} on a help text's usage line.
     */
    static List<String> usageAlternatives(final String help)
    {
        final Matcher matcher = Pattern.compile("<([a-z]+(?: N)?(?:\\|[a-z]+(?: N)?)+)>").matcher(help.lines().findFirst().orElse(""));
        if (!matcher.find())
        {
            return List.of();
        }
        final List<String> words = new ArrayList<>();
        for (final String alternative : matcher.group(1).split("\\|"))
        {
            words.add(alternative.split(" ")[0]);
        }
        return words;
    }
}
