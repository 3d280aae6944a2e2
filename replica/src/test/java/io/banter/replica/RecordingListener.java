package io.banter.replica;

import io.banter.access.client.Change;
import io.banter.access.client.ChatMessage;
import io.banter.access.client.ClientState;
import io.banter.access.client.MessageListener;
import io.banter.access.client.Presence;
import io.banter.access.client.ReadState;
import io.banter.codecs.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Keeps every message a client delivered, in delivery order, and every other callback
 * (changes, read states, presence, kicks) in one list of events, in order.
 */
final class RecordingListener implements MessageListener
{
    private final List<ChatMessage> messages = new ArrayList<>();
    private final List<Object> events = new ArrayList<>();

    record Kicked(ErrorCode code, String reason)
    {
    }

    public synchronized void onChange(final Change change)
    {
        events.add(change);
        notifyAll();
    }

    public synchronized void onReadState(final ReadState readState)
    {
        events.add(readState);
        notifyAll();
    }

    public synchronized void onPresence(final Presence presence)
    {
        events.add(presence);
        notifyAll();
    }

    public synchronized void onKicked(final ErrorCode code, final String reason)
    {
        events.add(new Kicked(code, reason));
        notifyAll();
    }

    /**
     * Wait for the first event (messages included) that {@code test} accepts.
     */
    synchronized Object await(final Predicate<Object> test, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true)
        {
            for (final Object event : events)
            {
                if (test.test(event))
                {
                    return event;
                }
            }
            for (final ChatMessage message : messages)
            {
                if (test.test(message))
                {
                    return message;
                }
            }
            final long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMs <= 0)
            {
                throw new AssertionError("no matching event among " + events + " and " + messages.size() + " messages");
            }
            wait(remainingMs);
        }
    }

    public synchronized void onMessage(final ChatMessage message)
    {
        messages.add(message);
        notifyAll();
    }

    public void onStateChange(final ClientState state, final String reason)
    {
    }

    synchronized List<ChatMessage> messages()
    {
        return new ArrayList<>(messages);
    }

    synchronized List<ChatMessage> awaitCount(final int count, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (messages.size() < count)
        {
            final long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMs <= 0)
            {
                throw new AssertionError("received " + messages.size() + " of " + count + " messages");
            }
            wait(remainingMs);
        }
        return new ArrayList<>(messages);
    }
}
