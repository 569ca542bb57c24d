package org.plasticitysearch.search;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the search knows of one trial: its number, state, params (external values), final value (COMPLETE) and
 * intermediate values by step (for pruners, and for PRUNED trials in TPE).
 */
public record TrialRecord(int number, TrialState state, Map<String, Object> params, Double value,
                          SortedMap<Integer, Double> intermediate) {
    public TrialRecord {
        params = Map.copyOf(params);
        intermediate = intermediate == null ? new TreeMap<>() : new TreeMap<>(intermediate);
    }

    public static TrialRecord complete(int number, Map<String, Object> params, double value) {
        return new TrialRecord(number, TrialState.COMPLETE, params, value, null);
    }
}
