package org.plasticitysearch.orchestrator.store;

/** Trials of a study by state. */
public record StateCounts(int queued, int running, int complete, int pruned, int failed) {
    /** What the global budget counts: every finished trial. */
    public int finished() {
        return complete + pruned + failed;
    }
}
