package org.plasticitysearch.orchestrator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Asks Slurm whether a job still has array tasks pending or running. */
final class Squeue {
    private Squeue() {
    }

    /** True while squeue lists the job; also when squeue cannot be asked (then nothing is concluded). */
    static boolean running(String jobId) {
        try {
            Process p = new ProcessBuilder("squeue", "-h", "-j", jobId, "-o", "%i").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                // squeue exits 1 for a job it has already forgotten
                return !out.contains("Invalid job id");
            }
            return !out.isEmpty();
        } catch (IOException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
