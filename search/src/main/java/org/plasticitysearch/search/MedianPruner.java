package org.plasticitysearch.search;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * Optuna's MedianPruner (a PercentilePruner at 50%): at step s, prune when the trial's best intermediate value so
 * far is worse than the median of the COMPLETE trials' intermediate values at step s. Nothing is pruned before
 * {@code nStartupTrials} trials are COMPLETE, before {@code nWarmupSteps}, off the reporting interval, or when no
 * completed trial reported step s. A NaN best value is pruned.
 */
public final class MedianPruner implements Pruner {
    private final int nStartupTrials;
    private final int nWarmupSteps;
    private final int intervalSteps;

    public MedianPruner(int nStartupTrials, int nWarmupSteps, int intervalSteps) {
        if (nStartupTrials < 0 || nWarmupSteps < 0 || intervalSteps < 1) {
            throw new IllegalArgumentException("median pruner: n_startup_trials " + nStartupTrials
                    + ", n_warmup_steps " + nWarmupSteps + ", interval_steps " + intervalSteps
                    + " are not allowed; use n_startup_trials >= 0, n_warmup_steps >= 0, interval_steps >= 1");
        }
        this.nStartupTrials = nStartupTrials;
        this.nWarmupSteps = nWarmupSteps;
        this.intervalSteps = intervalSteps;
    }

    /** Optuna's defaults: 5 startup trials, no warm-up, every step. */
    public static MedianPruner optunaDefaults() {
        return new MedianPruner(5, 0, 1);
    }

    @Override
    public boolean shouldPrune(Direction direction, List<TrialRecord> history, int trialNumber,
                               SortedMap<Integer, Double> intermediate) {
        List<TrialRecord> complete = new ArrayList<>();
        for (TrialRecord t : history) {
            if (t.state() == TrialState.COMPLETE && t.number() != trialNumber) {
                complete.add(t);
            }
        }
        if (complete.isEmpty() || complete.size() < nStartupTrials || intermediate.isEmpty()) {
            return false;
        }
        int step = intermediate.lastKey();
        if (step < nWarmupSteps || !firstInInterval(step, intermediate)) {
            return false;
        }
        double best = direction == Direction.MINIMIZE ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        boolean anyNumber = false;
        for (double v : intermediate.values()) {
            if (Double.isNaN(v)) {
                continue;
            }
            anyNumber = true;
            best = direction == Direction.MINIMIZE ? Math.min(best, v) : Math.max(best, v);
        }
        if (!anyNumber) {
            return true;
        }
        List<Double> atStep = new ArrayList<>();
        for (TrialRecord t : complete) {
            Double v = t.intermediate().get(step);
            if (v != null && !Double.isNaN(v)) {
                atStep.add(v);
            }
        }
        if (atStep.isEmpty()) {
            return false;
        }
        double median = median(atStep);
        return direction == Direction.MAXIMIZE ? best < median : best > median;
    }

    /**
     * Optuna checks each interval once: the step is pruning-eligible when no earlier reported step after the warm-up
     * falls in the same interval bucket.
     */
    private boolean firstInInterval(int step, SortedMap<Integer, Double> intermediate) {
        int bucket = (step - nWarmupSteps) / intervalSteps;
        for (int s : intermediate.headMap(step).keySet()) {
            if (s >= nWarmupSteps && (s - nWarmupSteps) / intervalSteps == bucket) {
                return false;
            }
        }
        return true;
    }

    static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
