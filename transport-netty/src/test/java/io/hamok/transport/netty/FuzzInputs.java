// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.transport.netty;

import io.hamok.transport.netty.FuzzHandshakes.Out;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The seeded, structure-aware input generator of {@link PipelineFuzzTest}: one instance per input,
 * everything it makes follows from the seed. A connection's bytes are HANDSHAKE messages
 * ({@link FuzzHandshakes}), right or not, behind a right or a corrupted length prefix (negative,
 * zero, just over 1 KiB, huge, off by one), then frames: empty, small, at the frame limits and one
 * over, raw garbage; or random bytes; or a whole stream mutated. Then where to cut it into reads.
 */
final class FuzzInputs {
    /** {@code maxFrameBytes} of the fuzzed connections; strangers are held to {@link #STRANGER_MAX}. */
    static final int PEER_MAX = 4096;
    static final int STRANGER_MAX = FrameDecoder.HANDSHAKE_MAX_FRAME_BYTES;

    private static final int[] LENGTHS = {-1, Integer.MIN_VALUE, 0, STRANGER_MAX, STRANGER_MAX + 1, PEER_MAX,
        PEER_MAX + 1, Integer.MAX_VALUE, 0x0100_0000};

    final SplittableRandom rnd;
    /** The HANDSHAKE messages, and every one made for this input. */
    final FuzzHandshakes handshakes;
    /** Where the frames of the last {@link #stream} start (before any mutation of the whole). */
    private List<Integer> frameStarts = List.of();

    FuzzInputs(long seed) {
        rnd = new SplittableRandom(seed);
        handshakes = new FuzzHandshakes(rnd);
    }

    // --- whole connections ---

    /** A connection's byte stream: the peer {@code from} opens it (or not) and goes on sending frames. */
    byte[] stream(String from) {
        Out out = new Out();
        switch (rnd.nextInt(12)) {
            case 0 -> out.bytes(handshakes.random(rnd.nextInt(rnd.nextBoolean() ? 40 : 2200)));
            case 1, 2, 3 -> out.frame(handshakes.handshake(from), lengthPrefix());
            case 4 -> { // some bytes of a valid handshake, never the rest: a slow or stuck stranger
                Out h = new Out();
                h.frame(handshakes.valid(from), -2);
                out.bytes(Arrays.copyOf(h.toByteArray(), rnd.nextInt(h.size())));
            }
            case 5 -> {
                out.bytes(handshakes.mutate(stream(from)));
                out.starts.addAll(frameStarts); // roughly: the mutations move them a little
            }
            default -> {
                byte[] hello = rnd.nextInt(4) == 0 ? handshakes.handshake(from) : handshakes.valid(from);
                out.frame(hello, rnd.nextInt(8) == 0 ? lengthPrefix() : -2);
                for (int n = rnd.nextInt(7); n > 0; n--) {
                    frame(out, from);
                }
            }
        }
        frameStarts = out.starts;
        return out.toByteArray();
    }

    /** One frame after the handshake (or garbage where one should be). */
    private void frame(Out out, String from) {
        switch (rnd.nextInt(12)) {
            case 0, 1 -> out.frame(new byte[0], -2); // keepalive-like
            case 2 -> out.frame(handshakes.random(PEER_MAX), -2);
            case 3 -> out.frame(handshakes.random(rnd.nextBoolean() ? STRANGER_MAX : STRANGER_MAX + 1), -2);
            case 4 -> out.frame(handshakes.random(PEER_MAX + 1), -2); // one over: fails on its length alone
            case 5 -> out.frame(handshakes.random(rnd.nextInt(PEER_MAX)), lengthPrefix());
            case 6 -> out.frame(handshakes.handshake(from), -2);
            case 7 -> out.bytes(handshakes.random(1 + rnd.nextInt(12))); // garbage instead of a frame
            default -> out.frame(handshakes.random(rnd.nextInt(64)), -2);
        }
    }

    /**
     * Where to cut the last {@link #stream} into reads: all of it at once, byte by byte, or at a few
     * random places and near the frames' starts (inside a length prefix, right after it, just before).
     *
     * @return the size of each read, summing to {@code length}
     */
    int[] chunks(int length) {
        int choice = rnd.nextInt(10);
        if (length == 0 || choice < 2) {
            return length == 0 ? new int[0] : new int[] {length};
        }
        if (choice == 2 && length <= 600) {
            int[] ones = new int[length];
            Arrays.fill(ones, 1);
            return ones;
        }
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int n = rnd.nextInt(1, 17); n > 0; n--) {
            cuts.add(rnd.nextInt(length));
        }
        for (int start : frameStarts) {
            if (rnd.nextBoolean()) {
                cuts.add(start + rnd.nextInt(-2, 6));
            }
        }
        cuts.add(length);
        List<Integer> sizes = new ArrayList<>();
        int last = 0;
        for (int cut : cuts.subSet(1, true, length, true)) {
            sizes.add(cut - last);
            last = cut;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** -2 for the right length prefix, else a wrong one. */
    private int lengthPrefix() {
        return rnd.nextInt(3) > 0 ? -2 : rnd.nextInt(4) == 0 ? rnd.nextInt() : handshakes.pick(LENGTHS);
    }

}
