package io.banter.perf.baseline;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Writes a Redis command as a RESP2 array of bulk strings.
 */
final class RespWriter
{
    private static final byte[] CRLF = {'\r', '\n'};

    private RespWriter()
    {
    }

    static void command(final ByteBuf out, final byte[]... arguments)
    {
        out.writeByte('*').writeBytes(Integer.toString(arguments.length).getBytes(StandardCharsets.US_ASCII))
            .writeBytes(CRLF);
        for (final byte[] argument : arguments)
        {
            out.writeByte('$').writeBytes(Integer.toString(argument.length).getBytes(StandardCharsets.US_ASCII))
                .writeBytes(CRLF).writeBytes(argument).writeBytes(CRLF);
        }
    }
}
