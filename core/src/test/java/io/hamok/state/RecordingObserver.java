// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.state;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Records what a {@link ReplicatedStorages} reported, as comparable text lines, in order. */
final class RecordingObserver implements ReplicatedStorages.Observer {
    final List<String> lines = new ArrayList<>();
    final List<StorageEvent> events = new ArrayList<>();
    final List<StorageResult> results = new ArrayList<>();
    int duplicates;
    int rawEntries;

    @Override
    public void onApplied(RequestView request, ResultView view, long index, long timestampMs) {
        final StorageResult result = view.toResult(); // the view is reused: keep a copy
        results.add(result);
        lines.add("applied " + index + " @" + timestampMs + " " + request.sourceId() + "#" + request.requestId()
                + " " + result.applied() + " keys=" + text(result.keys()) + " values=" + text(result.values())
                + " error=" + result.error());
    }

    @Override
    public void onDuplicate(RequestView request, long index) {
        duplicates++;
        lines.add("duplicate " + index + " " + request.sourceId() + "#" + request.requestId());
    }

    @Override
    public void onEvent(StorageEvent event) {
        events.add(event.copy()); // the event is reused: keep a copy
        lines.add("event " + describe(event));
    }

    @Override
    public void onRawEntry(long index, long term, long timestampMs, DirectBuffer payload, int offset, int length) {
        rawEntries++;
        lines.add("raw " + index + " " + length);
    }

    void clear() {
        lines.clear();
        events.clear();
        results.clear();
    }

    static String describe(StorageEvent e) {
        return e.type() + " " + e.storageId() + " " + StateFixtures.s(e.key()) + " " + StateFixtures.s(e.oldValue())
                + "->" + StateFixtures.s(e.newValue());
    }

    private static String text(List<byte[]> list) {
        final List<String> out = new ArrayList<>();
        for (byte[] b : list) {
            out.add(Arrays.toString(b));
        }
        return out.toString();
    }
}
