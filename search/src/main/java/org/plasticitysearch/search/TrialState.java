package org.plasticitysearch.search;

/** The states a sampler or pruner distinguishes (the store's lifecycle, seen from the search). */
public enum TrialState {
    QUEUED, RUNNING, COMPLETE, PRUNED, FAILED
}
