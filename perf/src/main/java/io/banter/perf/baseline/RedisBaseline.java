package io.banter.perf.baseline;

import io.banter.access.cli.Args;
import io.banter.perf.latency.LatencyReport;
import io.banter.perf.load.LoadGenerator;
import io.banter.perf.load.LoadResult;
import io.banter.perf.load.LoadStats;
import io.banter.perf.load.PercentilePlot;
import io.banter.replica.drill.OpenLoopSchedule;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code banter bench baseline}: the seeds' own design for 1:1 chat (seed 001, "all data in
 * Redis") driven on the same schedule as {@code bench direct}. Each message stores its entity
 * ({@code HSET msg:<id>}), adds a reference to the recipient's queue ({@code ZADD queue:<user>}, the
 * score keeps order) and is pushed with {@code PUBLISH user:<recipient>}; one subscriber
 * connection, subscribed to every user's channel, plays the push gateway. Latency runs from the
 * intended send time to the subscriber receiving the message. The harness starts
 * {@code redis-server} (Debian's package) on a port of its own, without persistence, and stops it.
 */
public final class RedisBaseline
{
    static final String USAGE = String.join("\n",
        "usage: bin/banter bench baseline [options]",
        "",
        "  --connections N   users (one pub/sub channel and one queue each)            [2000]",
        "  --rate R          messages per second                                       [5000]",
        "  --duration S      measured seconds                                          [20]",
        "  --warmup S        seconds sent before measuring                             [10]",
        "  --senders K       pipelined connections the sends are spread over           [4]",
        "  --port P          the redis-server's port                                   [6390]",
        "  --results DIR     where the report and the plot go                          [perf/results]",
        "  --plot            also write the latency-by-percentile chart (SVG)",
        "",
        "Needs redis-server on the PATH (Debian: apt-get install redis-server).");

    private static final Set<String> VALUED =
        Set.of("connections", "rate", "duration", "warmup", "senders", "port", "results");
    private static final int PAYLOAD_LENGTH = 64;

    private final int users;
    private final int rate;
    private final int durationS;
    private final int warmupS;
    private final int senderCount;
    private final int port;
    private final Path results;
    private final boolean plot;
    private final LoadStats stats = new LoadStats();
    private final LongAdder answers = new LongAdder();
    private final LongAdder errors = new LongAdder();

    private RedisBaseline(final Args args)
    {
        users = args.getInt("connections", 2000);
        rate = args.getInt("rate", 5000);
        durationS = args.getInt("duration", 20);
        warmupS = args.getInt("warmup", 10);
        senderCount = args.getInt("senders", 4);
        port = args.getInt("port", 6390);
        results = Path.of(args.get("results", "perf/results"));
        plot = args.has("plot");
    }

    public static void main(final String[] argv) throws Exception
    {
        final Args args = Args.parse(argv, 0, VALUED, Set.of("plot"));
        if (args.has("help"))
        {
            System.out.println(USAGE);
            return;
        }
        System.exit(0 == run(args).errors() ? 0 : 1);
    }

    /**
     * Run the baseline with these options; the report is printed and written as for the command line.
     */
    public static LoadResult run(final Args args) throws Exception
    {
        return new RedisBaseline(args).run();
    }

    private LoadResult run() throws Exception
    {
        final File log = File.createTempFile("banter-baseline-redis-", ".log");
        final Process redis = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--protected-mode", "no")
            .redirectErrorStream(true).redirectOutput(log).start();
        final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("baseline-io", true),
            NioIoHandler.newFactory());
        try
        {
            System.out.println("bench baseline: redis-server on port " + port + " (log " + log + ")");
            final Channel subscriber = connect(loops, new RespReader.Listener()
            {
                public void onAnswer(final boolean error)
                {
                    answers.increment();
                }

                public void onPubSubMessage(final ByteBuf buffer, final int index, final int length)
                {
                    stats.onDelivered(buffer.getLong(index), buffer.getLong(index + 8), System.nanoTime());
                }
            });
            subscribeAll(subscriber);
            final List<Channel> senders = new ArrayList<>();
            for (int i = 0; i < senderCount; i++)
            {
                senders.add(connect(loops, new RespReader.Listener()
                {
                    public void onAnswer(final boolean error)
                    {
                        if (error)
                        {
                            errors.increment();
                        }
                    }

                    public void onPubSubMessage(final ByteBuf buffer, final int index, final int length)
                    {
                    }
                }));
            }
            return measure(senders);
        }
        finally
        {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(log.toPath());
        }
    }

    private Channel connect(final EventLoopGroup loops, final RespReader.Listener listener) throws InterruptedException
    {
        final Bootstrap bootstrap = new Bootstrap().group(loops).channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                protected void initChannel(final SocketChannel channel)
                {
                    channel.pipeline().addLast(new RespReader(listener));
                }
            });
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true)
        {
            try
            {
                return bootstrap.connect("127.0.0.1", port).sync().channel();
            }
            catch (final Exception ex)
            {
                if (System.nanoTime() > deadlineNs)
                {
                    throw new IllegalStateException("redis-server did not accept connections on port " + port, ex);
                }
                Thread.sleep(100);
            }
        }
    }

    private void subscribeAll(final Channel subscriber) throws InterruptedException
    {
        final List<byte[]> command = new ArrayList<>();
        command.add(ascii("SUBSCRIBE"));
        for (int user = 0; user < users; user++)
        {
            command.add(ascii("user:" + user));
        }
        final ByteBuf out = subscriber.alloc().directBuffer();
        RespWriter.command(out, command.toArray(new byte[0][]));
        subscriber.writeAndFlush(out).sync();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (answers.sum() < users)
        {
            if (System.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("only " + answers.sum() + " of " + users + " subscriptions confirmed");
            }
            Thread.sleep(20);
        }
        System.out.println("bench baseline: subscribed to " + users + " user channels");
    }

    private LoadResult measure(final List<Channel> senders) throws InterruptedException, IOException
    {
        final long warmupMessages = (long)rate * warmupS;
        final long total = warmupMessages + (long)rate * durationS;
        stats.measureFromMessage = warmupMessages;
        final byte[] payload = new byte[PAYLOAD_LENGTH];
        final java.nio.ByteBuffer payloadView = java.nio.ByteBuffer.wrap(payload);
        final byte[] hset = ascii("HSET");
        final byte[] zadd = ascii("ZADD");
        final byte[] publish = ascii("PUBLISH");
        final byte[] body = ascii("body");
        final long startNs = System.nanoTime();
        final OpenLoopSchedule schedule = new OpenLoopSchedule(startNs, rate);
        long nextProgressNs = startNs + TimeUnit.SECONDS.toNanos(1);
        for (long k = 0; k < total; k++)
        {
            final long dueNs = schedule.awaitDue(k);
            final int recipient = (int)((k + 1) % users);
            final byte[] id = ascii(Long.toString(k));
            final Channel sender = senders.get((int)(k % senders.size()));
            final ByteBuf out = sender.alloc().directBuffer(3 * (PAYLOAD_LENGTH + 64));
            payloadView.putLong(0, dueNs).putLong(8, k); // big-endian, as the subscriber reads them
            RespWriter.command(out, hset, concat("msg:", id), body, payload);
            RespWriter.command(out, zadd, ascii("queue:" + recipient), id, id);
            RespWriter.command(out, publish, ascii("user:" + recipient), payload);
            sender.writeAndFlush(out, sender.voidPromise());
            if (System.nanoTime() >= nextProgressNs)
            {
                nextProgressNs += TimeUnit.SECONDS.toNanos(1);
                System.out.printf("\r%5.0f s  sent %d/%d  delivered %d  errors %d   ",
                    (System.nanoTime() - startNs) / 1e9, k + 1, total, stats.delivered.sum(), errors.sum());
            }
        }
        final long drainDeadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (stats.delivered.sum() < total && System.nanoTime() < drainDeadlineNs)
        {
            Thread.sleep(20);
        }
        final Histogram histogram = stats.latency.getIntervalHistogram();
        final long lost = total - stats.delivered.sum();
        final String text = "Banter bench baseline (seed 001: Redis pub/sub push + sorted-set queues), " +
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + "\n" +
            "machine: " + LatencyReport.machine() + "\n" +
            "setup:   redis-server (no persistence) in a child process; HSET + ZADD + PUBLISH per message over " +
            senders.size() + " pipelined connections, one subscriber connection on " + users +
            " user channels, loopback\n\n" +
            LoadGenerator.table(String.format(Locale.ROOT, "Redis 1:1 send -> pub/sub, %d users", users),
                rate, stats.measuredDelivered.sum() / (double)durationS, histogram, errors.sum() + lost) +
            String.format(Locale.ROOT, "%nsent %d (warm-up %d), delivered %d, redis errors %d, not delivered %d%n",
                total, warmupMessages, stats.delivered.sum(), errors.sum(), lost);
        System.out.println();
        System.out.print(text);
        Files.createDirectories(results);
        final Path report = results.resolve(LocalDate.now() + "-baseline-" + users + "c-" + rate + "r.txt");
        Files.writeString(report, text);
        System.out.println("written to " + report);
        if (plot)
        {
            final Path svg = results.resolve(LocalDate.now() + "-baseline-" + users + "c-" + rate + "r.svg");
            PercentilePlot.write(svg, "Redis baseline 1:1 send -> pub/sub, " + users + " users, " + rate + " msg/s",
                histogram);
            System.out.println("plot: " + svg);
        }
        return new LoadResult("Redis baseline", rate, stats.measuredDelivered.sum() / (double)durationS, histogram,
            errors.sum() + lost);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(final String prefix, final byte[] suffix)
    {
        final byte[] head = ascii(prefix);
        final byte[] whole = new byte[head.length + suffix.length];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(suffix, 0, whole, head.length, suffix.length);
        return whole;
    }
}
