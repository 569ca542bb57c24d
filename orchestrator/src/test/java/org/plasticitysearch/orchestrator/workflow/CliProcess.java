package org.plasticitysearch.orchestrator.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real {@code plasticity} process (a separate JVM on the test class path), its output kept in a file. */
public final class CliProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Path logDir;

    private CliProcess(Process process, Path log, Path logDir) {
        this.process = process;
        this.log = log;
        this.logDir = logDir;
    }

    public static CliProcess start(String... args) throws IOException {
        return startIn(null, args);
    }

    /** With {@code PLASTICITY_HOME} set (its embedded database), and no PLASTICITY_DB_URL. */
    public static CliProcess startIn(Path home, String... args) throws IOException {
        return startWith(home, java.util.Map.of(), args);
    }

    /** As {@link #startIn}, with more environment variables (e.g. SLURM_CONF). */
    public static CliProcess startWith(Path home, java.util.Map<String, String> env, String... args)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // the application's own logging (logback.xml, not the tests'), its files in the home or in a temp folder
        Path logs = home != null ? home : Files.createTempDirectory("plasticity-cli-logs");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m",
                "-Dlogback.configurationFile=" + Path.of("target", "classes", "logback.xml").toAbsolutePath(),
                "-DPLASTICITY_HOME=" + logs, // read by logback.xml only; the database home is the environment's
                "-cp", System.getProperty("java.class.path"), "org.plasticitysearch.orchestrator.cli.PlasticityCli"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("plasticity-cli", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (home != null) {
            pb.environment().put("PLASTICITY_HOME", home.toString());
            pb.environment().remove("PLASTICITY_DB_URL");
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        return new CliProcess(p, log, logs.resolve("logs"));
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /** Everything the command wrote to its log files. */
    public String logFiles() throws IOException {
        StringBuilder all = new StringBuilder();
        if (Files.isDirectory(logDir)) {
            try (var files = Files.list(logDir)) {
                for (Path f : files.toList()) {
                    all.append(Files.readString(f));
                }
            }
        }
        return all.toString();
    }

    /** Waits for the process to end by itself (a one-shot command). */
    public int await() throws InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("command did not end within 120 s");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no giving back; what a crashed machine looks like to the others. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, and wait for the orderly exit. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            killHard();
        }
    }
}
