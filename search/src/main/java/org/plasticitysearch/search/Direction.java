package org.plasticitysearch.search;

/** Whether the objective is to be minimised or maximised. */
public enum Direction {
    MINIMIZE, MAXIMIZE;

    /** +1 for minimise, -1 for maximise: multiplying by it turns every objective into a loss. */
    public double sign() {
        return this == MINIMIZE ? 1.0 : -1.0;
    }
}
