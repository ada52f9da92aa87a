// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;

/**
 * Source and storage ids met while applying, by their UTF-8 bytes: an id seen before comes back as
 * the same {@code String} instance without decoding, so the dedup table and the storage lookup use
 * it with no allocation (and a cached hash). Open addressing with linear probing; grows by doubling.
 *
 * <p>Holds at most {@value #MAX_IDS} ids (a cluster has a few peers and storages); past that an
 * unknown id is decoded each time without being kept. Loop thread only.
 */
final class IdCache {
    static final int MAX_IDS = 4096;

    private byte[][] keys = new byte[16][];
    private String[] ids = new String[16];
    private int[] hashes = new int[16];
    private int size;

    /** The id whose UTF-8 bytes are {@code buffer[offset, offset + length)} (valid UTF-8). */
    String id(DirectBuffer buffer, int offset, int length) {
        int h = 1;
        for (int i = 0; i < length; i++) {
            h = 31 * h + buffer.getByte(offset + i);
        }
        final int mask = keys.length - 1;
        int slot = (h ^ (h >>> 16)) & mask;
        while (keys[slot] != null) {
            if (hashes[slot] == h && Slices.equal(buffer, offset, length, keys[slot])) {
                return ids[slot];
            }
            slot = (slot + 1) & mask;
        }
        final byte[] bytes = Slices.copy(buffer, offset, length);
        final String id = new String(bytes, StandardCharsets.UTF_8);
        if (size < MAX_IDS) {
            keys[slot] = bytes;
            ids[slot] = id;
            hashes[slot] = h;
            if (++size * 2 > keys.length) {
                grow();
            }
        }
        return id;
    }

    int size() {
        return size;
    }

    private void grow() {
        final byte[][] oldKeys = keys;
        final String[] oldIds = ids;
        final int[] oldHashes = hashes;
        keys = new byte[oldKeys.length * 2][];
        ids = new String[keys.length];
        hashes = new int[keys.length];
        final int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                final int h = oldHashes[i];
                int slot = (h ^ (h >>> 16)) & mask;
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                ids[slot] = oldIds[i];
                hashes[slot] = h;
            }
        }
    }
}
