package io.banter.engine.event;

/**
 * A reusable list of (gateway, connection) pairs that one client message goes to. Sorted by
 * gateway before delivery so each gateway gets the message once, with all its connections.
 */
public final class DeliveryTargets
{
    private final long[] gatewayIds;
    private final long[] connectionIds;
    private int count;

    public DeliveryTargets(final int capacity)
    {
        gatewayIds = new long[capacity];
        connectionIds = new long[capacity];
    }

    public void clear()
    {
        count = 0;
    }

    public int count()
    {
        return count;
    }

    public boolean isEmpty()
    {
        return 0 == count;
    }

    public void add(final long gatewayId, final long connectionId)
    {
        gatewayIds[count] = gatewayId;
        connectionIds[count] = connectionId;
        count++;
    }

    public long gatewayId(final int index)
    {
        return gatewayIds[index];
    }

    public long connectionId(final int index)
    {
        return connectionIds[index];
    }

    /**
     * Insertion sort by (gateway, connection): the lists are a user's few devices, and a
     * deterministic order keeps the event stream identical on every replica.
     */
    void sort()
    {
        for (int i = 1; i < count; i++)
        {
            final long gateway = gatewayIds[i];
            final long connection = connectionIds[i];
            int j = i - 1;
            while (j >= 0 && (gatewayIds[j] > gateway || (gatewayIds[j] == gateway && connectionIds[j] > connection)))
            {
                gatewayIds[j + 1] = gatewayIds[j];
                connectionIds[j + 1] = connectionIds[j];
                j--;
            }
            gatewayIds[j + 1] = gateway;
            connectionIds[j + 1] = connection;
        }
    }
}
