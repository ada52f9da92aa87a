// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.map.HamokMap;
import io.hamok.map.HamokMapConfig;
import io.hamok.map.MapListener;
import io.hamok.record.HamokRecord;
import io.hamok.record.HamokRecordConfig;
import io.hamok.record.RecordListener;
import java.util.ArrayList;
import java.util.List;

/**
 * One incarnation of a simulated peer as the workload sees it: its map ("accounts", String to
 * Long) and record ("config"), the stream of change events its listeners heard (in the order the
 * replica applied them), and the writes it submitted. Events are kept as short strings in the same
 * format {@link HamokSimChecker}'s model produces, so streams compare with {@code equals}.
 */
final class HamokSimReplica {
    static final String MAP_ID = "accounts";
    static final String RECORD_ID = "config";

    final HamokSimCluster.Node node;
    final int incarnation;
    final HamokMap<String, Long> map;
    final HamokRecord<HamokSimSettings> record;
    /** Whether the incarnation started from a log without a snapshot (its stream then starts at index 1). */
    final boolean startedWithoutSnapshot;
    final int snapshotsInstalledAtStart;
    final List<String> events = new ArrayList<>();
    private long submitted;
    private int snapshotsInstalledAtEnd = -1;

    HamokSimReplica(HamokSimCluster.Node node) {
        this.node = node;
        this.incarnation = node.incarnation();
        this.startedWithoutSnapshot = node.logs.snapshotIndex() == 0;
        this.snapshotsInstalledAtStart = node.logs.snapshotsInstalled();
        final Hamok hamok = node.hamok();
        this.map = hamok.createMap(HamokMapConfig.<String, Long>builder().mapId(MAP_ID)
                .keyCodec(Codecs.string()).valueCodec(Codecs.longs()).requestTimeoutMs(2_000).build());
        this.record = hamok.createRecord(HamokRecordConfig.<HamokSimSettings>builder().recordId(RECORD_ID)
                .codec(HamokSimSettings.CODEC).requestTimeoutMs(2_000).build());
        map.addListener(new MapListener<>() {
            @Override
            public void onInserted(String key, Long value) {
                events.add(mapInserted(key, value));
            }

            @Override
            public void onUpdated(String key, Long oldValue, Long newValue) {
                events.add(mapUpdated(key, oldValue, newValue));
            }

            @Override
            public void onRemoved(String key, Long oldValue) {
                events.add(mapRemoved(key, oldValue));
            }

            @Override
            public void onCleared() {
                events.add("M CLEARED");
            }
        });
        record.addListener(new RecordListener() {
            @Override
            public void onInserted(String property, Object value) {
                events.add(recordInserted(property, value));
            }

            @Override
            public void onUpdated(String property, Object oldValue, Object newValue) {
                events.add(recordUpdated(property, oldValue, newValue));
            }

            @Override
            public void onRemoved(String property, Object oldValue) {
                events.add(recordRemoved(property, oldValue));
            }

            @Override
            public void onCleared() {
                events.add("R CLEARED");
            }
        });
    }

    static String mapInserted(String key, Object value) {
        return "M INS " + key + "=" + value;
    }

    static String mapUpdated(String key, Object oldValue, Object newValue) {
        return "M UPD " + key + " " + oldValue + "->" + newValue;
    }

    static String mapRemoved(String key, Object oldValue) {
        return "M REM " + key + " " + oldValue;
    }

    static String recordInserted(String property, Object value) {
        return "R INS " + property + "=" + value;
    }

    static String recordUpdated(String property, Object oldValue, Object newValue) {
        return "R UPD " + property + " " + oldValue + "->" + newValue;
    }

    static String recordRemoved(String property, Object oldValue) {
        return "R REM " + property + " " + oldValue;
    }

    /** The 1-based position of the next write among the writes this incarnation submitted. */
    long nextOrdinal() {
        return ++submitted;
    }

    long submitted() {
        return submitted;
    }

    /** The incarnation was crashed: later snapshots are another incarnation's. */
    void ended() {
        snapshotsInstalledAtEnd = node.logs.snapshotsInstalled();
    }

    /** Whether no snapshot from a leader replaced this incarnation's state while it ran. */
    boolean noSnapshotInstalled() {
        final int atEnd = snapshotsInstalledAtEnd >= 0 ? snapshotsInstalledAtEnd : node.logs.snapshotsInstalled();
        return atEnd == snapshotsInstalledAtStart;
    }

    boolean alive() {
        return node.alive() && node.incarnation() == incarnation;
    }

    @Override
    public String toString() {
        return node.id + "#" + incarnation;
    }
}
