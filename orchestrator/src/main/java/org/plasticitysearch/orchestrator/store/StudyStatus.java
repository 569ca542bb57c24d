package org.plasticitysearch.orchestrator.store;

/** A study's status: RUNNING (its runner fills the queue), STOPPED (by the user), DONE (budget spent). */
public enum StudyStatus {
    RUNNING, STOPPED, DONE
}
