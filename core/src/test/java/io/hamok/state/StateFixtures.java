// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import io.hamok.raft.StateMachine;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shorthands for state tests: UTF-8 bytes, requests, and feeding payloads to a state machine. */
final class StateFixtures {
    static final byte[] EMPTY = new byte[0];

    private StateFixtures() {
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static List<byte[]> bs(String... strings) {
        final List<byte[]> out = new ArrayList<>(strings.length);
        for (String x : strings) {
            out.add(b(x));
        }
        return out;
    }

    static List<String> strings(List<byte[]> list) {
        return list.stream().map(StateFixtures::s).toList();
    }

    static StorageRequest request(String source, long id, StorageKind kind, String storage, RequestType type,
                                  List<byte[]> keys, List<byte[]> values, byte[] prev) {
        return new StorageRequest(source, id, kind, storage, type, keys, values, prev);
    }

    static StorageRequest map(long id, String storage, RequestType type, List<byte[]> keys, List<byte[]> values) {
        return request("peer-a", id, StorageKind.MAP, storage, type, keys, values, null);
    }

    /** Feeds {@code payload} as log entry {@code index} (term 1, timestamp 1000 + index), at an offset. */
    static void feed(StateMachine sm, long index, byte[] payload) {
        final byte[] framed = new byte[payload.length + 3];
        System.arraycopy(payload, 0, framed, 3, payload.length);
        sm.apply(index, 1, 1000 + index, new UnsafeBuffer(framed), 3, payload.length);
    }

    static void feed(StateMachine sm, long index, StorageRequest request) {
        feed(sm, index, request.toBytes());
    }

    static boolean same(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
