// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.emitter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte forms of an emitter's subscription table ({@link EmitterState}), shared by the state, the
 * typed {@code HamokEmitter} that writes requests, and snapshots. Stateless; any thread.
 *
 * <ul>
 *   <li><b>Metadata</b> of a subscription: {@code [0]} for none, {@code [1] + bytes} for the bytes
 *       the metadata codec made, so "no metadata" and "metadata that encodes to nothing" differ.</li>
 *   <li><b>Subscription key</b> (snapshot keys, event keys): the event name's UTF-8 length as a
 *       4-byte big-endian int, the event name, then the subscribed peer's id (UTF-8).</li>
 *   <li><b>Stored value</b> (snapshot values): the 8-byte big-endian id of the request that made or
 *       last renewed the subscription (a request of the subscribed peer; 0 for an imported one), then
 *       the metadata form above.</li>
 *   <li><b>Bound</b> (values of a cleanup request): an 8-byte big-endian request id.</li>
 * </ul>
 */
public final class EmitterFormat {
    /** The metadata form of "no metadata". */
    private static final byte NONE = 0;
    private static final byte SOME = 1;
    private static final int LENGTH_BYTES = Integer.BYTES;
    private static final int ID_BYTES = Long.BYTES;

    private EmitterFormat() {
    }

    /** The metadata form of {@code encoded} (the codec's bytes), or of "none" for {@code null}. */
    public static byte[] metadata(byte[] encoded) {
        if (encoded == null) {
            return new byte[] {NONE};
        }
        final byte[] out = new byte[encoded.length + 1];
        out[0] = SOME;
        System.arraycopy(encoded, 0, out, 1, encoded.length);
        return out;
    }

    /** The codec's bytes inside a metadata form, or {@code null} for "none" (a copy). */
    public static byte[] metadataBytes(byte[] form) {
        return form[0] == NONE ? null : Arrays.copyOfRange(form, 1, form.length);
    }

    static boolean isMetadata(byte[] form) {
        return form.length >= 1 && (form[0] == SOME || form[0] == NONE && form.length == 1);
    }

    /** The key of {@code peerId}'s subscription to {@code event}. */
    public static byte[] subscriptionKey(String event, String peerId) {
        final byte[] e = event.getBytes(StandardCharsets.UTF_8);
        final byte[] p = peerId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(LENGTH_BYTES + e.length + p.length).putInt(e.length).put(e).put(p).array();
    }

    /** The event of a subscription key. */
    public static String eventOf(byte[] key) {
        return new String(key, LENGTH_BYTES, eventLength(key), StandardCharsets.UTF_8);
    }

    /** The subscribed peer of a subscription key. */
    public static String peerOf(byte[] key) {
        final int start = LENGTH_BYTES + eventLength(key);
        return new String(key, start, key.length - start, StandardCharsets.UTF_8);
    }

    private static int eventLength(byte[] key) {
        return ByteBuffer.wrap(key, 0, LENGTH_BYTES).getInt();
    }

    /** A well-formed key: a non-empty event and a non-empty peer id. */
    static boolean isKey(byte[] key) {
        if (key.length < LENGTH_BYTES + 2) {
            return false;
        }
        final int eventLength = eventLength(key);
        return eventLength > 0 && eventLength < key.length - LENGTH_BYTES;
    }

    /** The stored value of a subscription made by request {@code requestId} with metadata form {@code metadata}. */
    public static byte[] storedValue(long requestId, byte[] metadata) {
        return ByteBuffer.allocate(ID_BYTES + metadata.length).putLong(requestId).put(metadata).array();
    }

    static boolean isStoredValue(byte[] value) {
        return value.length > ID_BYTES && isMetadata(Arrays.copyOfRange(value, ID_BYTES, value.length));
    }

    static long requestIdOf(byte[] storedValue) {
        return ByteBuffer.wrap(storedValue, 0, ID_BYTES).getLong();
    }

    static byte[] metadataOfStored(byte[] storedValue) {
        return Arrays.copyOfRange(storedValue, ID_BYTES, storedValue.length);
    }

    /** A cleanup bound: subscriptions made by requests up to {@code requestId} (inclusive). */
    public static byte[] bound(long requestId) {
        return ByteBuffer.allocate(ID_BYTES).putLong(requestId).array();
    }

    static boolean isBound(byte[] value) {
        return value.length == ID_BYTES;
    }

    static long boundOf(byte[] value) {
        return ByteBuffer.wrap(value).getLong();
    }
}
