package io.banter.engine.event;

import io.banter.engine.state.Device;
import io.banter.engine.state.User;

import java.util.Arrays;

/**
 * A reusable list of (gateway, connection) pairs that one client message goes to: a user's few
 * devices, or every online device of a group. The arrays grow to the largest fan-out seen and
 * are then reused, so steady-state delivery allocates nothing.
 * <p>
 * Delivery walks the distinct gateways in ascending id and, for each, its connections in the
 * order they were added; both orders follow from the log, so every replica emits the same events.
 */
public final class DeliveryTargets
{
    private long[] gatewayIds;
    private long[] connectionIds;
    private long[] distinctGateways = new long[8];
    private int count;
    private int distinctCount;

    public DeliveryTargets(final int initialCapacity)
    {
        gatewayIds = new long[Math.max(8, initialCapacity)];
        connectionIds = new long[gatewayIds.length];
    }

    public void clear()
    {
        count = 0;
        distinctCount = 0;
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
        if (count == gatewayIds.length)
        {
            gatewayIds = Arrays.copyOf(gatewayIds, count * 2);
            connectionIds = Arrays.copyOf(connectionIds, count * 2);
        }
        gatewayIds[count] = gatewayId;
        connectionIds[count] = connectionId;
        count++;
        addDistinct(gatewayId);
    }

    /**
     * Add every online device of {@code user} but {@code exceptDevice} (which may be null).
     */
    public void addOnlineDevices(final User user, final Device exceptDevice)
    {
        for (int d = 0, devices = user.deviceCount(); d < devices; d++)
        {
            final Device device = user.device(d);
            if (device.isOnline() && device != exceptDevice)
            {
                add(device.gatewayId(), device.connectionId());
            }
        }
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
     * Number of different gateways among the targets.
     */
    int distinctGatewayCount()
    {
        return distinctCount;
    }

    /**
     * The {@code index}-th different gateway in ascending id.
     */
    long distinctGateway(final int index)
    {
        return distinctGateways[index];
    }

    private void addDistinct(final long gatewayId)
    {
        // Gateways are few (one per access node), so a sorted insert into a short array is cheapest.
        int i = distinctCount - 1;
        while (i >= 0 && distinctGateways[i] > gatewayId)
        {
            i--;
        }
        if (i >= 0 && distinctGateways[i] == gatewayId)
        {
            return;
        }
        if (distinctCount == distinctGateways.length)
        {
            distinctGateways = Arrays.copyOf(distinctGateways, distinctCount * 2);
        }
        System.arraycopy(distinctGateways, i + 1, distinctGateways, i + 2, distinctCount - i - 1);
        distinctGateways[i + 1] = gatewayId;
        distinctCount++;
    }
}
