package org.plasticitysearch.search.gp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.TrialRecord;
import org.plasticitysearch.search.TrialState;

/**
 * The GP's training data from a history: COMPLETE trials with a finite value at loss = sign × value; PRUNED
 * trials at the worst observed loss (they were stopped because they looked bad); FAILED trials, non-finite values
 * and params outside the space ignored. Above {@code cap} observations, the best {@code keepBest} by loss and the
 * most recent of the rest (by trial number) are kept, so the fit stays O(cap³) at any history length while it
 * still sees the incumbent region and what the search is doing now.
 */
final class Observations {
    record Point(int number, double[] x, double loss, boolean pruned) {
    }

    final List<Point> points;
    /** The best (smallest) loss among COMPLETE observations; +∞ if none. */
    final double bestLoss;

    private Observations(List<Point> points, double bestLoss) {
        this.points = points;
        this.bestLoss = bestLoss;
    }

    static boolean finishedForStartup(TrialRecord t) {
        return (t.state() == TrialState.COMPLETE && t.value() != null && Double.isFinite(t.value()))
                || t.state() == TrialState.PRUNED;
    }

    static Observations of(Encoding enc, Direction direction, List<TrialRecord> history, int cap, int keepBest) {
        List<Point> complete = new ArrayList<>();
        List<Point> pruned = new ArrayList<>();
        double worst = Double.NEGATIVE_INFINITY;
        double best = Double.POSITIVE_INFINITY;
        for (TrialRecord t : history) {
            if (!finishedForStartup(t)) {
                continue;
            }
            double[] x = enc.encode(t.params());
            if (x == null) {
                continue;
            }
            if (t.state() == TrialState.PRUNED) {
                pruned.add(new Point(t.number(), x, Double.NaN, true));
            } else {
                double loss = direction.sign() * t.value();
                complete.add(new Point(t.number(), x, loss, false));
                worst = Math.max(worst, loss);
                best = Math.min(best, loss);
            }
        }
        double prunedLoss = complete.isEmpty() ? 0.0 : worst;
        List<Point> all = new ArrayList<>(complete);
        for (Point p : pruned) {
            all.add(new Point(p.number(), p.x(), prunedLoss, true));
        }
        all.sort(Comparator.comparingInt(Point::number));
        return new Observations(keep(all, cap, keepBest), best);
    }

    /** Points in trial order; above cap, the best keepBest by loss and the most recent of the rest, in trial order. */
    private static List<Point> keep(List<Point> all, int cap, int keepBest) {
        if (all.size() <= cap) {
            return all;
        }
        List<Point> byLoss = new ArrayList<>(all);
        byLoss.sort(Comparator.comparingDouble(Point::loss).thenComparingInt(Point::number));
        List<Point> kept = new ArrayList<>(byLoss.subList(0, keepBest));
        List<Point> rest = new ArrayList<>(byLoss.subList(keepBest, byLoss.size()));
        rest.sort(Comparator.comparingInt(Point::number));
        kept.addAll(rest.subList(rest.size() - (cap - keepBest), rest.size()));
        kept.sort(Comparator.comparingInt(Point::number));
        return kept;
    }

    /**
     * The indices (into {@link #points}, ascending) of the same rule's choice at a smaller cap: the observations the
     * hyperparameters are fitted on, while the GP is conditioned on all of them.
     */
    int[] subset(int cap, int keepBest) {
        List<Point> kept = keep(points, cap, keepBest);
        int[] idx = new int[kept.size()];
        int k = 0;
        for (int i = 0; i < points.size() && k < idx.length; i++) {
            if (points.get(i) == kept.get(k)) {
                idx[k++] = i;
            }
        }
        return idx;
    }

    int size() {
        return points.size();
    }
}
