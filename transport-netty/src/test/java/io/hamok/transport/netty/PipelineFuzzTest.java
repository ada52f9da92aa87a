// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.TransportCounters;
import io.hamok.wire.HandshakeReader;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.MessageType;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.hamok.transport.netty.FuzzInputs.PEER_MAX;
import static io.hamok.transport.netty.FuzzInputs.STRANGER_MAX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzes the frame decoder and the handshake: each input is one connection's byte stream from
 * {@link FuzzInputs}, fed in random reads into the real pipeline of a fresh connection (acceptor or
 * dialer, a stranger or already handshaken; TLS off, virtual time; {@code maxFrameBytes} 4 KiB so
 * that the stranger's 1 KiB limit is a different one). Per input: no exception escapes; nothing is
 * left unreleased; the decoder of a stranger never holds more than one 1 KiB frame; past the
 * handshake timeout the connection is closed or handshaken, with the outcome, the frames handed on
 * and the counters a model of the protocol predicts (a refused stranger: one refusal, no frame);
 * and every HANDSHAKE message generated reads the same with {@link HandshakeReader} and protobuf
 * ({@link HandshakeDifferential}).
 *
 * <p>Budget {@code -Dhamok.fuzz.inputs} (default 150,000: about 20 s), seeds from {@code -Dhamok.fuzz.seed};
 * input {@code i} uses seed {@code hamok.fuzz.seed + i * 0x9E3779B97F4A7C15}, so a failure's seed
 * with {@code -Dhamok.fuzz.inputs=1} replays it. A million: see docs/design.md, "Fuzzing".
 */
@ExtendWith(LeakCheckExtension.class)
class PipelineFuzzTest {
    private static final int INPUTS = Integer.getInteger("hamok.fuzz.inputs", 150_000);
    private static final long SEED = Long.getLong("hamok.fuzz.seed", 0x4841_4D4F_4B46_555AL);
    private static final long GAMMA = 0x9E37_79B9_7F4A_7C15L;
    /** Netty's leak detector looks only after a collection: run one every so many inputs. */
    private static final int LEAK_CHECK_EVERY = 25_000;
    private static final long TIMEOUT_MS = 1000;
    private static final Method CUMULATED = cumulated();
    /** slf4j-simple's level ERROR. */
    private static final int ERROR = 40;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final HandshakeDifferential differential = new HandshakeDifferential();
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private volatile long currentSeed;

    @Test
    @Timeout(value = 12, unit = TimeUnit.HOURS) // the real limit, proportional to the budget, is below
    void shouldSurviveGeneratedStreamsAndReadHandshakesLikeProtobuf() {
        Duration limit = Duration.ofSeconds(300 + INPUTS / 250);
        long started = System.nanoTime();
        // every connection has its own context, so its first refusal is logged, and every link at INFO
        int[] levels = {quietLogs(HandshakeHandler.class, ERROR), quietLogs(RefusalLog.class, ERROR)};
        try {
            assertTimeoutPreemptively(limit, this::run, () -> "not done within " + limit + " (a stall?), at seed "
                    + currentSeed + " (-Dhamok.fuzz.seed=" + currentSeed + " -Dhamok.fuzz.inputs=1)");
        } finally {
            quietLogs(HandshakeHandler.class, levels[0]);
            quietLogs(RefusalLog.class, levels[1]);
        }
        System.out.printf("PipelineFuzzTest: %,d inputs from seed %d in %.1f s; outcomes %s; HANDSHAKE messages %s%n",
                INPUTS, SEED, (System.nanoTime() - started) / 1e9, outcomes,
                Arrays.toString(HandshakeDifferential.Verdict.values()) + "=" + Arrays.toString(differential.counts));
    }

    private void run() throws InterruptedException {
        for (int i = 0; i < INPUTS; i++) {
            currentSeed = SEED + i * GAMMA;
            fuzz(currentSeed);
            if ((i + 1) % LEAK_CHECK_EVERY == 0 || i + 1 == INPUTS) {
                List<String> leaks = LeakCheckExtension.collectLeaks();
                assertTrue(leaks.isEmpty(), () -> "Netty reported leaks in inputs up to seed " + currentSeed + ":\n"
                        + String.join("\n\n", leaks));
            }
        }
    }

    private void fuzz(long seed) {
        FuzzInputs gen = new FuzzInputs(seed);
        boolean acceptor = gen.rnd.nextBoolean();
        boolean handshaken = gen.rnd.nextInt(3) == 0;
        boolean direct = gen.rnd.nextBoolean();
        String from = acceptor ? "a" : "c";
        byte[] stream = gen.stream(from);
        int[] reads = gen.chunks(stream.length);
        for (int i = 0; i < 3; i++) {
            gen.handshakes.handshake(from);
        }
        Supplier<String> input = () -> "seed " + seed + " (-Dhamok.fuzz.seed=" + seed + " -Dhamok.fuzz.inputs=1): "
                + (acceptor ? "acceptor" : "dialer") + (handshaken ? " after its handshake" : "") + ", "
                + (direct ? "direct" : "heap") + " reads of " + Arrays.toString(reads) + " bytes of "
                + HexFormat.of().formatHex(stream);
        for (byte[] message : gen.handshakes.made) {
            String differs = differential.check(message);
            if (differs != null) {
                fail("HandshakeReader and protobuf differ on " + HexFormat.of().formatHex(message) + ": " + differs
                        + "\nin " + input.get());
            }
        }
        try {
            ExpectedOutcome expected = ExpectedOutcome.of(stream, from, handshaken, acceptor);
            connection(acceptor, from, handshaken, direct, stream, reads, expected);
            outcomes.merge(expected.name(), 1, Integer::sum);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e + "\nin " + input.get(), e);
        }
    }

    private void connection(boolean acceptor, String from, boolean handshaken, boolean direct, byte[] stream,
                            int[] reads, ExpectedOutcome expected) {
        RecordingInboundFrames inbound = new RecordingInboundFrames();
        TransportContext context = new TransportContext(NettyTransportConfig.builder().tls(TlsConfig.off())
                .localPeerId(EmbeddedConnection.LOCAL).peers("a@127.0.0.1:7001, b@127.0.0.1:7002, c@127.0.0.1:7003")
                .clusterId(EmbeddedConnection.CLUSTER).maxFrameBytes(PEER_MAX).perPeerOutboundBytes(4096)
                .handshakeTimeoutMs(TIMEOUT_MS).build(), new TransportCounters());
        context.inbound(inbound);
        EmbeddedChannel channel = new EmbeddedChannel(false, false, new PeerChannelInitializer(context,
                acceptor ? HandshakeHandler.Role.ACCEPTOR : HandshakeHandler.Role.DIALER, acceptor ? null : from));
        channel.config().setAllocator(alloc);
        register(channel);
        FrameDecoder decoder = channel.pipeline().get(FrameDecoder.class);
        PeerLink link = context.link(from);
        TransportCounters counters = context.counters();
        if (handshaken) {
            byte[] hello = TestFrames.handshake(NettyTransport.PROTOCOL_VERSION, EmbeddedConnection.CLUSTER, from);
            channel.writeInbound(alloc.buffer().writeInt(hello.length).writeBytes(hello));
            channel.runPendingTasks();
            assertSame(channel, link.channel(), "handshake of the starting state");
            TestFrames.unframe(outbound(channel));
        }
        int fed = 0;
        for (int n : reads) {
            if (!channel.isOpen()) {
                break; // a closed socket reads no more
            }
            ByteBuf read = direct ? alloc.directBuffer(n) : alloc.heapBuffer(n);
            channel.writeInbound(read.writeBytes(stream, fed, n));
            fed += n;
            channel.runPendingTasks();
            channel.checkException();
            int held = cumulated(decoder);
            boolean trusted = Boolean.TRUE.equals(channel.attr(HandshakeHandler.HANDSHAKEN).get());
            int bound = Integer.BYTES + (trusted ? PEER_MAX : STRANGER_MAX);
            int after = fed;
            assertTrue(held <= bound, () -> "the decoder holds " + held + " bytes after " + after + " read, at most "
                    + bound);
        }
        channel.advanceTimeBy(TIMEOUT_MS + 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        channel.checkException();

        List<byte[]> written = TestFrames.unframe(outbound(channel));
        List<RecordingInboundFrames.Frame> frames = inbound.frames();
        assertEquals(1, counters.connectionsOpened(), "connections opened");
        assertEquals(channel.isOpen() ? 0 : 1, counters.connectionsClosed(), "connections closed");
        if (expected.refusal() != null) {
            assertFalse(channel.isOpen(), "a stranger still open past the handshake timeout");
            assertEquals(0, link.attachments(), "a refused stranger became the link");
            assertEquals(0, inbound.offers(), "a stranger's frames were handed on");
            assertEquals(1, counters.refusals(), () -> "refusals, " + counters);
            assertEquals(1, counters.refusals(expected.refusal()), () -> "refusals for " + expected.refusal() + ", "
                    + counters);
            assertEquals(1, counters.handshakeFailures(), "handshake failures");
            assertEquals(0, counters.malformedFrames(), () -> "a stranger's refusal counted as a malformed frame: "
                    + counters);
            assertEquals(acceptor ? 0 : 1, written.size(), "messages written to a refused stranger");
        } else {
            assertEquals(expected.open(), channel.isActive(), "open");
            PeerLink peerLink = context.link(expected.peer()); // a guest's link goes with its connection
            assertSame(expected.open() ? channel : null, peerLink == null ? null : peerLink.channel(), "the peer's link");
            assertEquals(0, counters.refusals(), () -> "refusals, " + counters);
            assertEquals(expected.open() ? 0 : 1, counters.malformedFrames(), () -> "malformed frames, " + counters);
            assertEquals(expected.frames().size(), frames.size(), "frames handed on");
            long bytes = 0;
            for (int i = 0; i < frames.size(); i++) {
                assertEquals(expected.peer(), frames.get(i).from());
                assertArrayEquals(expected.frames().get(i), frames.get(i).bytes(), "frame " + i);
                bytes += frames.get(i).bytes().length;
            }
            assertEquals(frames.size(), counters.framesReceived(), "frames received");
            assertEquals(bytes, counters.bytesReceived(), "bytes received");
            assertEquals(expected.keepalives(), counters.keepalivesReceived(), "keepalives received");
            assertEquals(handshaken ? 0 : 1, written.size(), "handshakes written");
        }
        for (byte[] message : written) {
            HamokMessage hello = parse(message);
            assertEquals(MessageType.HANDSHAKE, hello.getType());
            assertEquals(EmbeddedConnection.LOCAL, hello.getSourceId());
        }
        channel.checkException();
        channel.finishAndReleaseAll();
        int unreleased = alloc.unreleasedAndForget();
        assertEquals(0, unreleased, "buffers not released");
    }

    private static List<ByteBuf> outbound(EmbeddedChannel channel) {
        List<ByteBuf> out = new ArrayList<>();
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            out.add((ByteBuf) msg);
        }
        return out;
    }

    private static void register(EmbeddedChannel channel) {
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HamokMessage parse(byte[] message) {
        try {
            return HamokMessage.parseFrom(message);
        } catch (Exception e) {
            throw new AssertionError("wrote a message that is not one: " + HexFormat.of().formatHex(message), e);
        }
    }

    /** The bytes the decoder holds: {@code ByteToMessageDecoder.actualReadableBytes()}, protected. */
    private static int cumulated(FrameDecoder decoder) {
        try {
            return (int) CUMULATED.invoke(decoder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method cumulated() {
        try {
            Method m = ByteToMessageDecoder.class.getDeclaredMethod("actualReadableBytes");
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets the level of {@code owner}'s slf4j-simple logger (if it is one); returns the previous level. */
    private static int quietLogs(Class<?> owner, int level) {
        Object logger = LoggerFactory.getLogger(owner);
        for (Class<?> c = logger.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField("currentLogLevel");
                f.setAccessible(true);
                int previous = f.getInt(logger);
                f.setInt(logger, level);
                return previous;
            } catch (NoSuchFieldException | IllegalAccessException e) {
                // not this class: look further up
            }
        }
        return level;
    }
}
