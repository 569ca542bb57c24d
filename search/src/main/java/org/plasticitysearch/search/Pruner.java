package org.plasticitysearch.search;

import java.util.List;
import java.util.SortedMap;

/**
 * Decides at a report whether a running trial should stop early. {@code intermediate} holds the trial's reported
 * values up to and including the current step (e.g. moving meta-accuracy by episode).
 */
public interface Pruner {
    boolean shouldPrune(Direction direction, List<TrialRecord> history, int trialNumber,
                        SortedMap<Integer, Double> intermediate);

    /** Never prunes. */
    Pruner NONE = (direction, history, trialNumber, intermediate) -> false;
}
