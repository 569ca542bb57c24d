package org.plasticitysearch.search;

/**
 * A trial's lifecycle, the one the store keeps and the search reads: QUEUED → RUNNING → COMPLETE | PRUNED | FAILED
 * (a RUNNING trial whose worker stopped or vanished goes back to QUEUED).
 */
public enum TrialState {
    QUEUED, RUNNING, COMPLETE, PRUNED, FAILED;

    /** COMPLETE, PRUNED or FAILED: what a study's budget counts. */
    public boolean finished() {
        return this == COMPLETE || this == PRUNED || this == FAILED;
    }

    /** QUEUED (claimed or not) or RUNNING: proposed, not yet scored. */
    public boolean inFlight() {
        return this == QUEUED || this == RUNNING;
    }
}
