package org.plasticitysearch.orchestrator.store;

import java.time.Instant;

/** A Slurm job array of workers submitted for a study ({@code plasticity slurm submit}). */
public record SlurmJob(String jobId, int workers, int slots, Instant submittedAt) {
}
