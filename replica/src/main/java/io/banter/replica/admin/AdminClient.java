package io.banter.replica.admin;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.Header;
import io.banter.access.cluster.ClusterClients;
import io.banter.codecs.AdminResponseDecoder;
import io.banter.codecs.ErrorCode;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.RegisterUserEncoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * Sends admin commands to the cluster and waits for the engine's answer. Used by
 * {@code banter admin} and by tests; one command at a time, from one thread.
 */
public final class AdminClient implements AutoCloseable, EgressListener
{
    private final MediaDriver embeddedDriver;
    private final AeronCluster cluster;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final RegisterUserEncoder registerUserEncoder = new RegisterUserEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final AdminResponseDecoder responseDecoder = new AdminResponseDecoder();
    private long nextCorrelationId = System.nanoTime();
    private long awaitedCorrelationId;
    private Response response;

    /**
     * @param aeronDirectoryName a running media driver's directory, or null to start one.
     */
    public AdminClient(final String aeronDirectoryName, final String ingressEndpoints)
    {
        embeddedDriver = null == aeronDirectoryName ? ClusterClients.launchEmbeddedDriver() : null;
        try
        {
            cluster = AeronCluster.connect(ClusterClients.context(
                null != embeddedDriver ? embeddedDriver.aeronDirectoryName() : aeronDirectoryName,
                ingressEndpoints, "localhost").egressListener(this));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(embeddedDriver);
            throw ex;
        }
    }

    /**
     * The engine's answer to an admin command.
     */
    public record Response(ErrorCode code, long userId, String text)
    {
    }

    public Response registerUser(final long userId, final String name, final long timeout, final TimeUnit unit)
    {
        final long correlationId = nextCorrelationId++;
        registerUserEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .userId(userId)
            .name(name);
        return call(correlationId, registerUserEncoder.limit(), timeout, unit);
    }

    private Response call(final long correlationId, final int length, final long timeout, final TimeUnit unit)
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        awaitedCorrelationId = correlationId;
        response = null;
        while (cluster.offer(buffer, 0, length) < 0)
        {
            checkDeadline(deadline);
            cluster.pollEgress();
            Thread.onSpinWait();
        }
        while (null == response)
        {
            checkDeadline(deadline);
            if (0 == cluster.pollEgress())
            {
                Thread.onSpinWait();
            }
        }
        return response;
    }

    private static void checkDeadline(final long deadline)
    {
        if (System.nanoTime() > deadline)
        {
            throw new IllegalStateException("no answer from the cluster in time");
        }
    }

    public void onMessage(
        final long clusterSessionId,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        headerDecoder.wrap(buffer, offset);
        if (AdminResponseDecoder.TEMPLATE_ID != headerDecoder.templateId())
        {
            return;
        }
        responseDecoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH,
            headerDecoder.blockLength(), headerDecoder.version());
        if (responseDecoder.correlationId() == awaitedCorrelationId)
        {
            final ErrorCode code = responseDecoder.code();
            final long userId = responseDecoder.userId();
            response = new Response(code, userId, responseDecoder.text());
        }
    }

    public void close()
    {
        CloseHelper.closeAll(cluster, embeddedDriver);
    }
}
