package io.banter.replica;

import io.banter.codecs.ErrorDecoder;
import io.banter.codecs.LoginEncoder;
import io.banter.codecs.LoginResultDecoder;
import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.Platform;
import io.banter.codecs.framing.SimpleOpenFramingHeader;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A client speaking raw bytes to the gateway, for what the SDK would never send.
 */
final class RawConnection implements AutoCloseable
{
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    final MessageHeaderDecoder header = new MessageHeaderDecoder();
    final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024 * 1024]);

    RawConnection(final int port) throws IOException
    {
        socket = new Socket("localhost", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    void writeBytes(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /**
     * Frame and write an SBE message of {@code length} bytes that was encoded at offset 6 of {@link #encodeBuffer()}.
     */
    void writeEncoded(final int sbeLength) throws IOException
    {
        SimpleOpenFramingHeader.writeHeader(buffer, 0, sbeLength);
        out.write(buffer.byteArray(), 0, SimpleOpenFramingHeader.HEADER_LENGTH + sbeLength);
        out.flush();
    }

    UnsafeBuffer encodeBuffer()
    {
        return buffer;
    }

    MessageHeaderEncoder headerEncoder()
    {
        return headerEncoder;
    }

    void login(final long correlationId, final long userId, final long deviceId, final String token) throws IOException
    {
        final LoginEncoder login = new LoginEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFramingHeader.HEADER_LENGTH, headerEncoder)
            .correlationId(correlationId).userId(userId).deviceId(deviceId).platform(Platform.WEB).token(token);
        writeEncoded(login.limit() - SimpleOpenFramingHeader.HEADER_LENGTH);
    }

    /**
     * Read the next frame into {@link #frame} and return its template id.
     */
    int readTemplateId() throws IOException
    {
        final int frameLength = in.readInt();
        in.readUnsignedShort();
        in.readFully(frame.byteArray(), 0, frameLength - SimpleOpenFramingHeader.HEADER_LENGTH);
        return header.wrap(frame, 0).templateId();
    }

    LoginResultDecoder loginResult() throws IOException
    {
        final int templateId = readTemplateId();
        if (LoginResultDecoder.TEMPLATE_ID != templateId)
        {
            throw new AssertionError("expected LoginResult, got template " + templateId);
        }
        return new LoginResultDecoder().wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
    }

    ErrorDecoder error() throws IOException
    {
        final int templateId = readTemplateId();
        if (ErrorDecoder.TEMPLATE_ID != templateId)
        {
            throw new AssertionError("expected Error, got template " + templateId);
        }
        return new ErrorDecoder().wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
    }

    /**
     * @return true when the server closed the connection (end of stream or reset) within the read timeout.
     */
    boolean closedByServer() throws IOException
    {
        try
        {
            while (true)
            {
                if (in.read() < 0)
                {
                    return true;
                }
            }
        }
        catch (final EOFException | java.net.SocketException ex)
        {
            return true;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
    }

    public void close() throws IOException
    {
        socket.close();
    }
}
