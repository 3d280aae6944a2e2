package io.banter.engine.handler;

import io.banter.codecs.AddMembersDecoder;
import io.banter.codecs.BooleanType;
import io.banter.codecs.CreateGroupDecoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.GroupRole;
import io.banter.codecs.LeaveGroupDecoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.RemoveMemberDecoder;
import io.banter.codecs.SetRoleDecoder;
import io.banter.codecs.SystemEvent;
import io.banter.codecs.SystemNoticeEncoder;
import io.banter.codecs.UpdateGroupDecoder;
import io.banter.engine.EngineContext;
import io.banter.engine.event.EventPublisher;
import io.banter.engine.state.Conversation;
import io.banter.engine.state.Device;
import io.banter.engine.state.EngineState;
import io.banter.engine.state.HotWindow;
import io.banter.engine.state.User;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

import static io.banter.codecs.validation.EnumDomain.BOOLEAN_TYPE;
import static io.banter.codecs.validation.EnumDomain.GROUP_ROLE;

/**
 * Groups: create, add and remove members, leave, roles and settings. Every change is also a
 * system message in the group's sequence (content type {@link MessagePoster#SYSTEM_CONTENT_TYPE},
 * payload a {@code SystemNotice}), so members learn of it in order with the messages, through
 * push, sync and history, and a removed member learns of its removal.
 * <p>
 * Permissions: the owner may do everything; admins add and remove plain members and change
 * settings; members send, leave and invite when the group allows it.
 */
public final class GroupHandler
{
    private final EngineContext context;
    private final EngineState state;
    private final EventPublisher publisher;
    private final MessagePoster poster;
    private final HotWindow hotWindow;
    private final UnsafeBuffer noticeBuffer = new UnsafeBuffer(new byte[512]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SystemNoticeEncoder noticeEncoder = new SystemNoticeEncoder();
    private final LongArrayList newMembers = new LongArrayList();

    public GroupHandler(
        final EngineContext context, final EngineState state, final EventPublisher publisher, final MessagePoster poster)
    {
        this.context = context;
        this.state = state;
        this.publisher = publisher;
        this.poster = poster;
        this.hotWindow = state.hotWindow();
    }

    public void onCreateGroup(
        final long gatewayId, final long connectionId, final Device device, final CreateGroupDecoder command,
        final long timestamp)
    {
        final long correlationId = command.correlationId();
        final User creator = device.user();
        final short inviteRaw = command.membersCanInviteRaw();
        if (!BOOLEAN_TYPE.isDefined(inviteRaw))
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED, CreateGroupDecoder.TEMPLATE_ID,
                BOOLEAN_TYPE.refusal("membersCanInvite", inviteRaw));
            return;
        }
        final boolean membersCanInvite = command.membersCanInvite() == BooleanType.TRUE;
        newMembers.clear();
        for (final CreateGroupDecoder.MembersDecoder member : command.members())
        {
            final long userId = member.userId();
            if (userId != creator.userId())
            {
                newMembers.addLong(userId);
            }
        }
        final String name = readName(command.nameLength(), command);
        if (null == name)
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.INVALID_NAME, CreateGroupDecoder.TEMPLATE_ID,
                "a group name is 1 to " + context.maxGroupNameLength() + " bytes of printable UTF-8");
            return;
        }
        if (!checkNewMembers(gatewayId, connectionId, correlationId, CreateGroupDecoder.TEMPLATE_ID, null))
        {
            return;
        }
        if (newMembers.size() + 1 > context.maxGroupSize())
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.GROUP_FULL, CreateGroupDecoder.TEMPLATE_ID,
                "a group has at most " + context.maxGroupSize() + " members");
            return;
        }
        if (creator.conversationCount() >= context.maxConversationsPerUser())
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.LIMIT_REACHED, CreateGroupDecoder.TEMPLATE_ID,
                "the creator is in its maximum of " + context.maxConversationsPerUser() + " conversations");
            return;
        }
        if (!storeHasRoom(gatewayId, connectionId, correlationId, CreateGroupDecoder.TEMPLATE_ID, newMembers.size() + 1))
        {
            return;
        }

        final Conversation group = state.openGroup(name, membersCanInvite, newMembers.size() + 1);
        state.join(group, creator, GroupRole.OWNER, 0);
        for (int i = 0, count = newMembers.size(); i < count; i++)
        {
            state.join(group, state.user(newMembers.getLong(i)), GroupRole.MEMBER, 0);
        }
        state.classify(group, context.superGroupThreshold());
        postNotice(group, device, SystemEvent.GROUP_CREATED, 0, GroupRole.OWNER, timestamp, null);
        publisher.done(gatewayId, connectionId, correlationId, CreateGroupDecoder.TEMPLATE_ID,
            group.conversationId(), creator.userId(), poster.seq());
    }

    public void onAddMembers(
        final long gatewayId, final long connectionId, final Device device, final AddMembersDecoder command,
        final long timestamp)
    {
        final long correlationId = command.correlationId();
        final int templateId = AddMembersDecoder.TEMPLATE_ID;
        final User actor = device.user();
        final Conversation group = memberGroup(gatewayId, connectionId, correlationId, templateId,
            command.conversationId(), actor);
        if (null == group)
        {
            return;
        }
        final GroupRole actorRole = group.role(group.indexOf(actor.userId()));
        if (actorRole == GroupRole.MEMBER && !group.membersCanInvite())
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.NOT_PERMITTED, templateId,
                "only the owner and admins may add members to this group");
            return;
        }
        newMembers.clear();
        for (final AddMembersDecoder.MembersDecoder member : command.members())
        {
            newMembers.addLong(member.userId());
        }
        if (newMembers.isEmpty())
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED, templateId, "no members to add");
            return;
        }
        if (!checkNewMembers(gatewayId, connectionId, correlationId, templateId, group))
        {
            return;
        }
        if (group.memberCount() + newMembers.size() > context.maxGroupSize())
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.GROUP_FULL, templateId,
                "a group has at most " + context.maxGroupSize() + " members");
            return;
        }
        if (!storeHasRoom(gatewayId, connectionId, correlationId, templateId, newMembers.size()))
        {
            return;
        }

        // New members read from the head: history before they joined is not unread for them.
        for (int i = 0, count = newMembers.size(); i < count; i++)
        {
            state.join(group, state.user(newMembers.getLong(i)), GroupRole.MEMBER, group.headSeq());
        }
        state.classify(group, context.superGroupThreshold());
        for (int i = 0, count = newMembers.size(); i < count; i++)
        {
            final User added = state.user(newMembers.getLong(i));
            // In a super group members get no change entries, so the added member is told directly.
            postNotice(group, device, SystemEvent.MEMBER_ADDED, added.userId(), GroupRole.MEMBER, timestamp,
                group.isSuperGroup() ? added : null);
        }
        publisher.done(gatewayId, connectionId, correlationId, templateId, group.conversationId(), actor.userId(),
            poster.seq());
    }

    public void onRemoveMember(
        final long gatewayId, final long connectionId, final Device device, final RemoveMemberDecoder command,
        final long timestamp)
    {
        final long correlationId = command.correlationId();
        final int templateId = RemoveMemberDecoder.TEMPLATE_ID;
        final User actor = device.user();
        final Conversation group = memberGroup(gatewayId, connectionId, correlationId, templateId,
            command.conversationId(), actor);
        if (null == group)
        {
            return;
        }
        final long targetId = command.userId();
        if (targetId == actor.userId())
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED, templateId,
                "to remove oneself, leave the group");
            return;
        }
        final int targetIndex = group.indexOf(targetId);
        if (targetIndex < 0)
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.NOT_A_MEMBER, templateId,
                "user " + targetId + " is not a member of the group");
            return;
        }
        final GroupRole actorRole = group.role(group.indexOf(actor.userId()));
        final GroupRole targetRole = group.role(targetIndex);
        final boolean allowed = actorRole == GroupRole.OWNER ||
            (actorRole == GroupRole.ADMIN && targetRole == GroupRole.MEMBER);
        if (!allowed)
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.NOT_PERMITTED, templateId,
                actorRole == GroupRole.ADMIN ? "admins may remove only plain members" :
                "only the owner and admins may remove members");
            return;
        }
        if (!storeHasRoom(gatewayId, connectionId, correlationId, templateId, 1))
        {
            return;
        }
        final User target = state.user(targetId);
        state.part(group, target);
        state.classify(group, context.superGroupThreshold());
        postNotice(group, device, SystemEvent.MEMBER_REMOVED, targetId, targetRole, timestamp, target);
        publisher.done(gatewayId, connectionId, correlationId, templateId, group.conversationId(), targetId,
            poster.seq());
    }

    public void onLeaveGroup(
        final long gatewayId, final long connectionId, final Device device, final LeaveGroupDecoder command,
        final long timestamp)
    {
        final long correlationId = command.correlationId();
        final int templateId = LeaveGroupDecoder.TEMPLATE_ID;
        final User actor = device.user();
        final Conversation group = memberGroup(gatewayId, connectionId, correlationId, templateId,
            command.conversationId(), actor);
        if (null == group)
        {
            return;
        }
        final GroupRole role = group.role(group.indexOf(actor.userId()));
        if (role == GroupRole.OWNER && group.memberCount() > 1)
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.OWNER_MUST_TRANSFER, templateId,
                "the owner must make another member owner before leaving");
            return;
        }
        if (!storeHasRoom(gatewayId, connectionId, correlationId, templateId, 1))
        {
            return;
        }
        state.part(group, actor);
        state.classify(group, context.superGroupThreshold());
        postNotice(group, device, SystemEvent.MEMBER_LEFT, actor.userId(), role, timestamp, actor);
        publisher.done(gatewayId, connectionId, correlationId, templateId, group.conversationId(), actor.userId(),
            poster.seq());
    }

    public void onSetRole(
        final long gatewayId, final long connectionId, final Device device, final SetRoleDecoder command,
        final long timestamp)
    {
        final long correlationId = command.correlationId();
        final int templateId = SetRoleDecoder.TEMPLATE_ID;
        final short roleRaw = command.roleRaw();
        if (!GROUP_ROLE.isDefined(roleRaw))
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED, templateId,
                GROUP_ROLE.refusal("role", roleRaw));
            return;
        }
        final User actor = device.user();
        final Conversation group = memberGroup(gatewayId, connectionId, correlationId, templateId,
            command.conversationId(), actor);
        if (null == group)
        {
            return;
        }
        final GroupRole role = command.role();
        final int actorIndex = group.indexOf(actor.userId());
        if (group.role(actorIndex) != GroupRole.OWNER)
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.NOT_PERMITTED, templateId,
                "only the owner may set roles");
            return;
        }
        final long targetId = command.userId();
        if (targetId == actor.userId())
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED, templateId,
                "the owner's role changes only by making another member owner");
            return;
        }
        final int targetIndex = group.indexOf(targetId);
        if (targetIndex < 0)
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.NOT_A_MEMBER, templateId,
                "user " + targetId + " is not a member of the group");
            return;
        }
        if (!storeHasRoom(gatewayId, connectionId, correlationId, templateId, 1))
        {
            return;
        }
        group.role(targetIndex, role);
        if (role == GroupRole.OWNER)
        {
            group.role(actorIndex, GroupRole.ADMIN);
        }
        postNotice(group, device, SystemEvent.ROLE_CHANGED, targetId, role, timestamp, null);
        publisher.done(gatewayId, connectionId, correlationId, templateId, group.conversationId(), targetId,
            poster.seq());
    }

    public void onUpdateGroup(
        final long gatewayId, final long connectionId, final Device device, final UpdateGroupDecoder command,
        final long timestamp)
    {
        final long correlationId = command.correlationId();
        final int templateId = UpdateGroupDecoder.TEMPLATE_ID;
        final short inviteRaw = command.membersCanInviteRaw();
        if (!BOOLEAN_TYPE.isDefined(inviteRaw))
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED, templateId,
                BOOLEAN_TYPE.refusal("membersCanInvite", inviteRaw));
            return;
        }
        final User actor = device.user();
        final Conversation group = memberGroup(gatewayId, connectionId, correlationId, templateId,
            command.conversationId(), actor);
        if (null == group)
        {
            return;
        }
        if (group.role(group.indexOf(actor.userId())) == GroupRole.MEMBER)
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.NOT_PERMITTED, templateId,
                "only the owner and admins may change the group");
            return;
        }
        final BooleanType invite = command.membersCanInvite();
        String name = group.name();
        if (command.nameLength() > 0)
        {
            name = readName(command.nameLength(), command);
            if (null == name)
            {
                error(gatewayId, connectionId, correlationId, ErrorCode.INVALID_NAME, templateId,
                    "a group name is 1 to " + context.maxGroupNameLength() + " bytes of printable UTF-8");
                return;
            }
        }
        else
        {
            command.skipName();
        }
        if (!storeHasRoom(gatewayId, connectionId, correlationId, templateId, 1))
        {
            return;
        }
        group.name(name);
        group.membersCanInvite(invite == BooleanType.TRUE);
        postNotice(group, device, SystemEvent.GROUP_UPDATED, 0, GroupRole.NULL_VAL, timestamp, null);
        publisher.done(gatewayId, connectionId, correlationId, templateId, group.conversationId(), actor.userId(),
            poster.seq());
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Validate {@link #newMembers}: known users, no repeats, not yet in {@code group}, room for
     * another conversation. Sorts the list, so members join in id order.
     */
    private boolean checkNewMembers(
        final long gatewayId, final long connectionId, final long correlationId, final int templateId,
        final Conversation group)
    {
        final int count = newMembers.size();
        final long[] ids = newMembers.toLongArray();
        Arrays.sort(ids);
        newMembers.clear();
        for (int i = 0; i < count; i++)
        {
            final long userId = ids[i];
            if (i > 0 && ids[i - 1] == userId)
            {
                error(gatewayId, connectionId, correlationId, ErrorCode.MALFORMED, templateId,
                    "user " + userId + " is listed twice");
                return false;
            }
            final User user = state.user(userId);
            if (null == user)
            {
                error(gatewayId, connectionId, correlationId, ErrorCode.UNKNOWN_USER, templateId,
                    "no such user " + userId);
                return false;
            }
            if (null != group && group.isMember(userId))
            {
                error(gatewayId, connectionId, correlationId, ErrorCode.ALREADY_MEMBER, templateId,
                    "user " + userId + " is already a member");
                return false;
            }
            if (user.conversationCount() >= context.maxConversationsPerUser())
            {
                error(gatewayId, connectionId, correlationId, ErrorCode.LIMIT_REACHED, templateId,
                    "user " + userId + " is in its maximum of " + context.maxConversationsPerUser() + " conversations");
                return false;
            }
            newMembers.addLong(userId);
        }
        return true;
    }

    private Conversation memberGroup(
        final long gatewayId, final long connectionId, final long correlationId, final int templateId,
        final long conversationId, final User actor)
    {
        final Conversation conversation = state.conversation(conversationId);
        if (null == conversation)
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.UNKNOWN_CONVERSATION, templateId,
                "no such conversation " + conversationId);
            return null;
        }
        if (!conversation.isGroup())
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.NOT_PERMITTED, templateId,
                "conversation " + conversationId + " is a direct conversation, not a group");
            return null;
        }
        if (!conversation.isMember(actor.userId()))
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.NOT_A_MEMBER, templateId,
                "not a member of group " + conversationId);
            return null;
        }
        return conversation;
    }

    private boolean storeHasRoom(
        final long gatewayId, final long connectionId, final long correlationId, final int templateId, final int notices)
    {
        final int noticeLength = MessagePoster.storedLength(
            MessageHeaderEncoder.ENCODED_LENGTH + SystemNoticeEncoder.BLOCK_LENGTH + 2 + context.maxGroupNameLength());
        if (hotWindow.isFull(notices, (long)noticeLength * notices))
        {
            error(gatewayId, connectionId, correlationId, ErrorCode.HOT_TIER_FULL, templateId,
                "the message store is full");
            return false;
        }
        return true;
    }

    private void postNotice(
        final Conversation group,
        final Device actorDevice,
        final SystemEvent event,
        final long targetUserId,
        final GroupRole role,
        final long timestamp,
        final User alsoNotify)
    {
        final SystemNoticeEncoder notice = noticeEncoder.wrapAndApplyHeader(noticeBuffer, 0, headerEncoder)
            .systemEvent(event)
            .actorUserId(actorDevice.user().userId())
            .targetUserId(targetUserId)
            .role(role)
            .membersCanInvite(group.membersCanInvite() ? BooleanType.TRUE : BooleanType.FALSE)
            .name(event == SystemEvent.GROUP_CREATED || event == SystemEvent.GROUP_UPDATED ? group.name() : "");
        // The actor's device gets Done rather than the notice, as a sender gets its ack.
        poster.post(group, actorDevice.user(), actorDevice, 0, MessagePoster.SYSTEM_CONTENT_TYPE, noticeBuffer, 0,
            notice.limit(), timestamp, alsoNotify);
        poster.fanOut();
    }

    private String readName(final int length, final CreateGroupDecoder command)
    {
        if (0 == length || length > context.maxGroupNameLength())
        {
            command.skipName();
            return null;
        }
        return validName(command.name());
    }

    private String readName(final int length, final UpdateGroupDecoder command)
    {
        if (length > context.maxGroupNameLength())
        {
            command.skipName();
            return null;
        }
        return validName(command.name());
    }

    private static String validName(final String name)
    {
        if (name.isEmpty())
        {
            return null;
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (Character.isISOControl(c) || c == '\uFFFD')
            {
                return null;
            }
        }
        return name;
    }

    private void error(
        final long gatewayId, final long connectionId, final long correlationId, final ErrorCode code,
        final int templateId, final String text)
    {
        publisher.error(gatewayId, connectionId, correlationId, code, templateId, text);
    }
}
