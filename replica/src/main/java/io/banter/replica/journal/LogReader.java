package io.banter.replica.journal;

import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.cluster.RecordingLog;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.codecs.ClusterActionRequestDecoder;
import io.aeron.cluster.codecs.MessageHeaderDecoder;
import io.aeron.cluster.codecs.NewLeadershipTermEventDecoder;
import io.aeron.cluster.codecs.SessionCloseEventDecoder;
import io.aeron.cluster.codecs.SessionMessageHeaderDecoder;
import io.aeron.cluster.codecs.SessionOpenEventDecoder;
import io.aeron.cluster.codecs.TimerEventDecoder;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.aeron.FragmentAssembler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a range of a member's committed log out of its archive and hands each entry, decoded
 * from Aeron Cluster's framing, to a {@link LogListener}. The log is one recording per term
 * (usually one recording extended term after term); the recording log in the member's cluster
 * directory says which.
 */
public final class LogReader
{
    private static final String REPLAY_CHANNEL = "aeron:ipc";
    private static final int REPLAY_STREAM_ID = 1_717;

    private final MemberArchive archive;
    private final File clusterDir;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SessionMessageHeaderDecoder sessionMessage = new SessionMessageHeaderDecoder();
    private final SessionOpenEventDecoder sessionOpen = new SessionOpenEventDecoder();
    private final SessionCloseEventDecoder sessionClose = new SessionCloseEventDecoder();
    private final TimerEventDecoder timerEvent = new TimerEventDecoder();
    private final ClusterActionRequestDecoder clusterAction = new ClusterActionRequestDecoder();
    private final NewLeadershipTermEventDecoder newTerm = new NewLeadershipTermEventDecoder();

    public LogReader(final MemberArchive archive, final File clusterDir)
    {
        this.archive = archive;
        this.clusterDir = clusterDir;
    }

    /**
     * One term of the log: which recording holds it and where it starts.
     */
    record Term(long leadershipTermId, long recordingId, long basePosition)
    {
    }

    List<Term> terms()
    {
        final List<Term> terms = new ArrayList<>();
        try (RecordingLog recordingLog = new RecordingLog(clusterDir, false))
        {
            for (final RecordingLog.Entry entry : recordingLog.entries())
            {
                if (RecordingLog.ENTRY_TYPE_TERM == entry.type && entry.isValid)
                {
                    terms.add(new Term(entry.leadershipTermId, entry.recordingId, entry.termBaseLogPosition));
                }
            }
        }
        return terms;
    }

    /**
     * Where the log ends now.
     */
    public long endPosition()
    {
        final List<Term> terms = terms();
        return terms.isEmpty() ? 0 : archive.endPosition(terms.get(terms.size() - 1).recordingId());
    }

    /**
     * Replay the log from {@code fromPosition} to {@code toPosition} (capped at its end).
     *
     * @return the position reached.
     */
    public long read(final long fromPosition, final long toPosition, final LogListener listener)
    {
        final List<Term> terms = terms();
        long position = fromPosition;
        for (int i = 0; i < terms.size(); i++)
        {
            final Term term = terms.get(i);
            final boolean lastInRecording = i + 1 == terms.size() || terms.get(i + 1).recordingId() != term.recordingId();
            if (!lastInRecording)
            {
                continue; // the recording's later term covers this one too
            }
            final long end = Math.min(toPosition, archive.endPosition(term.recordingId()));
            final long start = Math.max(position, firstBase(terms, term.recordingId()));
            if (end > start)
            {
                position = replay(term.recordingId(), start, end, listener);
            }
        }
        return position;
    }

    /**
     * Replay a whole recording (a snapshot) and hand every fragment, reassembled, to the handler.
     */
    public void readRecording(final long recordingId, final FragmentHandler handler)
    {
        final long start = archive.client().getStartPosition(recordingId);
        final long end = archive.endPosition(recordingId);
        replayRaw(recordingId, start, end, handler);
    }

    private static long firstBase(final List<Term> terms, final long recordingId)
    {
        for (final Term term : terms)
        {
            if (term.recordingId() == recordingId)
            {
                return term.basePosition();
            }
        }
        return 0;
    }

    private long replay(final long recordingId, final long start, final long end, final LogListener listener)
    {
        return replayRaw(recordingId, start, end,
            (buffer, offset, length, header) -> onEntry(buffer, offset, length, header, listener));
    }

    private long replayRaw(final long recordingId, final long start, final long end, final FragmentHandler handler)
    {
        final IdleStrategy idle = new BackoffIdleStrategy();
        try (Subscription subscription = archive.aeron().addSubscription(REPLAY_CHANNEL, REPLAY_STREAM_ID))
        {
            final int sessionId = (int)archive.client().startReplay(
                recordingId, start, end - start, REPLAY_CHANNEL, REPLAY_STREAM_ID);
            Image image;
            while (null == (image = subscription.imageBySessionId(sessionId)))
            {
                idle.idle();
            }
            final FragmentAssembler assembler = new FragmentAssembler(handler);
            while (image.position() < end)
            {
                final int fragments = image.poll(assembler, 64);
                if (0 == fragments && (image.isClosed() || image.isEndOfStream()))
                {
                    break;
                }
                idle.idle(fragments);
            }
            return image.position();
        }
    }

    private void onEntry(
        final DirectBuffer buffer, final int offset, final int length, final Header header, final LogListener listener)
    {
        headerDecoder.wrap(buffer, offset);
        if (MessageHeaderDecoder.SCHEMA_ID != headerDecoder.schemaId())
        {
            listener.onClusterEvent(header.position(), 0, "unknown schema " + headerDecoder.schemaId());
            return;
        }
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final long position = header.position();
        switch (headerDecoder.templateId())
        {
            case SessionMessageHeaderDecoder.TEMPLATE_ID:
                sessionMessage.wrap(buffer, bodyOffset, blockLength, version);
                listener.onSessionMessage(position, sessionMessage.clusterSessionId(), sessionMessage.timestamp(),
                    buffer, offset + AeronCluster.SESSION_HEADER_LENGTH, length - AeronCluster.SESSION_HEADER_LENGTH);
                break;

            case SessionCloseEventDecoder.TEMPLATE_ID:
                sessionClose.wrap(buffer, bodyOffset, blockLength, version);
                listener.onSessionClose(position, sessionClose.clusterSessionId(), sessionClose.timestamp(),
                    sessionClose.closeReason().name());
                break;

            case SessionOpenEventDecoder.TEMPLATE_ID:
                sessionOpen.wrap(buffer, bodyOffset, blockLength, version);
                listener.onClusterEvent(position, sessionOpen.timestamp(),
                    "SessionOpen session=" + sessionOpen.clusterSessionId());
                break;

            case TimerEventDecoder.TEMPLATE_ID:
                timerEvent.wrap(buffer, bodyOffset, blockLength, version);
                listener.onClusterEvent(position, timerEvent.timestamp(), "Timer " + timerEvent.correlationId());
                break;

            case ClusterActionRequestDecoder.TEMPLATE_ID:
                clusterAction.wrap(buffer, bodyOffset, blockLength, version);
                listener.onClusterEvent(position, clusterAction.timestamp(), "ClusterAction " + clusterAction.action());
                break;

            case NewLeadershipTermEventDecoder.TEMPLATE_ID:
                newTerm.wrap(buffer, bodyOffset, blockLength, version);
                listener.onClusterEvent(position, newTerm.timestamp(), "NewLeadershipTerm term=" +
                    newTerm.leadershipTermId() + " leader=" + newTerm.leaderMemberId());
                break;

            default:
                listener.onClusterEvent(position, 0, "cluster template " + headerDecoder.templateId());
        }
    }
}
