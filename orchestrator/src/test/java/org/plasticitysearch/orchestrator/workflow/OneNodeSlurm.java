package org.plasticitysearch.orchestrator.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real one-node Slurm cluster for a test (Debian's slurm-wlm and munge, as root; configuration as in the
 * project's Slurm notes): its own slurm.conf, state and logs in a temporary folder, found by every Slurm command
 * through {@code SLURM_CONF}. Stopped by its pid files; munged only if this started it.
 */
final class OneNodeSlurm implements AutoCloseable {
    private final Path dir;
    private final boolean startedMunge;

    private OneNodeSlurm(Path dir, boolean startedMunge) {
        this.dir = dir;
        this.startedMunge = startedMunge;
    }

    /** Why a cluster cannot be started here, or null when it can. */
    static String missing() {
        for (String tool : List.of("sbatch", "squeue", "scancel", "sinfo")) {
            if (!onPath(tool)) {
                return tool + " is not installed (apt-get install slurm-wlm munge; .ci/run does)";
            }
        }
        for (String daemon : List.of("/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged")) {
            if (!Files.isExecutable(Path.of(daemon))) {
                return daemon + " is not installed (apt-get install slurm-wlm munge; .ci/run does)";
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "starting slurmctld, slurmd and munged needs root (CI runs as root)";
        }
        return null;
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    static OneNodeSlurm start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("slurm-test");
        for (String d : List.of("state", "spool", "log")) {
            Files.createDirectories(dir.resolve(d));
        }
        String host = run(null, "hostname", "-s").trim();
        int cpus = Runtime.getRuntime().availableProcessors();
        Files.writeString(dir.resolve("slurm.conf"), String.join("\n",
                "ClusterName=test", "SlurmctldHost=" + host, "SlurmUser=root", "SlurmdUser=root",
                "StateSaveLocation=" + dir.resolve("state"), "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"), "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"), "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
                "ProctrackType=proctrack/linuxproc", "TaskPlugin=task/none", "JobAcctGatherType=jobacct_gather/none",
                "SelectType=select/cons_tres", "SelectTypeParameters=CR_Core", "ReturnToService=2", "MpiDefault=none",
                // a job's processes get SIGTERM, then SIGKILL this many seconds later
                "KillWait=30",
                "NodeName=" + host + " CPUs=" + cpus + " RealMemory=8000 State=UNKNOWN",
                "PartitionName=debug Nodes=" + host + " Default=YES MaxTime=INFINITE State=UP", ""));
        boolean munge = false;
        if (!mungeWorks()) {
            Path run = Path.of("/run/munge");
            Files.createDirectories(run);
            run(null, "chown", "munge:munge", run.toString());
            run(null, "/usr/sbin/munged", "-f");
            munge = true;
        }
        OneNodeSlurm slurm = new OneNodeSlurm(dir, munge);
        run(slurm.env(), "/usr/sbin/slurmctld", "-f", slurm.conf().toString());
        run(slurm.env(), "/usr/sbin/slurmd", "-f", slurm.conf().toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!run(slurm.env(), "sinfo", "-h", "-o", "%t").trim().equals("idle")) {
            if (System.nanoTime() > deadline) {
                slurm.close();
                throw new IllegalStateException("the Slurm node did not become idle within 30 s; see " + dir);
            }
            Thread.sleep(500);
        }
        return slurm;
    }

    Path conf() {
        return dir.resolve("slurm.conf");
    }

    Map<String, String> env() {
        return Map.of("SLURM_CONF", conf().toString());
    }

    /** squeue still lists the job (pending or running array tasks). */
    boolean listed(String job) throws IOException, InterruptedException {
        return !run(env(), "squeue", "-h", "-j", job, "-o", "%i").isBlank();
    }

    /** What squeue and the daemons' logs say, for a failure message. */
    String state() throws IOException, InterruptedException {
        return "squeue:\n" + run(env(), "squeue", "-a") + "\nslurmctld log tail:\n"
                + tail(dir.resolve("log/slurmctld.log")) + "\nslurmd log tail:\n" + tail(dir.resolve("log/slurmd.log"));
    }

    static String tail(Path f) throws IOException {
        if (!Files.exists(f)) {
            return "(none)";
        }
        List<String> lines = Files.readAllLines(f);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    void scancel(String job) throws IOException, InterruptedException {
        run(env(), "scancel", job);
    }

    static boolean mungeWorks() {
        try {
            Process p = new ProcessBuilder("sh", "-c", "munge -n | unmunge").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs a command to its end; its output (stdout and stderr). */
    static String run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (env != null) {
            pb.environment().putAll(env);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (String pid : List.of("slurmd.pid", "slurmctld.pid")) {
            Path f = dir.resolve(pid);
            if (Files.exists(f)) {
                long p = Long.parseLong(Files.readString(f).trim());
                run(null, "kill", Long.toString(p));
                // gone before the next cluster binds the same ports
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            }
        }
        if (startedMunge && Files.exists(Path.of("/run/munge/munged.pid"))) {
            run(null, "kill", Files.readString(Path.of("/run/munge/munged.pid")).trim());
        }
    }
}
