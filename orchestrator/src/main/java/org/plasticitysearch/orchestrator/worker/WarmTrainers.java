package org.plasticitysearch.orchestrator.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Idle {@code trainer loop} processes, by command (the heap is part of it). A trial takes one (or starts one), writes
 * its spec as a line, and hands the process back when the trainer's {@code end} event arrives; a process that died,
 * was killed, or did not end its trial is dropped.
 */
final class WarmTrainers {
    private final Deque<WarmProcess> idle = new ArrayDeque<>();

    TrainerLauncher.Running start(List<String> command, String specJson, Consumer<JsonNode> onEvent)
            throws IOException {
        WarmProcess p = take(command);
        if (p == null) {
            p = new WarmProcess(command);
        }
        return p.begin(specJson.replace('\n', ' '), onEvent);
    }

    private synchronized WarmProcess take(List<String> command) {
        for (var it = idle.iterator(); it.hasNext(); ) {
            WarmProcess p = it.next();
            if (!p.process.isAlive()) {
                it.remove();
            } else if (p.command.equals(command)) {
                it.remove();
                return p;
            }
        }
        return null;
    }

    private synchronized void giveBack(WarmProcess p) {
        idle.addLast(p);
    }

    synchronized void closeIdle() {
        for (WarmProcess p : idle) {
            p.close();
        }
        idle.clear();
    }

    /** One trainer JVM running {@code loop}, and its reader threads. */
    private final class WarmProcess {
        final List<String> command;
        final Process process;
        final OutputStream stdin;
        private final StderrTail stderr;
        private volatile Trial current;

        WarmProcess(List<String> command) throws IOException {
            this.command = command;
            List<String> cmd = new ArrayList<>(command);
            cmd.add("loop");
            process = new ProcessBuilder(cmd).start();
            stdin = process.getOutputStream();
            stderr = new StderrTail(process.getErrorStream(), "trainer-stderr-" + process.pid());
            Thread out = new Thread(this::readEvents, "trainer-stdout-" + process.pid());
            out.setDaemon(true);
            out.start();
        }

        Trial begin(String specLine, Consumer<JsonNode> onEvent) throws IOException {
            stderr.clear();
            Trial t = new Trial(this, onEvent);
            current = t;
            try {
                stdin.write((specLine + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                process.destroyForcibly();
                throw e;
            }
            return t;
        }

        private void readEvents() {
            TrainerEvents.forEach(process.getInputStream(), ev -> {
                Trial t = current;
                if (t == null) {
                    return;
                }
                String type = ev.get("type").asText();
                if (type.equals("end")) {
                    current = null;
                    t.end.complete(ev.path("exit_code").asInt(1));
                    return;
                }
                if (type.equals("result")) {
                    t.result = ev;
                } else if (type.equals("error")) {
                    t.error = ev;
                }
                TrainerLauncher.deliver(t.onEvent, ev);
            });
            Trial t = current;
            if (t != null) {
                t.end.complete(null); // died mid-trial: its exit status tells why
            }
        }

        void close() {
            try {
                stdin.close(); // end of input: the loop returns and the JVM exits
            } catch (IOException e) {
                process.destroyForcibly();
            }
        }
    }

    /** One trial in a warm process. */
    private final class Trial implements TrainerLauncher.Running {
        final WarmProcess p;
        final Consumer<JsonNode> onEvent;
        /** The trainer's exit status for this trial, or null when the process died. */
        final CompletableFuture<Integer> end = new CompletableFuture<>();
        volatile JsonNode result;
        volatile JsonNode error;

        Trial(WarmProcess p, Consumer<JsonNode> onEvent) {
            this.p = p;
            this.onEvent = onEvent;
        }

        @Override
        public long pid() {
            return p.process.pid();
        }

        @Override
        public void terminate() {
            if (!end.isDone()) {
                p.process.toHandle().destroy();
            }
        }

        @Override
        public void kill() {
            p.process.toHandle().destroyForcibly();
        }

        @Override
        public TrainerLauncher.Exit await(Duration timeout) throws InterruptedException {
            boolean timedOut = false;
            Integer code;
            try {
                code = end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                code = null;
            } catch (TimeoutException e) {
                timedOut = true;
                terminate();
                try {
                    code = end.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException again) {
                    code = null;
                } catch (TimeoutException again) {
                    kill();
                    code = join();
                }
            }
            if (code == null) {
                p.process.waitFor();
                code = p.process.exitValue();
                p.stderr.join(2_000); // the stderr reader's last lines
            } else if (p.process.isAlive()) {
                giveBack(p);
            }
            return new TrainerLauncher.Exit(code, timedOut, result, error, p.stderr.text());
        }

        private Integer join() throws InterruptedException {
            try {
                return end.get();
            } catch (ExecutionException e) {
                return null;
            }
        }
    }
}
