package io.banter.access.client;

public record UserProfile(long userId, String name, boolean online)
{
}
