package org.plasticitysearch.search;

import java.util.List;
import java.util.Map;

/**
 * Proposes the params of a new trial. Every implementation is a pure function of (its seed, the trial number, the
 * history): two workers asking for the same trial number with the same history get the same params, so a study
 * spread over many workers is reproducible.
 */
public interface Sampler {
    Map<String, Object> ask(SearchSpace space, Direction direction, List<TrialRecord> history, int trialNumber);

    /** False when the proposals do not depend on the history (a reproducible study need not wait for it). */
    default boolean usesHistory() {
        return true;
    }
}
