package org.plasticitysearch.orchestrator.store;

/** QUEUED → RUNNING → COMPLETE | PRUNED | FAILED (a RUNNING trial whose worker vanished goes back to QUEUED). */
public enum TrialState {
    QUEUED, RUNNING, COMPLETE, PRUNED, FAILED;

    public boolean finished() {
        return this == COMPLETE || this == PRUNED || this == FAILED;
    }
}
