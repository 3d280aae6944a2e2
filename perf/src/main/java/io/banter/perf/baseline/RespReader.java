package io.banter.perf.baseline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Reads Redis replies (RESP2) as they arrive and hands each complete top-level reply to a
 * {@link Listener} in place: simple strings and integers count as answers, errors as errors, and
 * an array {@code [message, channel, payload]} is a pub/sub message whose payload is given as an
 * index into the buffer.
 */
final class RespReader extends ByteToMessageDecoder
{
    interface Listener
    {
        void onAnswer(boolean error);

        void onPubSubMessage(ByteBuf buffer, int payloadIndex, int payloadLength);
    }

    private static final int INCOMPLETE = -1;
    private static final byte[] MESSAGE = "message".getBytes();

    private final Listener listener;
    private int payloadIndex;
    private int payloadLength;

    RespReader(final Listener listener)
    {
        this.listener = listener;
    }

    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        while (in.isReadable())
        {
            final int start = in.readerIndex();
            final byte type = in.getByte(start);
            final int end;
            if ('*' == type)
            {
                end = array(in, start);
                if (INCOMPLETE == end)
                {
                    return;
                }
                if (payloadIndex >= 0)
                {
                    listener.onPubSubMessage(in, payloadIndex, payloadLength);
                }
                else
                {
                    listener.onAnswer(false);
                }
            }
            else
            {
                end = value(in, start);
                if (INCOMPLETE == end)
                {
                    return;
                }
                listener.onAnswer('-' == type);
            }
            in.readerIndex(end);
        }
    }

    /**
     * @return the index after the array, or {@link #INCOMPLETE}; sets {@link #payloadIndex} when
     * it is a pub/sub message, else -1.
     */
    private int array(final ByteBuf in, final int start)
    {
        payloadIndex = -1;
        final int lineEnd = lineEnd(in, start);
        if (INCOMPLETE == lineEnd)
        {
            return INCOMPLETE;
        }
        final int count = (int)number(in, start + 1, lineEnd);
        int position = lineEnd + 2;
        boolean isMessage = false;
        for (int i = 0; i < count; i++)
        {
            if (position >= in.writerIndex())
            {
                return INCOMPLETE;
            }
            final int next = value(in, position);
            if (INCOMPLETE == next)
            {
                return INCOMPLETE;
            }
            if ('$' == in.getByte(position))
            {
                final int headerEnd = lineEnd(in, position);
                final int bodyStart = headerEnd + 2;
                final int bodyLength = next - 2 - bodyStart;
                if (0 == i)
                {
                    isMessage = equals(in, bodyStart, bodyLength, MESSAGE);
                }
                else if (2 == i && isMessage)
                {
                    payloadIndex = bodyStart;
                    payloadLength = bodyLength;
                }
            }
            position = next;
        }
        return position;
    }

    /**
     * @return the index after a simple string, error, integer or bulk string, or {@link #INCOMPLETE}.
     */
    private static int value(final ByteBuf in, final int start)
    {
        final int lineEnd = lineEnd(in, start);
        if (INCOMPLETE == lineEnd)
        {
            return INCOMPLETE;
        }
        if ('$' != in.getByte(start))
        {
            return lineEnd + 2;
        }
        final long length = number(in, start + 1, lineEnd);
        if (length < 0)
        {
            return lineEnd + 2; // a null bulk string
        }
        final long end = lineEnd + 2 + length + 2;
        return end > in.writerIndex() ? INCOMPLETE : (int)end;
    }

    private static int lineEnd(final ByteBuf in, final int from)
    {
        for (int i = from; i + 1 < in.writerIndex(); i++)
        {
            if ('\r' == in.getByte(i) && '\n' == in.getByte(i + 1))
            {
                return i;
            }
        }
        return INCOMPLETE;
    }

    private static long number(final ByteBuf in, final int from, final int to)
    {
        long value = 0;
        boolean negative = false;
        for (int i = from; i < to; i++)
        {
            final byte b = in.getByte(i);
            if ('-' == b)
            {
                negative = true;
            }
            else
            {
                value = value * 10 + (b - '0');
            }
        }
        return negative ? -value : value;
    }

    private static boolean equals(final ByteBuf in, final int index, final int length, final byte[] expected)
    {
        if (length != expected.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (in.getByte(index + i) != expected[i])
            {
                return false;
            }
        }
        return true;
    }
}
