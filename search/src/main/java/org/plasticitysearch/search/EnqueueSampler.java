package org.plasticitysearch.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixed params first (e.g. the paper's named rules FA, eHebb, Oja, bio, pool), then the wrapped sampler: trial
 * number k < fixed.size() gets fixed.get(k), completed by the wrapped sampler for any parameter it leaves out.
 */
public final class EnqueueSampler implements Sampler {
    private final List<Map<String, Object>> fixed;
    private final Sampler next;

    public EnqueueSampler(List<Map<String, Object>> fixed, Sampler next) {
        this.fixed = List.copyOf(fixed);
        this.next = next;
    }

    @Override
    public Map<String, Object> ask(SearchSpace space, Direction direction, List<TrialRecord> history, int trialNumber) {
        if (trialNumber >= fixed.size()) {
            return next.ask(space, direction, history, trialNumber);
        }
        Map<String, Object> given = fixed.get(trialNumber);
        for (String k : given.keySet()) {
            if (!space.params().containsKey(k)) {
                throw new IllegalArgumentException("enqueued trial " + trialNumber + ": parameter '" + k
                        + "' is not in the search space " + space.params().keySet());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>(next.ask(space, direction, history, trialNumber));
        out.putAll(given);
        return out;
    }

    @Override
    public boolean usesHistory() {
        return next.usesHistory();
    }
}
