package io.banter.engine.state;

/**
 * One device (installation) of a user: its sync position, its dedup window and, while it is
 * connected, the gateway connection it is on and the presence it subscribed to.
 */
public final class Device
{
    public static final long OFFLINE = 0;

    private final User user;
    private final long deviceId;
    private final SentWindow sent;
    private final SortedLongSet presenceSubscriptions = new SortedLongSet();
    private short platform;
    private long ackedChangeSeq;
    private long lastClientMsgId;
    private long gatewayId;
    private long connectionId = OFFLINE;
    private long loginTimestamp;

    public Device(final User user, final long deviceId, final short platform, final int sentWindowSize)
    {
        this.user = user;
        this.deviceId = deviceId;
        this.platform = platform;
        this.sent = new SentWindow(sentWindowSize);
    }

    public User user()
    {
        return user;
    }

    public long deviceId()
    {
        return deviceId;
    }

    public short platform()
    {
        return platform;
    }

    public void platform(final short platform)
    {
        this.platform = platform;
    }

    public long ackedChangeSeq()
    {
        return ackedChangeSeq;
    }

    public void ackedChangeSeq(final long ackedChangeSeq)
    {
        this.ackedChangeSeq = ackedChangeSeq;
    }

    public long lastClientMsgId()
    {
        return lastClientMsgId;
    }

    public void lastClientMsgId(final long lastClientMsgId)
    {
        this.lastClientMsgId = lastClientMsgId;
    }

    public SentWindow sent()
    {
        return sent;
    }

    public boolean isOnline()
    {
        return connectionId != OFFLINE;
    }

    public long gatewayId()
    {
        return gatewayId;
    }

    public long connectionId()
    {
        return connectionId;
    }

    /**
     * When the current (or last) session began; with the device id it orders sessions for the
     * per-platform policy, oldest kicked first.
     */
    public long loginTimestamp()
    {
        return loginTimestamp;
    }

    public void loginTimestamp(final long loginTimestamp)
    {
        this.loginTimestamp = loginTimestamp;
    }

    /**
     * Users whose presence this device subscribed to in its current session.
     */
    public SortedLongSet presenceSubscriptions()
    {
        return presenceSubscriptions;
    }

    void bind(final long gatewayId, final long connectionId)
    {
        this.gatewayId = gatewayId;
        this.connectionId = connectionId;
    }

    void unbind()
    {
        this.gatewayId = 0;
        this.connectionId = OFFLINE;
    }
}
