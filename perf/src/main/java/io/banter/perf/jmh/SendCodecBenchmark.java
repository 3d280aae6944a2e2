package io.banter.perf.jmh;

import io.banter.codecs.MessageHeaderDecoder;
import io.banter.codecs.MessageHeaderEncoder;
import io.banter.codecs.SendDecoder;
import io.banter.codecs.SendEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * SBE encode and decode of the client {@code Send} message with a 64-byte payload.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SendCodecBenchmark
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SendEncoder encoder = new SendEncoder();
    private final SendDecoder decoder = new SendDecoder();
    private long clientMsgId;

    public SendCodecBenchmark()
    {
        encode();
    }

    @Benchmark
    public int encode()
    {
        return encoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .clientMsgId(++clientMsgId)
            .conversationId(42)
            .toUserId(0)
            .contentType(1)
            .putPayload(payload, 0, payload.capacity())
            .limit();
    }

    @Benchmark
    public long decode()
    {
        headerDecoder.wrap(buffer, 0);
        decoder.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        final long sum = decoder.clientMsgId() + decoder.conversationId() + decoder.toUserId() + decoder.contentType();
        decoder.wrapPayload(payloadView);
        return sum + payloadView.capacity();
    }
}
