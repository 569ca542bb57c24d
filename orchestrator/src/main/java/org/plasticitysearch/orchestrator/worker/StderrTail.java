package org.plasticitysearch.orchestrator.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;

/**
 * Drains a trainer's stderr on a daemon thread and keeps its last lines for a failure reason (the JVM's incubator
 * warning left out).
 */
final class StderrTail {
    static final int LINES = 30;

    private final Deque<String> lines = new ArrayDeque<>();
    private final Thread thread;

    StderrTail(InputStream stderr, String name) {
        thread = new Thread(() -> drain(stderr), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void drain(InputStream stderr) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("WARNING: Using incubator modules")) {
                    continue;
                }
                synchronized (lines) {
                    lines.addLast(line);
                    if (lines.size() > LINES) {
                        lines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process went away; its exit status tells why
        }
    }

    /** Forgets what was kept (a warm trainer starting its next trial). */
    void clear() {
        synchronized (lines) {
            lines.clear();
        }
    }

    /** Waits up to {@code millis} for the end of the stream (the process exited). */
    void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    String text() {
        synchronized (lines) {
            return String.join("\n", new ArrayList<>(lines));
        }
    }
}
