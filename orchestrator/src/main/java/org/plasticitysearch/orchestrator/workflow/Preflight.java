package org.plasticitysearch.orchestrator.workflow;

import org.plasticitysearch.orchestrator.config.ConfigException;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.worker.TrainerLauncher;
import org.plasticitysearch.trainer.process.TrialProcess;

/**
 * What every trial of a study would fail with at once, found before any trial is queued: the data sets (present,
 * readable, fitting the network) with the trainer's own message, and a {@code heap:} the trainer JVM can reserve.
 */
public final class Preflight {
    private Preflight() {
    }

    /** @throws ConfigException naming the field, e.g. "dataset: ..." or "heap: 5000g: Could not reserve ..." */
    public static void check(StudyConfig config) {
        String problem;
        try {
            problem = TrialProcess.preflight(config.baseSpec());
        } catch (RuntimeException e) {
            problem = e.getMessage();
        }
        if (problem != null) {
            // the trainer's spec calls the layer sizes dims; the study config calls them network
            throw new ConfigException("every trial would fail at once: " + problem.replaceFirst("^dims", "network"));
        }
        String heap = TrainerLauncher.heapProblem(config.heap());
        if (heap != null) {
            throw new ConfigException("heap: " + config.heap() + " is not allowed: the trainer JVM cannot start with"
                    + " it (" + heap + "); use a smaller size, e.g. 1g");
        }
    }
}
