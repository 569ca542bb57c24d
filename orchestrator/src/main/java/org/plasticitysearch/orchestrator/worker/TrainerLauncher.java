package org.plasticitysearch.orchestrator.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts one trainer process per trial (a child JVM running {@code TrainerCli run --spec -}), hands it the spec on
 * stdin and streams its JSON events to a callback. The child never touches the database; the worker stores what it
 * reports. Unparsable stdout lines are ignored, the last stderr lines are kept for the failure reason.
 */
public final class TrainerLauncher {
    static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> command;
    private final WarmTrainers pool;

    /** @param command the full command that runs the trainer's CLI, up to and excluding {@code run --spec -} */
    public TrainerLauncher(List<String> command) {
        this(command, null);
    }

    private TrainerLauncher(List<String> command, WarmTrainers pool) {
        this.command = List.copyOf(command);
        this.pool = pool;
    }

    /**
     * The same launcher, keeping trainer processes ({@code trainer loop}) between trials: a trial then starts in a JVM
     * that is already up, which saves the JVM start (about 1 s with two trainers starting on two cores: 10% of a
     * quickstart trial). Each trial still gets fresh objects and its own seed, so its numbers are bitwise those of a
     * new JVM; a process that dies or is killed is replaced.
     */
    public TrainerLauncher warm() {
        return pool != null ? this : new TrainerLauncher(command, new WarmTrainers());
    }

    /** Ends the idle warm processes (running trials are not touched). */
    public void closeIdle() {
        if (pool != null) {
            pool.closeIdle();
        }
    }

    /** The trainer from a class path (tests, or a packaged application's lib folder), with a heap limit. */
    public static TrainerLauncher fromClassPath(String classPath, String heap) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new TrainerLauncher(List.of(java, "--add-modules=jdk.incubator.vector", "-Xmx" + heap,
                "-XX:+UseParallelGC", "-Djava.awt.headless=true", "-cp", classPath,
                "org.plasticitysearch.trainer.cli.TrainerCli"));
    }

    /** The same launcher with another heap limit for the child JVM (each study's config has its own). */
    public TrainerLauncher withHeap(String heap) {
        List<String> cmd = new ArrayList<>(command);
        cmd.removeIf(a -> a.startsWith("-Xmx"));
        cmd.add(1, "-Xmx" + heap);
        return new TrainerLauncher(cmd, pool);
    }

    /**
     * Why a trainer JVM with this heap limit cannot start (the JVM's first line, e.g. "Could not reserve enough
     * space for object heap"), or null when it can: {@code java -Xmx<heap> -version}, a tenth of a second.
     */
    public static String heapProblem(String heap) {
        String jvm = ProcessHandle.current().info().command().orElse("java");
        try {
            Process p = new ProcessBuilder(jvm, "-Xmx" + heap, "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "java -Xmx" + heap + " -version did not end within 30 s";
            }
            String said = String.join(": ", out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
            return p.exitValue() == 0 ? null : said.isEmpty() ? "exit status " + p.exitValue() : said;
        } catch (java.io.IOException e) {
            return "cannot start " + jvm + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Hands an event to the trial's listener. A listener that fails (the database went away while it stored a
     * metric) costs that event, logged to the file; the reader goes on, so the trial still ends with its result.
     */
    static void deliver(java.util.function.Consumer<JsonNode> listener, JsonNode event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("a trainer event was not handled: {}", e.getMessage(), e);
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainerLauncher.class);

    /** How a trainer process ended. */
    public record Exit(int exitCode, boolean timedOut, JsonNode result, JsonNode error, String stderrTail) {
        public boolean succeeded() {
            return exitCode == 0 && result != null && !timedOut;
        }

        /**
         * Failed without saying why (killed, crashed, out of memory): another attempt may well succeed. A trainer
         * that reports an error (bad spec, divergence, missing data) or a timeout would fail the same way again.
         */
        public boolean retryable() {
            return !succeeded() && error == null && !timedOut;
        }

        /** One line for the trial's error column. */
        public String reason() {
            if (timedOut) {
                return "trial timeout: the trainer process was stopped (exit " + exitCode + ")";
            }
            if (error != null) {
                return error.path("kind").asText("error") + ": " + error.path("message").asText();
            }
            String tail = stderrTail.isBlank() ? "" : "; stderr: " + stderrTail.strip().replace('\n', ' ');
            return "trainer exited with status " + exitCode + (exitCode > 128 ? " (signal " + (exitCode - 128) + ")"
                    : "") + tail;
        }
    }

    /** A trial started in a trainer process. */
    public interface Running {
        /** The trainer process's pid. */
        long pid();

        /** SIGTERM: the trainer finishes its episode and reports a partial result (how a trial is pruned). */
        void terminate();

        /** SIGKILL (a warm process is then replaced). */
        void kill();

        /**
         * Waits for the trial's end; past the timeout the trainer gets SIGTERM, then 30 s later SIGKILL, and the
         * exit says it timed out.
         */
        Exit await(Duration timeout) throws InterruptedException;
    }

    /** A trial in its own, new JVM ({@code run --spec -}). */
    private static final class ColdRun implements Running {
        private final Process process;
        private final Thread reader;
        private final StderrTail stderr;
        private volatile JsonNode result;
        private volatile JsonNode error;

        ColdRun(Process process, Consumer<JsonNode> onEvent) {
            this.process = process;
            this.reader = new Thread(() -> TrainerEvents.forEach(process.getInputStream(), ev -> {
                String type = ev.get("type").asText();
                if (type.equals("result")) {
                    result = ev;
                } else if (type.equals("error")) {
                    error = ev;
                }
                deliver(onEvent, ev);
            }), "trainer-stdout-" + process.pid());
            this.stderr = new StderrTail(process.getErrorStream(), "trainer-stderr-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public void terminate() {
            process.toHandle().destroy();
        }

        @Override
        public void kill() {
            process.toHandle().destroyForcibly();
        }

        @Override
        public Exit await(Duration timeout) throws InterruptedException {
            boolean timedOut = false;
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                terminate();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    kill();
                    process.waitFor();
                }
            }
            reader.join(10_000);
            stderr.join(2_000);
            return new Exit(process.exitValue(), timedOut, result, error, stderr.text());
        }
    }

    /**
     * Starts a trial: in a warm process of this launcher's pool when it has one ({@link #warm()}), otherwise in a new
     * JVM that exits with the trial.
     */
    public Running start(String specJson, Consumer<JsonNode> onEvent) throws IOException {
        if (pool != null) {
            return pool.start(command, specJson, onEvent);
        }
        List<String> cmd = new ArrayList<>(command);
        cmd.add("run");
        cmd.add("--spec");
        cmd.add("-");
        cmd.add("--exit-with-parent");
        Process p = new ProcessBuilder(cmd).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(specJson.getBytes(StandardCharsets.UTF_8));
        }
        return new ColdRun(p, onEvent);
    }
}
