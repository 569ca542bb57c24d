package org.plasticitysearch.search.gp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Maximises log EI over the encoded space. Small fully discrete spaces (≤ {@code ENUMERATE} grid points) are
 * enumerated. Otherwise: uniform candidates plus perturbations of the best observed points, scored; the best
 * distinct ones start a local search that alternates L-BFGS steps on the continuous inputs with exhaustive single
 * moves on each discrete input (every other choice of a categorical; every level of a small integer range, or
 * ±1, 2, 4, ... steps of a large one), until no move helps. The best point whose params no trial already has (the
 * {@code taken} keys) and whose categorical part no trial in flight has (the {@code busy} keys: a fill of several
 * proposals spreads over term subsets) wins; failing that, the best not taken; if every point found is taken, the
 * best one.
 */
final class AcquisitionOptimizer {
    /** Candidates scored together: their kernel rows side by side, one pass over L for all of them. */
    private static final int BATCH = 64;
    static final long ENUMERATE = 4096;

    private final Encoding enc;
    private final GaussianProcess gp;
    private final double best;
    private final Set<List<Double>> taken;
    private final Set<List<Long>> busy;
    private final GpSampler.Options options;

    AcquisitionOptimizer(Encoding enc, GaussianProcess gp, double best, Set<List<Double>> taken,
                         Set<List<Long>> busy, GpSampler.Options options) {
        this.enc = enc;
        this.gp = gp;
        this.best = best;
        this.taken = taken;
        this.busy = busy;
        this.options = options;
    }

    record Scored(double[] x, double score) {
    }

    double score(double[] x) {
        double[] p = gp.predict(x);
        return LogEi.value(p[0], p[1], best);
    }

    /** Each candidate with its {@link #score}, in order, {@value #BATCH} at a time ({@code predictAll}). */
    private void scoreAll(List<double[]> cands, List<Scored> out) {
        double[] mean = new double[BATCH];
        double[] var = new double[BATCH];
        for (int i = 0; i < cands.size(); i += BATCH) {
            int m = Math.min(BATCH, cands.size() - i);
            gp.predictAll(cands, i, m, mean, var);
            for (int c = 0; c < m; c++) {
                out.add(new Scored(cands.get(i + c), LogEi.value(mean[c], var[c], best)));
            }
        }
    }

    /** The key a point is deduplicated by: each input's decoded value (choice index for categoricals). */
    static List<Double> key(Encoding enc, double[] x) {
        List<Double> k = new ArrayList<>(x.length);
        for (int j = 0; j < x.length; j++) {
            k.add(enc.kind(j) == Encoding.Kind.CATEGORICAL ? Math.round(x[j])
                    : ((Number) enc.decode(j, x[j])).doubleValue());
        }
        return k;
    }

    /** The choices of the categorical inputs only (empty when the space has none). */
    static List<Long> categoricalKey(Encoding enc, double[] x) {
        List<Long> k = new ArrayList<>();
        for (int j = 0; j < x.length; j++) {
            if (enc.kind(j) == Encoding.Kind.CATEGORICAL) {
                k.add(Math.round(x[j]));
            }
        }
        return k;
    }

    double[] optimize(List<double[]> incumbents, SplittableRandom rng) {
        long grid = 1;
        for (int j = 0; j < enc.dims() && enc.allDiscrete(); j++) {
            grid = Math.multiplyExact(grid, Math.min(enc.levels(j), ENUMERATE + 1));
            grid = Math.min(grid, ENUMERATE + 1);
        }
        List<Scored> pool = new ArrayList<>();
        if (enc.allDiscrete() && grid <= ENUMERATE) {
            enumerate(0, new double[enc.dims()], pool);
            return pick(pool);
        }
        List<double[]> cands = new ArrayList<>();
        for (int i = 0; i < options.nRandomCandidates(); i++) {
            double[] x = new double[enc.dims()];
            for (int j = 0; j < x.length; j++) {
                x[j] = enc.kind(j) == Encoding.Kind.CATEGORICAL ? rng.nextInt((int) enc.levels(j)) : rng.nextDouble();
            }
            cands.add(enc.snap(x));
        }
        double[] scales = {0.01, 0.05, 0.2};
        for (int i = 0; i < options.nLocalCandidates() && !incumbents.isEmpty(); i++) {
            double[] base = incumbents.get(i % incumbents.size());
            double sd = scales[(i / incumbents.size()) % scales.length];
            double[] x = base.clone();
            for (int j = 0; j < x.length; j++) {
                if (enc.kind(j) == Encoding.Kind.CATEGORICAL) {
                    if (rng.nextDouble() < 1.0 / x.length) {
                        x[j] = rng.nextInt((int) enc.levels(j));
                    }
                } else {
                    x[j] = Math.max(0, Math.min(1, x[j] + sd * gaussian(rng)));
                }
            }
            cands.add(enc.snap(x));
        }
        scoreAll(cands, pool);
        List<Scored> ranked = new ArrayList<>(pool);
        ranked.sort(Comparator.comparingDouble(Scored::score).reversed());
        List<List<Double>> started = new ArrayList<>();
        for (Scored s : ranked) {
            if (started.size() >= options.nLocalSearch()) {
                break;
            }
            List<Double> k = key(enc, s.x());
            if (started.contains(k)) {
                continue;
            }
            started.add(k);
            pool.add(localSearch(s));
        }
        return pick(pool);
    }

    private void enumerate(int j, double[] x, List<Scored> out) {
        if (j == x.length) {
            double[] c = x.clone();
            out.add(new Scored(c, score(c)));
            return;
        }
        for (long k = 0; k < enc.levels(j); k++) {
            x[j] = enc.level(j, k);
            enumerate(j + 1, x, out);
        }
    }

    /**
     * The best-scoring point neither taken nor with a categorical part in flight; else the best not taken; else the
     * best (ties: the earlier one).
     */
    private double[] pick(List<Scored> pool) {
        Scored bestSpread = null;
        Scored bestFree = null;
        Scored bestAny = null;
        for (Scored s : pool) {
            bestAny = better(s, bestAny);
            if (!taken.contains(key(enc, s.x()))) {
                bestFree = better(s, bestFree);
                if (!busy.contains(categoricalKey(enc, s.x()))) {
                    bestSpread = better(s, bestSpread);
                }
            }
        }
        return (bestSpread != null ? bestSpread : bestFree != null ? bestFree : bestAny).x();
    }

    private static Scored better(Scored s, Scored current) {
        return current == null || s.score() > current.score() || Double.isNaN(current.score()) ? s : current;
    }

    private Scored localSearch(Scored start) {
        double[] x = start.x().clone();
        double f = start.score();
        int d = x.length;
        boolean anyContinuous = !enc.allDiscrete();
        for (int round = 0; round < 10; round++) {
            double before = f;
            if (anyContinuous) {
                double[] lo = new double[d];
                double[] hi = new double[d];
                for (int j = 0; j < d; j++) {
                    boolean free = enc.kind(j) == Encoding.Kind.CONTINUOUS;
                    lo[j] = free ? 0 : x[j];
                    hi[j] = free ? 1 : x[j];
                }
                double[] dm = new double[d];
                double[] dv = new double[d];
                BoxLbfgs.Function neg = (u, grad) -> {
                    double[] p = gp.predict(u, dm, dv);
                    double v = LogEi.value(p[0], p[1], best, dm, dv, grad);
                    for (int j = 0; j < d; j++) {
                        grad[j] = -grad[j];
                    }
                    return -v;
                };
                double[] y = BoxLbfgs.minimize(neg, x, lo, hi, options.localIterations(), 1e-5);
                double fy = score(y);
                if (fy > f) {
                    x = y;
                    f = fy;
                }
            }
            for (int j = 0; j < d; j++) {
                if (enc.kind(j) == Encoding.Kind.CONTINUOUS) {
                    continue;
                }
                for (double v : moves(j, x[j])) {
                    double[] y = x.clone();
                    y[j] = v;
                    double fy = score(y);
                    if (fy > f) {
                        x = y;
                        f = fy;
                    }
                }
            }
            if (!(f > before + 1e-9)) {
                break;
            }
        }
        return new Scored(x, f);
    }

    /** Alternative values of discrete input j. */
    private double[] moves(int j, double current) {
        long levels = enc.levels(j);
        if (enc.kind(j) == Encoding.Kind.CATEGORICAL || levels <= 16) {
            double[] out = new double[(int) levels];
            for (int k = 0; k < levels; k++) {
                out[k] = enc.level(j, k);
            }
            return out;
        }
        // the current level from its bin centre, then a ladder either way
        long cur = 0;
        double bestDist = Double.POSITIVE_INFINITY;
        long lo = 0;
        long hi = levels - 1;
        while (lo <= hi) { // levels increase with k: binary search the nearest
            long mid = (lo + hi) >>> 1;
            double v = enc.level(j, mid);
            if (Math.abs(v - current) < bestDist) {
                bestDist = Math.abs(v - current);
                cur = mid;
            }
            if (v < current) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        List<Double> out = new ArrayList<>();
        for (long step = 1; step < levels; step *= 2) {
            if (cur - step >= 0) {
                out.add(enc.level(j, cur - step));
            }
            if (cur + step < levels) {
                out.add(enc.level(j, cur + step));
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller, one value: deterministic given the stream
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    static double[] copy(double[] x) {
        return Arrays.copyOf(x, x.length);
    }
}
