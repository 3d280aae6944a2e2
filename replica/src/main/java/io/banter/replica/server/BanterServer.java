package io.banter.replica.server;

import io.banter.access.auth.ServerSecret;
import io.banter.access.gateway.Gateway;
import io.banter.access.gateway.GatewayContext;
import io.banter.replica.node.BanterNode;
import io.banter.replica.node.MemberGuard;
import io.banter.replica.node.MemberRecord;
import io.banter.replica.node.NodeContext;
import org.agrona.CloseHelper;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * A cluster member with its gateway embedded in the same process, sharing the member's media
 * driver: what {@code banter server} and {@code banter node} run.
 */
public final class BanterServer implements AutoCloseable
{
    public static final String SECRET_FILE_NAME = "server.secret";

    private final BanterNode node;
    private final Gateway gateway;

    private BanterServer(final NodeContext nodeContext, final GatewayContext gatewayContext)
    {
        // Before the member starts: a taken gateway port must not cost the media driver a start and a stop.
        node = BanterNode.launch(nodeContext, () ->
        {
            if (null != gatewayContext)
            {
                MemberGuard.checkTcpPort(gatewayContext.bindHost(), gatewayContext.port(), "the gateway's --gateway-port");
            }
        });
        try
        {
            if (null != gatewayContext)
            {
                if (null == gatewayContext.secret())
                {
                    gatewayContext.secret(ServerSecret.loadOrCreate(secretFile(nodeContext.dataDir()).toPath()));
                }
                // One member: the embedded gateway reaches it over shared memory, not UDP.
                gateway = Gateway.launch(gatewayContext
                    .aeronDirectoryName(node.context().aeronDirectoryName())
                    .ingressEndpoints(node.context().ingressEndpoints())
                    .ipcToCluster(1 == node.context().memberHosts().size()));
                MemberRecord.of(node.context(), gateway.address()).write(node.context().memberDir());
            }
            else
            {
                gateway = null;
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(node);
            throw ex;
        }
    }

    /**
     * @param gatewayContext null for a member without a gateway.
     */
    public static BanterServer launch(final NodeContext nodeContext, final GatewayContext gatewayContext)
    {
        return new BanterServer(nodeContext, gatewayContext);
    }

    public static File secretFile(final File dataDir)
    {
        return new File(dataDir, SECRET_FILE_NAME);
    }

    public boolean awaitGatewayConnected(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return null == gateway || gateway.awaitClusterConnected(timeout, unit);
    }

    public BanterNode node()
    {
        return node;
    }

    /**
     * The embedded gateway, or null.
     */
    public Gateway gateway()
    {
        return gateway;
    }

    public void close()
    {
        CloseHelper.closeAll(gateway, node);
    }
}
