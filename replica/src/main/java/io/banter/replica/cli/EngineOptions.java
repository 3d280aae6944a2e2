package io.banter.replica.cli;

import io.banter.access.cli.Args;
import io.banter.engine.EngineContext;
import io.banter.engine.store.HistoryArchive;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The engine settings an operator can give {@code banter server}, {@code banter node} and the
 * journal replays. A replay must use the settings the members ran with, or it may refuse what
 * they accepted: the same flags, in one place.
 */
public final class EngineOptions
{
    /** Options that take a value. */
    public static final Set<String> OPTIONS = Set.of(
        "hot-tier-entries", "hot-tier-max-age-ms", "hot-tier-per-conversation", "super-group-threshold",
        "max-group-size", "recall-window-ms");
    /** Options without a value. */
    public static final Set<String> FLAGS = Set.of("strangers-may-message", "no-cold-tier");

    public static final String USAGE =
        "  --hot-tier-entries N      messages kept in the off-heap hot tier; the oldest leave for the cold tier (default 1000000)%n" +
        "  --hot-tier-max-age-ms N   messages older than this leave the hot tier (default 604800000, 7 days)%n" +
        "  --hot-tier-per-conversation N  most messages of one conversation kept hot (default 1000)%n" +
        "  --no-cold-tier            no cold tier (data-dir/node-N/cold): nothing leaves the hot tier, a full one refuses sends%n" +
        "  --strangers-may-message   let users who are not friends message each other (default: friends only)%n" +
        "  --super-group-threshold N above N members a group is a super group: coalesced notify + pull (default 1000)%n" +
        "  --max-group-size N        most members of a group (default 100000)%n" +
        "  --recall-window-ms N      how long a sender may recall a message (default 120000)%n";

    private static final HistoryArchive EVICT_ONLY =
        (gatewayId, connectionId, correlationId, conversationId, beforeSeq, maxEntries, headSeq) -> {};

    private EngineOptions()
    {
    }

    /**
     * A supplier of fresh engine contexts with the settings in {@code args}, defaults elsewhere.
     */
    public static Supplier<EngineContext> from(final Args args)
    {
        final EngineContext defaults = new EngineContext();
        final long hotTierEntries = args.getLong("hot-tier-entries", defaults.hotTierEntries());
        final boolean strangersMayMessage = args.has("strangers-may-message");
        final int superGroupThreshold = args.getInt("super-group-threshold", defaults.superGroupThreshold());
        final int maxGroupSize = args.getInt("max-group-size", defaults.maxGroupSize());
        final long recallWindowMs = args.getLong("recall-window-ms", defaults.recallWindow());
        final long hotTierMaxAge = args.getLong("hot-tier-max-age-ms", defaults.hotTierMaxAge());
        final int hotTierPerConversation = args.getInt("hot-tier-per-conversation", defaults.hotTierMessagesPerConversation());
        // A member with a cold tier gives its engine the real archive; a replay of its log must
        // evict as it did, so it gets one that decides eviction and answers nobody.
        final HistoryArchive archive = args.has("no-cold-tier") ? null : EVICT_ONLY;
        return () -> new EngineContext()
            .hotTierEntries(hotTierEntries)
            .hotTierMaxAge(hotTierMaxAge)
            .hotTierMessagesPerConversation(hotTierPerConversation)
            .historyArchive(archive)
            .strangersMayMessage(strangersMayMessage)
            .superGroupThreshold(superGroupThreshold)
            .maxGroupSize(maxGroupSize)
            .recallWindow(recallWindowMs);
    }

    /**
     * The command-line form of a context's settings, for starting member processes.
     */
    public static List<String> arguments(final EngineContext context)
    {
        final java.util.ArrayList<String> arguments = new java.util.ArrayList<>(List.of(
            "--hot-tier-entries", String.valueOf(context.hotTierEntries()),
            "--hot-tier-max-age-ms", String.valueOf(context.hotTierMaxAge()),
            "--hot-tier-per-conversation", String.valueOf(context.hotTierMessagesPerConversation()),
            "--super-group-threshold", String.valueOf(context.superGroupThreshold()),
            "--max-group-size", String.valueOf(context.maxGroupSize()),
            "--recall-window-ms", String.valueOf(context.recallWindow())));
        if (context.strangersMayMessage())
        {
            arguments.add("--strangers-may-message");
        }
        return arguments;
    }

    /**
     * {@code base} plus the engine options and flags.
     */
    public static Set<String> withOptions(final Set<String> base)
    {
        final java.util.HashSet<String> all = new java.util.HashSet<>(base);
        all.addAll(OPTIONS);
        return all;
    }

    public static Set<String> withFlags(final Set<String> base)
    {
        final java.util.HashSet<String> all = new java.util.HashSet<>(base);
        all.addAll(FLAGS);
        return all;
    }
}
