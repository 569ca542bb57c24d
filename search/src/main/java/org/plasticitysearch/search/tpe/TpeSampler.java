package org.plasticitysearch.search.tpe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;
import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.Distribution;
import org.plasticitysearch.search.RandomSampler;
import org.plasticitysearch.search.Sampler;
import org.plasticitysearch.search.SearchSpace;
import org.plasticitysearch.search.Seeds;
import org.plasticitysearch.search.TrialRecord;
import org.plasticitysearch.search.TrialState;

/**
 * The tree-structured Parzen estimator (Bergstra et al. 2011) with Optuna 3.1's defaults and semantics
 * (univariate): the first {@code nStartupTrials} finished trials are random; after that the finished trials are
 * ranked (COMPLETE by value; PRUNED behind every COMPLETE one, by the step they reached, then by their last
 * intermediate value; trials in flight last when the constant liar is on; FAILED ignored), the best gamma(n) form "below",
 * the rest "above", and for each parameter {@code nEiCandidates} draws from the below mixture l are scored by
 * log l(x) - log g(x); the best wins.
 *
 * <p>The constant liar counts the trials in flight (QUEUED, claimed or not, and RUNNING; also those proposed
 * earlier in the same fill) as the worst observations, so proposals made while others are being evaluated are
 * steered away from them; and a combination of categorical values in flight is not proposed again while the
 * candidates offer another ({@link InFlightSubsets}). Draws come from a stream seeded by (seed, trial number,
 * parameter), so the proposal is a pure function of the seed, the trial number and the history.
 */
public final class TpeSampler implements Sampler {
    /** Optuna's defaults. */
    public record Options(int nStartupTrials, int nEiCandidates, double priorWeight, boolean magicClip,
                          boolean constantLiar, boolean optuna31KernelScale, boolean multivariate) {
        /** Optuna 3.1.0's defaults, including its kernel scale (see {@link ParzenEstimator}). */
        public static Options optunaDefaults() {
            return new Options(10, 24, 1.0, true, false, true, false);
        }

        public Options withConstantLiar(boolean on) {
            return new Options(nStartupTrials, nEiCandidates, priorWeight, magicClip, on, optuna31KernelScale,
                    multivariate);
        }

        /** Normalised kernel densities (each kernel's density divided by its sigma) instead of Optuna 3.1's. */
        public Options withNormalisedKernels() {
            return new Options(nStartupTrials, nEiCandidates, priorWeight, magicClip, constantLiar, false,
                    multivariate);
        }

        /**
         * The multivariate TPE (Optuna's {@code multivariate=True}): one joint kernel per observation across all
         * searched parameters, bandwidth 0.2 n^(-1/(d+4)) of each range, so correlated parameters are learned
         * together.
         */
        public Options withMultivariate(boolean on) {
            return new Options(nStartupTrials, nEiCandidates, priorWeight, magicClip, constantLiar,
                    optuna31KernelScale, on);
        }
    }

    /** Optuna's SIGMA0_MAGNITUDE. */
    private static final double SIGMA0_MAGNITUDE = 0.2;

    private static final long PURPOSE = 0x7BE0;
    /** gamma(n) = min(ceil(0.1 n), 25). */
    public static final IntUnaryOperator DEFAULT_GAMMA = n -> Math.min((int) Math.ceil(0.1 * n), 25);

    private final long seed;
    private final Options options;
    private final RandomSampler startup;

    public TpeSampler(long seed, Options options) {
        this.seed = seed;
        this.options = options;
        this.startup = new RandomSampler(seed);
    }

    /**
     * Optuna's weight ramp: n ones below 25 observations; above, the oldest n - 25 ramp linearly from 1/n to 1 and
     * the newest 25 weigh 1.
     */
    public static double[] defaultWeights(int n) {
        double[] w = new double[n];
        if (n < 25) {
            Arrays.fill(w, 1.0);
            return w;
        }
        int ramp = n - 25;
        for (int i = 0; i < ramp; i++) {
            w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
        }
        Arrays.fill(w, ramp, n, 1.0);
        return w;
    }

    /** A trial's rank key: (step key, loss), compared lexicographically; smaller is better. */
    record Score(double step, double loss) {
    }

    static Score score(TrialRecord t, Direction d) {
        switch (t.state()) {
            case COMPLETE:
                return new Score(Double.NEGATIVE_INFINITY, d.sign() * t.value());
            case PRUNED:
                if (t.intermediate().isEmpty()) {
                    return new Score(1, 0.0);
                }
                int step = t.intermediate().lastKey();
                double v = t.intermediate().get(step);
                return new Score(-step, Double.isNaN(v) ? Double.POSITIVE_INFINITY : d.sign() * v);
            default: // RUNNING under the constant liar
                return new Score(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
    }

    @Override
    public Map<String, Object> ask(SearchSpace space, Direction direction, List<TrialRecord> history, int trialNumber) {
        List<TrialRecord> obs = new ArrayList<>();
        int finished = 0;
        for (TrialRecord t : history) {
            boolean done = (t.state() == TrialState.COMPLETE && t.value() != null) || t.state() == TrialState.PRUNED;
            if (done) {
                finished++;
            }
            if (done || (options.constantLiar() && t.state().inFlight() && t.number() != trialNumber)) {
                obs.add(t);
            }
        }
        if (finished < options.nStartupTrials()) {
            return startup.ask(space, direction, history, trialNumber);
        }
        obs.sort(Comparator.comparingInt(TrialRecord::number));
        Score[] scores = new Score[obs.size()];
        Integer[] order = new Integer[obs.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = score(obs.get(i), direction);
            order[i] = i;
        }
        // stable lexicographic sort by (step key, loss)
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> scores[i].step())
                .thenComparingDouble(i -> scores[i].loss()));
        int nBelow = DEFAULT_GAMMA.applyAsInt(finished);
        boolean[] below = new boolean[obs.size()];
        for (int i = 0; i < nBelow && i < order.length; i++) {
            below[order[i]] = true;
        }

        InFlightSubsets busy = new InFlightSubsets(space, options.constantLiar() ? obs.stream()
                .filter(t -> t.state().inFlight()).toList() : List.of());
        if (options.multivariate()) {
            return askJoint(space, obs, below, trialNumber, busy);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        int p = 0;
        for (Map.Entry<String, Distribution> e : space.params().entrySet()) {
            String name = e.getKey();
            Distribution d = e.getValue();
            p++;
            if (d instanceof Distribution.Fixed f) {
                out.put(name, f.value());
                continue;
            }
            List<Double> lo = new ArrayList<>();
            List<Double> hi = new ArrayList<>();
            for (int i = 0; i < obs.size(); i++) {
                Object v = obs.get(i).params().get(name);
                if (v == null) {
                    continue;
                }
                (below[i] ? lo : hi).add(d.toInternal(v));
            }
            double[] belowObs = lo.stream().mapToDouble(Double::doubleValue).toArray();
            double[] aboveObs = hi.stream().mapToDouble(Double::doubleValue).toArray();
            ParzenEstimator l = new ParzenEstimator(d, belowObs, defaultWeights(belowObs.length),
                    options.priorWeight(), options.magicClip(), options.optuna31KernelScale());
            ParzenEstimator g = new ParzenEstimator(d, aboveObs, defaultWeights(aboveObs.length),
                    options.priorWeight(), options.magicClip(), options.optuna31KernelScale());
            SplittableRandom rng = new SplittableRandom(Seeds.mix(Seeds.mix(seed ^ PURPOSE) + trialNumber) + p);
            double[] cand = l.sample(rng, options.nEiCandidates());
            double[] ll = l.logPdf(cand);
            double[] lg = g.logPdf(cand);
            int best = 0;
            for (int i = 1; i < cand.length; i++) {
                if (ll[i] - lg[i] > ll[best] - lg[best]) {
                    best = i;
                }
            }
            out.put(name, d.toExternal(cand[best]));
            if (d instanceof Distribution.Categorical) {
                busy.offer(name, d, cand, ll, lg);
            }
        }
        return busy.avoid(out);
    }


    /** The multivariate path: joint kernels over every searched parameter. */
    private Map<String, Object> askJoint(SearchSpace space, List<TrialRecord> obs, boolean[] below, int trialNumber,
                                         InFlightSubsets busy) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Distribution> e : space.params().entrySet()) {
            if (!(e.getValue() instanceof Distribution.Fixed)) {
                names.add(e.getKey());
            }
        }
        List<Integer> lo = new ArrayList<>();
        List<Integer> hi = new ArrayList<>();
        for (int i = 0; i < obs.size(); i++) {
            if (obs.get(i).params().keySet().containsAll(names)) {
                (below[i] ? lo : hi).add(i);
            }
        }
        ParzenEstimator[] l = joint(space, names, obs, lo);
        ParzenEstimator[] g = joint(space, names, obs, hi);
        SplittableRandom rng = new SplittableRandom(Seeds.mix(Seeds.mix(seed ^ PURPOSE) + trialNumber));
        int d = names.size();
        double[][] cand = new double[options.nEiCandidates()][d];
        for (int c = 0; c < cand.length; c++) {
            int k = l[0].drawKernel(rng);
            for (int j = 0; j < d; j++) {
                cand[c][j] = l[j].sampleKernel(k, rng);
            }
        }
        double[] score = new double[cand.length];
        Integer[] byScore = new Integer[cand.length];
        for (int c = 0; c < cand.length; c++) {
            score[c] = jointLogPdf(l, cand[c]) - jointLogPdf(g, cand[c]);
            byScore[c] = c;
        }
        // best first (ties: the earlier draw); the best whose categorical part is not in flight, if there is one
        Arrays.sort(byScore, Comparator.<Integer>comparingDouble(c -> -score[c]));
        Map<String, Object> first = null;
        for (int c : byScore) {
            Map<String, Object> out = new LinkedHashMap<>();
            int j = 0;
            for (Map.Entry<String, Distribution> e : space.params().entrySet()) {
                if (e.getValue() instanceof Distribution.Fixed f) {
                    out.put(e.getKey(), f.value());
                } else {
                    out.put(e.getKey(), e.getValue().toExternal(cand[c][j++]));
                }
            }
            if (first == null) {
                first = out;
            }
            if (!busy.contains(out)) {
                return out;
            }
        }
        return first;
    }

    private ParzenEstimator[] joint(SearchSpace space, List<String> names, List<TrialRecord> obs, List<Integer> rows) {
        int n = rows.size();
        double sigma0 = SIGMA0_MAGNITUDE * Math.pow(Math.max(n, 1), -1.0 / (names.size() + 4));
        double[] w = defaultWeights(n);
        ParzenEstimator[] pe = new ParzenEstimator[names.size()];
        for (int j = 0; j < names.size(); j++) {
            Distribution d = space.params().get(names.get(j));
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = d.toInternal(obs.get(rows.get(i)).params().get(names.get(j)));
            }
            pe[j] = new ParzenEstimator(d, values, w, options.priorWeight(), options.magicClip(),
                    options.optuna31KernelScale(), sigma0);
        }
        return pe;
    }

    static double jointLogPdf(ParzenEstimator[] pe, double[] x) {
        double[] w = pe[0].weights();
        double[] comp = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            double lp = Math.log(w[k]);
            for (int j = 0; j < pe.length; j++) {
                lp += pe[j].kernelLogPdf(k, x[j]);
            }
            comp[k] = lp;
        }
        return ParzenEstimator.logSumExp(comp);
    }
}
