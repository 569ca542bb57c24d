package org.plasticitysearch.search;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * Asynchronous successive halving (ASHA; Li et al. 2020) with the semantics of Optuna's SuccessiveHalvingPruner:
 * rung k is reached at step {@code minResource * reductionFactor^(minEarlyStoppingRate + k)}; a trial reaching a
 * rung is compared with every trial that reached it before, and continues only if it is among the top
 * 1/reductionFactor of them (at least the best one). Several rungs may be passed in one report.
 *
 * <p>Optuna stores each trial's value at each rung as the trial passes it; this pruner is a pure function of the
 * history instead and reads the same value from the intermediate values: a trial's rung-k value is its value at its
 * first reported step at or after rung k's step. The two agree whenever the pruner is consulted at every report
 * (as the orchestrator does). With {@code minResource == 0} ("auto") it is estimated, as Optuna does, as
 * max(1, longest COMPLETE trial's last step / 100), from the current history.
 */
public final class SuccessiveHalvingPruner implements Pruner {
    private final int minResource;
    private final int reductionFactor;
    private final int minEarlyStoppingRate;
    private final int bootstrapCount;

    public SuccessiveHalvingPruner(int minResource, int reductionFactor, int minEarlyStoppingRate, int bootstrapCount) {
        if (minResource < 0 || reductionFactor < 2 || minEarlyStoppingRate < 0 || bootstrapCount < 0) {
            throw new IllegalArgumentException("successive halving: min_resource " + minResource + ", reduction_factor "
                    + reductionFactor + ", min_early_stopping_rate " + minEarlyStoppingRate + ", bootstrap_count "
                    + bootstrapCount + " are not allowed; use min_resource >= 1 (or 0 for auto), reduction_factor"
                    + " >= 2, min_early_stopping_rate >= 0, bootstrap_count >= 0");
        }
        this.minResource = minResource;
        this.reductionFactor = reductionFactor;
        this.minEarlyStoppingRate = minEarlyStoppingRate;
        this.bootstrapCount = bootstrapCount;
    }

    /** Optuna's defaults: min_resource auto, reduction factor 4, min early-stopping rate 0, bootstrap 0. */
    public static SuccessiveHalvingPruner optunaDefaults() {
        return new SuccessiveHalvingPruner(0, 4, 0, 0);
    }

    private long rungStep(int r, int rung) {
        return (long) (r * Math.pow(reductionFactor, minEarlyStoppingRate + rung));
    }

    @Override
    public boolean shouldPrune(Direction direction, List<TrialRecord> history, int trialNumber,
                               SortedMap<Integer, Double> intermediate) {
        if (intermediate.isEmpty()) {
            return false;
        }
        int r = minResource;
        if (r == 0) {
            int longest = -1;
            for (TrialRecord t : history) {
                if (t.state() == TrialState.COMPLETE && !t.intermediate().isEmpty()) {
                    longest = Math.max(longest, t.intermediate().lastKey());
                }
            }
            if (longest < 0) {
                return false;
            }
            r = Math.max(longest / 100, 1);
        }
        int step = intermediate.lastKey();
        double value = intermediate.get(step);
        // rungs already passed at earlier reports
        SortedMap<Integer, Double> earlier = intermediate.headMap(step);
        int rung = 0;
        if (!earlier.isEmpty()) {
            int prev = earlier.lastKey();
            while (rungStep(r, rung) <= prev) {
                rung++;
            }
        }
        while (true) {
            long promotion = rungStep(r, rung);
            if (step < promotion) {
                return false;
            }
            if (Double.isNaN(value)) {
                return true;
            }
            List<Double> competing = new ArrayList<>();
            for (TrialRecord t : history) {
                if (t.number() == trialNumber) {
                    continue;
                }
                Double v = rungValue(t.intermediate(), promotion);
                if (v != null) {
                    competing.add(v);
                }
            }
            competing.add(value);
            if (competing.size() <= bootstrapCount) {
                return true;
            }
            if (!promotable(value, competing, direction)) {
                return true;
            }
            rung++;
        }
    }

    /** The value at the first reported step at or after the rung's step, or null if the trial never got there. */
    private static Double rungValue(SortedMap<Integer, Double> iv, long promotionStep) {
        SortedMap<Integer, Double> tail = iv.tailMap((int) Math.min(Integer.MAX_VALUE, promotionStep));
        return tail.isEmpty() ? null : tail.get(tail.firstKey());
    }

    private boolean promotable(double value, List<Double> competing, Direction direction) {
        int idx = competing.size() / reductionFactor - 1;
        if (idx == -1) {
            idx = 0;
        }
        double[] s = competing.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return direction == Direction.MAXIMIZE ? value >= s[s.length - 1 - idx] : value <= s[idx];
    }

}
