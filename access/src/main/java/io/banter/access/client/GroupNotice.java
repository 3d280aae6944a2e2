package io.banter.access.client;

import io.banter.codecs.BooleanType;
import io.banter.codecs.GroupRole;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.SystemEvent;
import io.banter.codecs.SystemNoticeDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.LongFunction;

/**
 * What a group's system message records (its payload is an SBE {@code SystemNotice}).
 *
 * @param name the group's name for GROUP_CREATED and GROUP_UPDATED, else empty.
 */
public record GroupNotice(
    SystemEvent event, long actorUserId, long targetUserId, GroupRole role, boolean membersCanInvite, String name)
{
    /**
     * @return the notice a system message carries, or null when {@code message} is not one or
     * does not decode.
     */
    public static GroupNotice of(final ChatMessage message)
    {
        final byte[] payload = message.payload();
        if (!message.isSystem() || payload.length < MessageHeaderDecoder.ENCODED_LENGTH + SystemNoticeDecoder.BLOCK_LENGTH)
        {
            return null;
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(payload);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        if (SystemNoticeDecoder.TEMPLATE_ID != header.templateId())
        {
            return null;
        }
        try
        {
            final SystemNoticeDecoder notice = new SystemNoticeDecoder()
                .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            return new GroupNotice(notice.systemEvent(), notice.actorUserId(), notice.targetUserId(), notice.role(),
                BooleanType.TRUE == notice.membersCanInvite(), notice.name());
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return null;
        }
    }

    /**
     * A line a person can read, e.g. "alice added bob", with names from {@code names}.
     */
    public String render(final LongFunction<String> names)
    {
        final String actor = names.apply(actorUserId);
        final String target = names.apply(targetUserId);
        switch (event)
        {
            case GROUP_CREATED:
                return actor + " created the group \"" + name + "\"";
            case MEMBER_ADDED:
                return actor + " added " + target;
            case MEMBER_REMOVED:
                return actor + " removed " + target;
            case MEMBER_LEFT:
                return actor + " left";
            case ROLE_CHANGED:
                return actor + " made " + target + " " + (null == role ? "?" : role.name().toLowerCase());
            case GROUP_UPDATED:
                return actor + " renamed the group \"" + name + "\"" +
                    (membersCanInvite ? "; members may invite" : "; only admins invite");
            default:
                return actor + ": group event " + event;
        }
    }
}
