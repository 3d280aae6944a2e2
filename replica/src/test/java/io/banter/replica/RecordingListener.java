package io.banter.replica;

import io.banter.access.client.ChatMessage;
import io.banter.access.client.ClientState;
import io.banter.access.client.MessageListener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps every message a client delivered, in delivery order.
 */
final class RecordingListener implements MessageListener
{
    private final List<ChatMessage> messages = new ArrayList<>();

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
