package io.banter.replica.drill;

import io.banter.access.client.BanterClient;
import io.banter.access.client.ChatMessage;
import io.banter.access.client.MessageListener;
import io.banter.access.client.SendReceipt;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One drill user with one device: what it sent (each send's index is in its payload), what the
 * engine acknowledged and when, and every message it received, in arrival order.
 */
final class DrillParticipant implements MessageListener
{
    static final int PAYLOAD_LENGTH = 32;

    /**
     * One delivered message: who sent it, the sender's send index, where the engine put it, and
     * when its push arrived here ({@link System#nanoTime()}).
     */
    record Received(long senderUserId, int sendIndex, long messageId, long conversationId, long seq, long arrivedAtNs)
    {
    }

    final int index;
    final long userId;
    final String name;
    private final AtomicReferenceArray<SendReceipt> receipts;
    private final AtomicLongArray ackedAtNs;
    private final long[] dueAtNs;
    private final AtomicInteger failures = new AtomicInteger();
    private final List<Received> received = new ArrayList<>();
    private int sent;
    BanterClient client;

    DrillParticipant(final int index, final long userId, final String name, final int maxSends)
    {
        this.index = index;
        this.userId = userId;
        this.name = name;
        this.receipts = new AtomicReferenceArray<>(maxSends);
        this.ackedAtNs = new AtomicLongArray(maxSends);
        this.dueAtNs = new long[maxSends];
    }

    /**
     * Send the next message to {@code toUserId}; called by the drill's single sending thread.
     *
     * @param dueNs when the schedule meant it to go: latency is measured from here, not from
     *              when the thread got round to it, so a late sender cannot hide a stall.
     */
    void sendNext(final long toUserId, final long dueNs)
    {
        final int sendIndex = scheduled(dueNs);
        final byte[] payload = new byte[PAYLOAD_LENGTH];
        new UnsafeBuffer(payload).putInt(0, sendIndex);
        client.send(0, toUserId, 0, payload).whenComplete((receipt, failure) ->
        {
            if (null != failure)
            {
                failures.incrementAndGet();
                return;
            }
            acked(sendIndex, receipt, System.nanoTime());
        });
    }

    /**
     * The next send, due at {@code dueNs}: its index.
     */
    int scheduled(final long dueNs)
    {
        final int sendIndex = sent++;
        dueAtNs[sendIndex] = dueNs;
        return sendIndex;
    }

    void acked(final int sendIndex, final SendReceipt receipt, final long ackedAtNs)
    {
        this.ackedAtNs.set(sendIndex, ackedAtNs);
        receipts.set(sendIndex, receipt); // last: a receipt seen means its time is there too
    }

    public void onMessage(final ChatMessage message)
    {
        final long arrivedAtNs = System.nanoTime();
        final int sendIndex = message.payload().length >= 4 ? new UnsafeBuffer(message.payload()).getInt(0) : -1;
        received(new Received(message.senderUserId(), sendIndex, message.messageId(),
            message.conversationId(), message.seq(), arrivedAtNs));
    }

    void received(final Received message)
    {
        synchronized (received)
        {
            received.add(message);
        }
    }

    int sent()
    {
        return sent;
    }

    int failures()
    {
        return failures.get();
    }

    SendReceipt receipt(final int sendIndex)
    {
        return receipts.get(sendIndex);
    }

    /**
     * When send {@code sendIndex} was due on the schedule ({@link System#nanoTime()}).
     */
    long dueAtNs(final int sendIndex)
    {
        return dueAtNs[sendIndex];
    }

    long ackedAtNs(final int sendIndex)
    {
        return ackedAtNs.get(sendIndex);
    }

    int acked()
    {
        int acked = 0;
        for (int i = 0; i < sent; i++)
        {
            if (null != receipts.get(i))
            {
                acked++;
            }
        }
        return acked;
    }

    List<Received> received()
    {
        synchronized (received)
        {
            return new ArrayList<>(received);
        }
    }
}
