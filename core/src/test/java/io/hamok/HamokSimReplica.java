package io.hamok;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
    final List<String> violations = new ArrayList<>();
    private final Set<Object> newValues = new HashSet<>();
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
                event(mapInserted(key, value), value);
            }

            @Override
            public void onUpdated(String key, Long oldValue, Long newValue) {
                event(mapUpdated(key, oldValue, newValue), newValue);
            }

            @Override
            public void onRemoved(String key, Long oldValue) {
                event(mapRemoved(key, oldValue), null);
            }

            @Override
            public void onCleared() {
                event("M CLEARED", null);
            }
        });
        record.addListener(new RecordListener() {
            @Override
            public void onInserted(String property, Object value) {
                event(recordInserted(property, value), value);
            }

            @Override
            public void onUpdated(String property, Object oldValue, Object newValue) {
                event(recordUpdated(property, oldValue, newValue), newValue);
            }

            @Override
            public void onRemoved(String property, Object oldValue) {
                event(recordRemoved(property, oldValue), null);
            }

            @Override
            public void onCleared() {
                event("R CLEARED", null);
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

    /** Check (c), as the events arrive: a unique value becomes a new value at most once per stream. */
    private void event(String text, Object newValue) {
        events.add(text);
        if (newValue != null && !newValues.add(newValue) && violations.size() < 10) {
            violations.add("(c) " + node.id + "#" + incarnation + " applied the value " + newValue
                    + " a second time (event " + text + ", #" + events.size() + " of its stream)");
        }
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
