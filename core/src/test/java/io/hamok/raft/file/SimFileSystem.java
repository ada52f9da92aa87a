// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link FileIo} that simulates a disk with a page cache: file contents and directory entries
 * exist in two versions, what the process sees and what survives a power cut. {@code force()} makes a
 * file's content durable, {@code syncDirectory()} the set of names. Every mutating operation (create,
 * write, force, truncate, rename, delete, directory sync) is a numbered <em>point</em>; the power can be
 * cut at point N, and writes can be made to fail from point N on (a full disk).
 *
 * <p>What a power cut keeps ({@link Cut}): only what was forced; or that plus, for the file being
 * written at the cut, all its unforced writes and a prefix of the cut write (a torn write, as a file
 * system that writes a file's pages in order would leave); or everything (a process crash).
 *
 * <p>Thread-safe (the writer thread and the test thread both use it).
 */
final class SimFileSystem implements FileIo {
    enum Cut { LOSE_UNSYNCED, TORN_WRITE, KEEP_UNSYNCED }

    private static final class Inode {
        byte[] durable = new byte[0];
        byte[] current = new byte[0];
    }

    private final Map<String, Inode> names = new HashMap<>();
    private Map<String, Inode> durableNames = new HashMap<>();
    private int points;
    private int cutAt = Integer.MAX_VALUE;
    private Cut cut = Cut.LOSE_UNSYNCED;
    private int failWritesFrom = Integer.MAX_VALUE;
    private boolean powerOff;
    private Inode torn;
    private final List<String> trace = new ArrayList<>();

    /** The operations so far, numbered by point; for failure messages. */
    synchronized List<String> trace() {
        return List.copyOf(trace);
    }

    /** Cuts the power at point {@code point} (1-based): that operation and every later one throw. */
    synchronized SimFileSystem cutPowerAt(int point, Cut mode) {
        this.cutAt = point;
        this.cut = mode;
        return this;
    }

    /** Makes every write from point {@code point} on throw "No space left on device". */
    synchronized SimFileSystem failWritesFrom(int point) {
        this.failWritesFrom = point;
        return this;
    }

    synchronized int points() {
        return points;
    }

    synchronized boolean powerIsOff() {
        return powerOff;
    }

    /** The disk as a restarted machine finds it after the power cut (or now, for a process crash). */
    synchronized SimFileSystem restart() {
        final SimFileSystem next = new SimFileSystem();
        final boolean keepAll = cut == Cut.KEEP_UNSYNCED || !powerOff;
        final Map<String, Inode> survivors = keepAll ? names : durableNames;
        for (Map.Entry<String, Inode> entry : survivors.entrySet()) {
            final Inode inode = entry.getValue();
            final Inode copy = new Inode();
            copy.durable = keepAll || inode == torn ? inode.current.clone() : inode.durable.clone();
            copy.current = copy.durable.clone();
            next.names.put(entry.getKey(), copy);
        }
        next.durableNames = new HashMap<>(next.names);
        return next;
    }

    /** The current content of {@code name}, for tests that damage files. */
    synchronized byte[] content(String name) {
        return names.get(name).current.clone();
    }

    /** Replaces the content of {@code name}, durably (a test damaging a file). */
    synchronized void replace(String name, byte[] content) {
        final Inode inode = names.computeIfAbsent(name, n -> new Inode());
        inode.current = content.clone();
        inode.durable = content.clone();
        durableNames = new HashMap<>(names);
    }

    private void point(String what) throws IOException {
        if (powerOff) {
            throw new IOException("simulated power cut: the power is off (" + what + ")");
        }
        points++;
        trace.add(points + ": " + what);
        if (points >= cutAt) {
            powerOff = true;
            throw new IOException("simulated power cut at point " + points + " (" + what + ")");
        }
    }

    @Override
    public synchronized Handle open(String name) throws IOException {
        Inode inode = names.get(name);
        if (inode == null) {
            point("create " + name);
            inode = new Inode();
            names.put(name, inode);
        }
        return new SimHandle(inode, name);
    }

    @Override
    public synchronized List<String> list() throws IOException {
        if (powerOff) {
            throw new IOException("simulated power cut: the power is off");
        }
        return new ArrayList<>(names.keySet());
    }

    @Override
    public synchronized void delete(String name) throws IOException {
        if (names.containsKey(name)) {
            point("delete " + name);
            names.remove(name);
        }
    }

    @Override
    public synchronized void rename(String from, String to) throws IOException {
        point("rename " + from + " " + to);
        final Inode inode = names.remove(from);
        if (inode == null) {
            throw new IOException("no such file: " + from);
        }
        names.put(to, inode);
    }

    @Override
    public synchronized void syncDirectory() throws IOException {
        point("sync directory");
        durableNames = new HashMap<>(names);
    }

    @Override
    public String describe(String name) {
        return "sim:" + name;
    }

    private final class SimHandle implements Handle {
        private final Inode inode;
        private final String name;

        SimHandle(Inode inode, String name) {
            this.inode = inode;
            this.name = name;
        }

        @Override
        public long size() {
            synchronized (SimFileSystem.this) {
                return inode.current.length;
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            synchronized (SimFileSystem.this) {
                final byte[] data = new byte[src.remaining()];
                src.get(data);
                if (points + 1 >= failWritesFrom && !powerOff && points + 1 < cutAt) {
                    points++;
                    throw new IOException("No space left on device (simulated, writing " + name + ")");
                }
                try {
                    point("write " + name + " " + data.length + " bytes at " + position);
                } catch (IOException e) {
                    if (cut == Cut.TORN_WRITE && points == cutAt) {
                        put(Arrays.copyOf(data, data.length / 2), position);
                        torn = inode;
                    }
                    throw e;
                }
                put(data, position);
            }
        }

        private void put(byte[] data, long position) {
            final int end = (int) position + data.length;
            if (end > inode.current.length) {
                inode.current = Arrays.copyOf(inode.current, end);
            }
            System.arraycopy(data, 0, inode.current, (int) position, data.length);
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            synchronized (SimFileSystem.this) {
                if (position >= inode.current.length) {
                    return -1;
                }
                final int length = (int) Math.min(dst.remaining(), inode.current.length - position);
                dst.put(inode.current, (int) position, length);
                return length;
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (SimFileSystem.this) {
                point("truncate " + name + " to " + size);
                if (size < inode.current.length) {
                    inode.current = Arrays.copyOf(inode.current, (int) size);
                }
            }
        }

        @Override
        public void force() throws IOException {
            synchronized (SimFileSystem.this) {
                point("force " + name);
                inode.durable = inode.current.clone();
            }
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
