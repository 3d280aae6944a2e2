package io.banter.access.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Command-line options of the {@code banter} commands: {@code --name value}, boolean
 * {@code --flag}s declared up front, and positional words. An unknown option is an error that
 * names it, never silently ignored.
 */
public final class Args
{
    private final Map<String, String> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args()
    {
    }

    /**
     * @param valued the options that take a value; any other {@code --x} must be in {@code flags}.
     */
    public static Args parse(final String[] argv, final int from, final Set<String> valued, final Set<String> flags)
    {
        final Args args = new Args();
        for (int i = from; i < argv.length; i++)
        {
            final String word = argv[i];
            if (word.startsWith("--"))
            {
                final String name = word.substring(2);
                if (flags.contains(name) || "help".equals(name))
                {
                    args.options.put(name, "true");
                }
                else if (valued.contains(name))
                {
                    if (i + 1 >= argv.length)
                    {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    args.options.put(name, argv[++i]);
                }
                else
                {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
            }
            else
            {
                args.positional.add(word);
            }
        }
        return args;
    }

    /**
     * As {@link #parse}, plus {@code --config FILE}: a properties file whose keys are the same
     * option names ({@code members=localhost,localhost,localhost}; a flag as {@code no-gateway=true}).
     * Options on the command line win over the file. An unknown key is an error that names it.
     */
    public static Args parseWithConfig(
        final String[] argv, final int from, final Set<String> valued, final Set<String> flags)
    {
        final Set<String> withConfig = new HashSet<>(valued);
        withConfig.add("config");
        final Args args = parse(argv, from, withConfig, flags);
        if (args.has("config"))
        {
            final Path file = Path.of(args.get("config", ""));
            final Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
            {
                properties.load(reader);
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException("cannot read --config " + file + ": " + ex.getMessage());
            }
            for (final String name : properties.stringPropertyNames())
            {
                if (!valued.contains(name) && !flags.contains(name))
                {
                    throw new IllegalArgumentException("unknown option '" + name + "' in " + file);
                }
                final String value = properties.getProperty(name).trim();
                if (flags.contains(name) && !"true".equals(value))
                {
                    continue; // a flag set to false in the file is simply off
                }
                args.options.putIfAbsent(name, value);
            }
        }
        return args;
    }

    public boolean has(final String name)
    {
        return options.containsKey(name);
    }

    public String get(final String name, final String defaultValue)
    {
        return options.getOrDefault(name, defaultValue);
    }

    public int getInt(final String name, final int defaultValue)
    {
        final String value = options.get(name);
        try
        {
            return null == value ? defaultValue : Integer.parseInt(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--" + name + " must be an integer: " + value);
        }
    }

    public long getLong(final String name, final long defaultValue)
    {
        final String value = options.get(name);
        try
        {
            return null == value ? defaultValue : Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--" + name + " must be an integer: " + value);
        }
    }

    public List<String> positional()
    {
        return positional;
    }
}
