package io.banter.replica.journal;

import io.banter.codecs.AddMembersDecoder;
import io.banter.codecs.BlockDecoder;
import io.banter.codecs.ConnectionClosedDecoder;
import io.banter.codecs.ConnectionRequestDecoder;
import io.banter.codecs.ConversationsQueryDecoder;
import io.banter.codecs.CreateGroupDecoder;
import io.banter.codecs.DeviceLoginDecoder;
import io.banter.codecs.FriendRequestDecoder;
import io.banter.codecs.FriendRespondDecoder;
import io.banter.codecs.GatewayLostDecoder;
import io.banter.codecs.GroupInfoQueryDecoder;
import io.banter.codecs.HistoryDecoder;
import io.banter.codecs.LeaveGroupDecoder;
import io.banter.codecs.ListConversationsDecoder;
import io.banter.codecs.LogoutDecoder;
import io.banter.codecs.LookupUserDecoder;
import io.banter.codecs.MarkReadDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.PresenceQueryDecoder;
import io.banter.codecs.RecallDecoder;
import io.banter.codecs.ReceiptQueryDecoder;
import io.banter.codecs.RegisterUserDecoder;
import io.banter.codecs.RelationsQueryDecoder;
import io.banter.codecs.RemoveFriendDecoder;
import io.banter.codecs.RemoveMemberDecoder;
import io.banter.codecs.SendDecoder;
import io.banter.codecs.SetRoleDecoder;
import io.banter.codecs.SubscribePresenceDecoder;
import io.banter.codecs.SyncAckDecoder;
import io.banter.codecs.SyncDecoder;
import io.banter.codecs.UpdateGroupDecoder;
import io.banter.codecs.batch.BatchReader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintStream;

/**
 * Prints a member's log one line per command: position, cluster timestamp, cluster session and the
 * decoded command (for a gateway's {@code ConnectionRequest}, the client request inside it too);
 * the commands of a gateway's {@code CommandBatch} share their entry's position, one line each.
 * Lines can be filtered by a substring; at most {@code limit} are printed.
 */
public final class LogDump implements LogListener
{
    private final PrintStream out;
    private final String grep;
    private final long limit;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MessageHeaderDecoder innerHeader = new MessageHeaderDecoder();
    private final ConnectionRequestDecoder connectionRequest = new ConnectionRequestDecoder();
    private final UnsafeBuffer request = new UnsafeBuffer(0, 0);
    private final BatchReader batch = new BatchReader();
    private long printed;

    public LogDump(final PrintStream out, final String grep, final long limit)
    {
        this.out = out;
        this.grep = grep;
        this.limit = limit;
    }

    public void onSessionMessage(
        final long position,
        final long clusterSessionId,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (length >= MessageHeaderDecoder.ENCODED_LENGTH &&
            BatchReader.isBatch(header.wrap(buffer, offset).templateId()))
        {
            if (!batch.wrap(buffer, offset, length))
            {
                print(position, timestamp, clusterSessionId, "malformed batch (the engine refused it): " + batch.refusal());
                return;
            }
            // One line per command, as if each had come alone: a grep finds a command whatever it was batched with.
            int index = 0;
            while (batch.next())
            {
                print(position, timestamp, clusterSessionId, "batch " + (++index) + "/" + batch.count() + " " +
                    describe(buffer, batch.entryOffset(), batch.entryLength()));
            }
            return;
        }
        print(position, timestamp, clusterSessionId, describe(buffer, offset, length));
    }

    public void onSessionClose(final long position, final long clusterSessionId, final long timestamp, final String reason)
    {
        print(position, timestamp, clusterSessionId, "SessionClose " + reason + " (the engine: GatewayLost)");
    }

    public void onClusterEvent(final long position, final long timestamp, final String description)
    {
        print(position, timestamp, 0, description);
    }

    public long printed()
    {
        return printed;
    }

    public boolean full()
    {
        return printed >= limit;
    }

    private void print(final long position, final long timestamp, final long session, final String text)
    {
        if (printed >= limit)
        {
            return;
        }
        final String line = String.format("%12d  %d  session=%d  %s", position, timestamp, session, text);
        if (null == grep || line.contains(grep))
        {
            out.println(line);
            printed++;
        }
    }

    String describe(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return "short message (" + length + " bytes)";
        }
        header.wrap(buffer, offset);
        if (MessageHeaderDecoder.SCHEMA_ID != header.schemaId())
        {
            return "foreign schema " + header.schemaId();
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        switch (header.templateId())
        {
            case RegisterUserDecoder.TEMPLATE_ID:
                return new RegisterUserDecoder().wrap(buffer, body, blockLength, version).toString();
            case DeviceLoginDecoder.TEMPLATE_ID:
                return new DeviceLoginDecoder().wrap(buffer, body, blockLength, version).toString();
            case ConnectionClosedDecoder.TEMPLATE_ID:
                return new ConnectionClosedDecoder().wrap(buffer, body, blockLength, version).toString();
            case GatewayLostDecoder.TEMPLATE_ID:
                return new GatewayLostDecoder().wrap(buffer, body, blockLength, version).toString();
            case ConnectionRequestDecoder.TEMPLATE_ID:
            {
                connectionRequest.wrap(buffer, body, blockLength, version);
                final long connectionId = connectionRequest.connectionId();
                connectionRequest.wrapRequest(request);
                return "[ConnectionRequest](connectionId=" + connectionId + ") " + describeRequestSafely();
            }
            default:
                return "template " + header.templateId() + " (" + length + " bytes)";
        }
    }

    /**
     * The log holds what clients sent, malformed requests included (the engine refused them):
     * a request whose lengths lie is printed as such rather than stopping the dump.
     */
    private String describeRequestSafely()
    {
        try
        {
            return describeRequest();
        }
        catch (final IndexOutOfBoundsException | IllegalArgumentException ex)
        {
            return "malformed request template " + innerHeader.templateId() + " (" + request.capacity() + " bytes)";
        }
    }

    private String describeRequest()
    {
        if (request.capacity() < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return "short request";
        }
        innerHeader.wrap(request, 0);
        final int body = MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = innerHeader.blockLength();
        final int version = innerHeader.version();
        switch (innerHeader.templateId())
        {
            case SendDecoder.TEMPLATE_ID:
                return new SendDecoder().wrap(request, body, blockLength, version).toString();
            case SyncDecoder.TEMPLATE_ID:
                return new SyncDecoder().wrap(request, body, blockLength, version).toString();
            case SyncAckDecoder.TEMPLATE_ID:
                return new SyncAckDecoder().wrap(request, body, blockLength, version).toString();
            case HistoryDecoder.TEMPLATE_ID:
                return new HistoryDecoder().wrap(request, body, blockLength, version).toString();
            case LogoutDecoder.TEMPLATE_ID:
                return new LogoutDecoder().wrap(request, body, blockLength, version).toString();
            case PresenceQueryDecoder.TEMPLATE_ID:
                return new PresenceQueryDecoder().wrap(request, body, blockLength, version).toString();
            case ListConversationsDecoder.TEMPLATE_ID:
                return new ListConversationsDecoder().wrap(request, body, blockLength, version).toString();
            case LookupUserDecoder.TEMPLATE_ID:
                return new LookupUserDecoder().wrap(request, body, blockLength, version).toString();
            case ConversationsQueryDecoder.TEMPLATE_ID:
                return new ConversationsQueryDecoder().wrap(request, body, blockLength, version).toString();
            case MarkReadDecoder.TEMPLATE_ID:
                return new MarkReadDecoder().wrap(request, body, blockLength, version).toString();
            case ReceiptQueryDecoder.TEMPLATE_ID:
                return new ReceiptQueryDecoder().wrap(request, body, blockLength, version).toString();
            case RecallDecoder.TEMPLATE_ID:
                return new RecallDecoder().wrap(request, body, blockLength, version).toString();
            case CreateGroupDecoder.TEMPLATE_ID:
                return new CreateGroupDecoder().wrap(request, body, blockLength, version).toString();
            case AddMembersDecoder.TEMPLATE_ID:
                return new AddMembersDecoder().wrap(request, body, blockLength, version).toString();
            case RemoveMemberDecoder.TEMPLATE_ID:
                return new RemoveMemberDecoder().wrap(request, body, blockLength, version).toString();
            case LeaveGroupDecoder.TEMPLATE_ID:
                return new LeaveGroupDecoder().wrap(request, body, blockLength, version).toString();
            case SetRoleDecoder.TEMPLATE_ID:
                return new SetRoleDecoder().wrap(request, body, blockLength, version).toString();
            case UpdateGroupDecoder.TEMPLATE_ID:
                return new UpdateGroupDecoder().wrap(request, body, blockLength, version).toString();
            case GroupInfoQueryDecoder.TEMPLATE_ID:
                return new GroupInfoQueryDecoder().wrap(request, body, blockLength, version).toString();
            case FriendRequestDecoder.TEMPLATE_ID:
                return new FriendRequestDecoder().wrap(request, body, blockLength, version).toString();
            case FriendRespondDecoder.TEMPLATE_ID:
                return new FriendRespondDecoder().wrap(request, body, blockLength, version).toString();
            case RemoveFriendDecoder.TEMPLATE_ID:
                return new RemoveFriendDecoder().wrap(request, body, blockLength, version).toString();
            case BlockDecoder.TEMPLATE_ID:
                return new BlockDecoder().wrap(request, body, blockLength, version).toString();
            case RelationsQueryDecoder.TEMPLATE_ID:
                return new RelationsQueryDecoder().wrap(request, body, blockLength, version).toString();
            case SubscribePresenceDecoder.TEMPLATE_ID:
                return new SubscribePresenceDecoder().wrap(request, body, blockLength, version).toString();
            default:
                return "request template " + innerHeader.templateId();
        }
    }
}
