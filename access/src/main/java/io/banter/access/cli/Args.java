package io.banter.access.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
