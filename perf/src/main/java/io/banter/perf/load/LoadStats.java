package io.banter.perf.load;

import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every load connection reports, from any thread: latencies into HdrHistogram recorders,
 * the rest into counters. The Redis baseline keeps its deliveries here too.
 */
public final class LoadStats
{
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);

    public final Recorder latency = new Recorder(HIGHEST_TRACKABLE_NS, 3);
    final Recorder syncTime = new Recorder(HIGHEST_TRACKABLE_NS, 3);
    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    public final LongAdder delivered = new LongAdder();
    public final LongAdder measuredDelivered = new LongAdder();
    final LongAdder rejected = new LongAdder();
    /** ResumeSends written after a send refused BUSY, once every earlier send was answered. */
    final LongAdder resumes = new LongAdder();
    final LongAdder notConnected = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    /** Pulls refused BUSY and asked again: back-pressure, not errors. */
    final LongAdder busyRetries = new LongAdder();
    final LongAdder loginFailures = new LongAdder();
    final LongAdder online = new LongAdder();
    /** The first Error the server answered, named in the report; null when none. */
    volatile String firstError;
    public volatile long measureFromMessage = Long.MAX_VALUE;
    /** Send to the last member: recorded when a message has reached all {@link #receiversPerMessage}. */
    public final Recorder lastMemberLatency = new Recorder(HIGHEST_TRACKABLE_NS, 3);
    final LongAdder lastMembersReached = new LongAdder();
    final LongAdder groupRequests = new LongAdder();
    final LongAdder historyBatches = new LongAdder();
    /** The mixed scenario's requests, from intended send time to the answer, by {@link MixedRequest}. */
    final Recorder[] answerLatency = new Recorder[MixedRequest.KINDS];
    final LongAdder[] answered = new LongAdder[MixedRequest.KINDS];
    final LongAdder[] measuredAnswered = new LongAdder[MixedRequest.KINDS];
    /** Requests due from this time on are measured (the warm-up's are not). */
    volatile long measureFromNs = Long.MAX_VALUE;
    private volatile AtomicIntegerArray receivedPerMessage;
    private volatile int receiversPerMessage;
    volatile long reconnectStartNs;

    {
        for (int kind = 0; kind < MixedRequest.KINDS; kind++)
        {
            answerLatency[kind] = new Recorder(HIGHEST_TRACKABLE_NS, 3);
            answered[kind] = new LongAdder();
            measuredAnswered[kind] = new LongAdder();
        }
    }

    long errors()
    {
        return rejected.sum() + notConnected.sum() + protocolErrors.sum() + loginFailures.sum();
    }

    /**
     * A message arrived; its latency counts from its due time once the warm-up is over.
     */
    public void onDelivered(final long dueNs, final long messageNumber, final long nowNs)
    {
        delivered.increment();
        final long latencyNs = Math.min(HIGHEST_TRACKABLE_NS, Math.max(0, nowNs - dueNs));
        if (messageNumber >= measureFromMessage)
        {
            measuredDelivered.increment();
            latency.recordValue(latencyNs);
        }
        final AtomicIntegerArray received = receivedPerMessage;
        if (null != received && messageNumber >= 0 && messageNumber < received.length() &&
            received.incrementAndGet((int)messageNumber) == receiversPerMessage)
        {
            lastMembersReached.increment();
            if (messageNumber >= measureFromMessage)
            {
                lastMemberLatency.recordValue(latencyNs);
            }
        }
    }

    /**
     * A mixed-scenario request was answered; its latency counts from its due time once the
     * warm-up is over.
     */
    void onAnswered(final int kind, final long dueNs, final long nowNs)
    {
        answered[kind].increment();
        if (dueNs >= measureFromNs)
        {
            measuredAnswered[kind].increment();
            answerLatency[kind].recordValue(Math.min(HIGHEST_TRACKABLE_NS, Math.max(0, nowNs - dueNs)));
        }
    }

    /**
     * Track, for each of {@code messages} messages, when all {@code receivers} have it.
     */
    void trackLastReceiver(final int messages, final int receivers)
    {
        receiversPerMessage = receivers;
        receivedPerMessage = new AtomicIntegerArray(messages);
    }

    void onOnline(final long nowNs)
    {
        online.increment();
        final long startNs = reconnectStartNs;
        if (0 != startNs)
        {
            syncTime.recordValue(Math.min(HIGHEST_TRACKABLE_NS, nowNs - startNs));
        }
    }
}
