// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.emitter;

import io.hamok.Codec;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An event of a {@link HamokEmitter}: its name and the codec of its payload. Make one per event and
 * use it everywhere (it is immutable and thread-safe):
 *
 * <pre>{@code
 * static final EmitterEvent<String> PRICE_CHANGED = EmitterEvent.of("price-changed", Codecs.string());
 * emitter.subscribe(PRICE_CHANGED, (price, fromPeer) -> ...);
 * emitter.publish(PRICE_CHANGED, "42.1");
 * }</pre>
 *
 * <p>Payload codecs are per event: every peer must use equal codecs for one event name (the payload
 * crosses the network as the codec's bytes). One emitter refuses a second codec for a name it has
 * seen ({@link io.hamok.StorageCodecMismatchException}); a receiver whose codec cannot decode a payload does
 * not call its listeners, logs it, counts it ({@link EmitterStats#decodeFailures()}) and answers a
 * publish with "not delivered".
 *
 * @param <P> the payload type
 */
public final class EmitterEvent<P> {
    private final String name;
    private final Codec<P> payloadCodec;
    private final byte[] nameBytes;

    private EmitterEvent(String name, Codec<P> payloadCodec) {
        this.name = name;
        this.payloadCodec = payloadCodec;
        this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param name         non-blank; the key of the subscription table
     * @param payloadCodec encodes and decodes this event's payloads
     * @throws IllegalArgumentException naming the bad argument
     */
    public static <P> EmitterEvent<P> of(String name, Codec<P> payloadCodec) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must be a non-blank string, was "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        if (payloadCodec == null) {
            throw new IllegalArgumentException("payloadCodec is required (e.g. Codecs.string())");
        }
        return new EmitterEvent<>(name, payloadCodec);
    }

    public String name() {
        return name;
    }

    public Codec<P> payloadCodec() {
        return payloadCodec;
    }

    /** The name's UTF-8 bytes (shared: do not modify). */
    byte[] nameBytes() {
        return nameBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmitterEvent<?> e && name.equals(e.name) && payloadCodec.equals(e.payloadCodec);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, payloadCodec);
    }

    @Override
    public String toString() {
        return "EmitterEvent{" + name + ", " + payloadCodec + "}";
    }
}
