package org.plasticitysearch.orchestrator.ranking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plasticitysearch.orchestrator.store.RuleRow;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.trainer.meta.Bootstrap;
import org.plasticitysearch.trainer.rule.TermPool;

/**
 * Ranks a study's learned rules the way the paper compares them: trials are grouped by rule (the set of active
 * terms), a rule's score is the mean meta-test accuracy of its COMPLETE runs with a 98% percentile bootstrap interval
 * (500 resamples of the runs taken in trial-number order, seed {@link #SEED}), its complexity is the number of effective terms (mean update share at least the
 * threshold, default 5%), and the Pareto front of accuracy against complexity is marked.
 */
public final class RuleRanking {
    public static final double DEFAULT_THRESHOLD = 0.05;
    /** The level of every interval here: the one the trainer reports each trial's meta-test interval at. */
    public static final double LEVEL = org.plasticitysearch.trainer.process.TrialSpec.DEFAULTS.ciLevel();
    public static final int RESAMPLES = 500;
    /** The bootstrap seed: fixed, so a ranking can be recomputed exactly. */
    public static final long SEED = 20230328L;

    private RuleRanking() {
    }

    /** @param rows the study's leaderboard rows (any order); only COMPLETE ones with a test accuracy count */
    public static List<RankedRule> rank(List<RuleRow> rows, double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold: " + threshold + " is not allowed; use a share in (0, 1)");
        }
        Map<String, List<RuleRow>> byRule = new LinkedHashMap<>();
        for (RuleRow r : rows) {
            if (r.state() == TrialState.COMPLETE && r.testAccuracy() != null && r.theta() != null) {
                byRule.computeIfAbsent(Arrays.toString(r.activeTerms()), k -> new ArrayList<>()).add(r);
            }
        }
        List<Unranked> rules = new ArrayList<>();
        for (List<RuleRow> runs : byRule.values()) {
            runs.sort(Comparator.comparingDouble((RuleRow r) -> r.testAccuracy()).reversed()
                    .thenComparingInt(RuleRow::trial));
            rules.add(summarise(runs, threshold));
        }
        rules.sort(Comparator.comparingDouble((Unranked u) -> u.ci[0]).reversed()
                .thenComparingInt(u -> u.effective.length).thenComparingInt(u -> u.runs.get(0).trial()));
        List<RankedRule> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Unranked u = rules.get(i);
            boolean pareto = true;
            for (Unranked v : rules) {
                boolean noWorse = v.ci[0] >= u.ci[0] && v.effective.length <= u.effective.length;
                boolean better = v.ci[0] > u.ci[0] || v.effective.length < u.effective.length;
                if (v != u && noWorse && better) {
                    pareto = false;
                    break;
                }
            }
            boolean overlaps = i + 1 < rules.size() && rules.get(i + 1).ci[2] >= u.ci[1];
            RuleRow best = u.runs.get(0);
            out.add(new RankedRule(i + 1, best.activeTerms(), u.runs.stream().map(RuleRow::trial).toList(),
                    best.theta(), u.shares, u.effective, u.ci[0], u.ci[1], u.ci[2], pareto, overlaps));
        }
        return out;
    }

    private record Unranked(List<RuleRow> runs, double[] shares, int[] effective, double[] ci) {
    }

    private static Unranked summarise(List<RuleRow> runs, double threshold) {
        // resampled in trial-number order, so that anyone can recompute the interval from the table
        double[] acc = runs.stream().sorted(Comparator.comparingInt(RuleRow::trial))
                .mapToDouble(RuleRow::testAccuracy).toArray();
        double[] ci;
        if (acc.length >= 2) {
            ci = Bootstrap.meanInterval(acc, LEVEL, RESAMPLES, SEED);
        } else {
            RuleRow r = runs.get(0);
            ci = new double[]{acc[0], r.ciLow() == null ? acc[0] : r.ciLow(), r.ciHigh() == null ? acc[0] : r.ciHigh()};
        }
        double[] shares = meanShares(runs);
        int[] effective = java.util.stream.IntStream.range(0, TermPool.SIZE)
                .filter(t -> shares != null && shares[t] >= threshold).toArray();
        if (shares == null) {
            effective = runs.get(0).activeTerms(); // not measured: every active term counts
        }
        return new Unranked(runs, shares, effective, ci);
    }

    /** Mean share per term over the runs that measured it, or null when none did. */
    static double[] meanShares(List<RuleRow> runs) {
        double[] sum = new double[TermPool.SIZE];
        int n = 0;
        for (RuleRow r : runs) {
            double[] s = r.updateShare();
            if (s == null || s.length != TermPool.SIZE || Double.isNaN(s[0])) {
                continue;
            }
            for (int t = 0; t < sum.length; t++) {
                sum[t] += s[t];
            }
            n++;
        }
        if (n == 0) {
            return null;
        }
        for (int t = 0; t < sum.length; t++) {
            sum[t] /= n;
        }
        return sum;
    }
}
