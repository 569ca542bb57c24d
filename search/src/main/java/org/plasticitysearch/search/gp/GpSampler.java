package org.plasticitysearch.search.gp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.RandomSampler;
import org.plasticitysearch.search.Sampler;
import org.plasticitysearch.search.SearchSpace;
import org.plasticitysearch.search.Seeds;
import org.plasticitysearch.search.TrialRecord;
import org.plasticitysearch.search.TrialState;

/**
 * Bayesian optimisation: a Gaussian process (Matern 5/2, ARD, Hamming distance on categoricals; MAP
 * hyperparameters under Optuna's weak priors) on the standardised losses, and log expected improvement over the
 * best loss, maximised by {@link AcquisitionOptimizer}. The first {@code nStartupTrials} finished trials are random
 * ({@link RandomSampler} with the same seed, as {@code TpeSampler}).
 *
 * <p>Trials in flight (QUEUED or RUNNING, other than the one asked for) are fantasised ({@link Fantasy}) so workers
 * asking at the same time spread out, and no trial's params are proposed again while the acquisition finds
 * anything else. The proposal is a pure function of (seed, trial number, history): every draw comes from
 * {@code Seeds.rng(seed, trialNumber, PURPOSE)} and every loop runs in the history's or the space's order.
 */
public final class GpSampler implements Sampler {
    private static final long PURPOSE = 0x6B0E1;

    /** How the losses are turned into the GP's targets. */
    public enum OutputWarp {
        /** Standardised. */
        NONE,
        /**
         * Standardised, then log1p on the part worse than the mean, re-standardised: a few huge losses (the corners
         * of Styblinski-Tang) no longer dominate the fit, while the good region keeps its scale.
         */
        LOG_UPPER,
        /** Normal scores of the ranks (a Gaussian copula): robust but blind to how much better the best is. */
        RANK
    }

    /** How an in-flight trial enters the GP. */
    public enum Fantasy {
        /** At the posterior mean of the GP fitted on the finished trials (the mean stays, the variance collapses). */
        KRIGING_BELIEVER,
        /** At the worst observed loss. */
        CONSTANT_LIAR
    }

    /**
     * @param nStartupTrials    random trials first (counting COMPLETE and PRUNED)
     * @param maxObservations   the most observations the GP is conditioned on (and, by default, fitted on)
     * @param keepBest          of which the best by loss (the rest: the most recent)
     * @param maxFitObservations above this many, the hyperparameters are fitted first on this many of them (the same
     *                          rule: a third the best), then refined on all; the default, maxObservations, is off
     * @param refitIterations   L-BFGS iterations of that refinement
     * @param nRandomCandidates uniform acquisition candidates
     * @param nLocalCandidates  candidates perturbing the best observed points
     * @param nLocalSearch      candidates refined by local search
     * @param localIterations   L-BFGS iterations per local-search round
     * @param fitIterations     L-BFGS iterations for the hyperparameters
     * @param fantasy           how in-flight trials are conditioned on
     * @param warp              how losses become the GP's targets
     */
    public record Options(int nStartupTrials, int maxObservations, int keepBest, int maxFitObservations,
                          int refitIterations, int nRandomCandidates, int nLocalCandidates, int nLocalSearch,
                          int localIterations, int fitIterations, Fantasy fantasy, OutputWarp warp) {
        public static Options defaults() {
            return new Options(10, 300, 100, 300, 5, 1024, 1024, 10, 30, 100, Fantasy.CONSTANT_LIAR,
                    OutputWarp.LOG_UPPER);
        }

        public Options withWarp(OutputWarp w) {
            return new Options(nStartupTrials, maxObservations, keepBest, maxFitObservations, refitIterations,
                    nRandomCandidates, nLocalCandidates, nLocalSearch, localIterations, fitIterations, fantasy, w);
        }

        public Options withStartupTrials(int n) {
            return new Options(n, maxObservations, keepBest, maxFitObservations, refitIterations, nRandomCandidates,
                    nLocalCandidates, nLocalSearch, localIterations, fitIterations, fantasy, warp);
        }

        /** At most {@code max} observations, of which the best {@code best} (a fit on all stays on all). */
        public Options withObservations(int max, int best) {
            int fit = maxFitObservations >= maxObservations ? max : maxFitObservations;
            return new Options(nStartupTrials, max, best, fit, refitIterations, nRandomCandidates,
                    nLocalCandidates, nLocalSearch, localIterations, fitIterations, fantasy, warp);
        }

        /** The hyperparameters fitted first on at most {@code max} of the observations, then refined on all. */
        public Options withFitObservations(int max) {
            return new Options(nStartupTrials, maxObservations, keepBest, max, refitIterations, nRandomCandidates,
                    nLocalCandidates, nLocalSearch, localIterations, fitIterations, fantasy, warp);
        }

        public Options withRefitIterations(int r) {
            return new Options(nStartupTrials, maxObservations, keepBest, maxFitObservations, r,
                    nRandomCandidates, nLocalCandidates, nLocalSearch, localIterations, fitIterations, fantasy, warp);
        }

        public Options withFantasy(Fantasy f) {
            return new Options(nStartupTrials, maxObservations, keepBest, maxFitObservations, refitIterations,
                    nRandomCandidates, nLocalCandidates, nLocalSearch, localIterations, fitIterations, f, warp);
        }
    }

    private final long seed;
    private final Options options;
    private final RandomSampler startup;

    public GpSampler(long seed, Options options) {
        this.seed = seed;
        this.options = options;
        this.startup = new RandomSampler(seed);
    }

    @Override
    public Map<String, Object> ask(SearchSpace space, Direction direction, List<TrialRecord> history, int trialNumber) {
        long finished = history.stream().filter(Observations::finishedForStartup).count();
        if (finished < options.nStartupTrials()) {
            return startup.ask(space, direction, history, trialNumber);
        }
        Encoding enc = new Encoding(space);
        if (enc.dims() == 0) {
            return enc.decode(new double[0]);
        }
        Observations obs = Observations.of(enc, direction, history, options.maxObservations(), options.keepBest());
        if (obs.size() == 0) {
            return startup.ask(space, direction, history, trialNumber);
        }
        int n = obs.size();
        double[][] x = new double[n][];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = obs.points.get(i).x();
            loss[i] = obs.points.get(i).loss();
        }
        Standardizer st = new Standardizer(loss);
        double[] y = switch (options.warp()) {
            case NONE -> st.apply(loss);
            case LOG_UPPER -> Standardizer.compressUpper(st.apply(loss));
            case RANK -> Standardizer.normalScores(loss);
        };
        boolean[] cat = new boolean[enc.dims()];
        for (int j = 0; j < cat.length; j++) {
            cat[j] = enc.kind(j) == Encoding.Kind.CATEGORICAL;
        }
        Matern52 kernel = new Matern52(cat);
        Hyperparameters h = fit(kernel, obs, x, y);
        GaussianProcess gp = new GaussianProcess(kernel, h, x, y);

        Set<List<Double>> taken = new HashSet<>();
        List<double[]> flight = new ArrayList<>();
        Set<List<Long>> busy = new HashSet<>();
        for (TrialRecord t : history) {
            if (t.number() == trialNumber) {
                continue;
            }
            double[] u = enc.encode(t.params());
            if (u == null) {
                continue;
            }
            taken.add(AcquisitionOptimizer.key(enc, u));
            if (t.state().inFlight()) {
                flight.add(u);
                busy.add(AcquisitionOptimizer.categoricalKey(enc, u));
            }
        }
        double worst = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            worst = Math.max(worst, v);
        }
        if (!flight.isEmpty()) {
            double[][] xf = new double[n + flight.size()][];
            double[] yf = new double[n + flight.size()];
            System.arraycopy(x, 0, xf, 0, n);
            System.arraycopy(y, 0, yf, 0, n);
            for (int i = 0; i < flight.size(); i++) {
                xf[n + i] = flight.get(i);
                yf[n + i] = options.fantasy() == Fantasy.CONSTANT_LIAR ? worst : gp.predict(flight.get(i))[0];
            }
            gp = new GaussianProcess(kernel, h, xf, yf);
        }
        // the best COMPLETE loss's target (the warps are monotone); all pruned: the smallest target
        double best = minOf(y);
        for (int i = 0; i < n; i++) {
            if (!obs.points.get(i).pruned() && loss[i] == obs.bestLoss) {
                best = y[i];
            }
        }
        List<double[]> incumbents = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            idx.add(i);
        }
        idx.sort(Comparator.<Integer>comparingDouble(i -> loss[i]).thenComparingInt(i -> i));
        for (int i = 0; i < Math.min(5, n); i++) {
            incumbents.add(x[idx.get(i)]);
        }
        SplittableRandom rng = Seeds.rng(seed, trialNumber, PURPOSE);
        double[] chosen = new AcquisitionOptimizer(enc, gp, best, taken, busy, options).optimize(incumbents, rng);
        return enc.decode(chosen);
    }

    /**
     * The hyperparameters, fitted on all observations by default. With maxFitObservations below maxObservations (an
     * experiment, {@code ops/search-bench --gp-fit}) the fit runs in two stages above that many: at most
     * fitIterations L-BFGS iterations on that many of them (the best third and the most recent), then at most
     * refitIterations on all of them from there. Cheaper, but it made sphere5's refinement measurably worse
     * (BENCHMARKS.md), so it is off.
     */
    private Hyperparameters fit(Matern52 kernel, Observations obs, double[][] x, double[] y) {
        int[] idx = obs.subset(options.maxFitObservations(), options.maxFitObservations() / 3);
        if (idx.length == x.length) {
            return HyperparameterFit.fit(kernel, x, y, options.fitIterations());
        }
        double[][] xs = new double[idx.length][];
        double[] ys = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            xs[i] = x[idx[i]];
            ys[i] = y[idx[i]];
        }
        Hyperparameters first = HyperparameterFit.fit(kernel, xs, ys, options.fitIterations());
        return options.refitIterations() == 0 ? first
                : HyperparameterFit.fit(kernel, x, y, options.refitIterations(), first);
    }

    private static double minOf(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double d : v) {
            m = Math.min(m, d);
        }
        return m;
    }
}
