// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.internal;

import io.hamok.raft.LogEntryView;
import io.hamok.raft.RaftLogs;
import io.hamok.state.ReplicatedStorages;
import io.hamok.state.StorageRequest;

/**
 * Where a peer's request ids start: above every id its earlier incarnations used. The clock says
 * where a fresh process is; a restart on a kept log also finds its own requests in the restored
 * dedup table and in the entries after the snapshot (scanned once, at construction).
 */
public final class RequestIds {
    private RequestIds() {
    }

    public static long first(String peerId, ReplicatedStorages state, RaftLogs logs, long nowMs) {
        return Math.max(nowMs << 20, highestOwn(peerId, state, logs) + 1);
    }

    private static long highestOwn(String peerId, ReplicatedStorages state, RaftLogs logs) {
        long highest = state.highestRequestId(peerId);
        final LogEntryView view = new LogEntryView();
        for (long i = logs.firstIndex(); i <= logs.lastIndex(); i++) {
            logs.read(i, view);
            if (view.type() != LogEntryView.NORMAL) {
                continue;
            }
            final byte[] payload = new byte[view.payloadLength()];
            view.payload().getBytes(0, payload);
            try {
                final StorageRequest r = StorageRequest.fromBytes(payload);
                if (peerId.equals(r.sourceId()) && Long.compareUnsigned(r.requestId(), highest) > 0) {
                    highest = r.requestId();
                }
            } catch (IllegalArgumentException notAStorageRequest) {
                // another kind of entry: no request id in it
            }
        }
        return highest;
    }
}
