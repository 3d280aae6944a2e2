package io.banter.access.client;

public record Presence(long userId, boolean online, int onlineDevices)
{
}
