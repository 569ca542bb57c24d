package org.plasticitysearch.trainer.meta;

import org.plasticitysearch.trainer.rule.TermPool;

import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.plasticitysearch.trainer.data.TaskSampler;
import org.plasticitysearch.trainer.episode.EpisodeEngine;
import org.plasticitysearch.trainer.episode.EpisodeResult;
import org.plasticitysearch.trainer.episode.Task;

/**
 * The outer loop (PLASTICITY.md, "Meta-training"): one task per meta-step, exact meta-gradient, Adam on theta.
 * Every episode's task and initial weights come from seeds derived from (trial seed, episode), so a run is
 * reproducible and any episode can be recomputed alone.
 */
public final class MetaTrainer {
    private final EpisodeEngine engine;
    private final TaskSampler sampler;
    private final long seed;
    private final double lambda;
    private final Adam adam;
    private final double[] theta;
    private double[] thetaMin;
    private double[] thetaMax;
    private int completed;

    public MetaTrainer(EpisodeEngine engine, TaskSampler sampler, long seed, double[] thetaInit, double metaLr,
                       double lambda) {
        this.engine = engine;
        this.sampler = sampler;
        this.seed = seed;
        this.lambda = lambda;
        this.theta = thetaInit.clone();
        this.adam = new Adam(theta.length, metaLr);
    }

    /**
     * Box constraints on theta (projected Adam: each coefficient is clipped into [min, max] after every
     * meta-update). Off by default, as in the paper. Useful because some terms change character with their sign:
     * Oja's term (F9) is self-normalising for theta_9 > 0 and grows W exponentially for theta_9 < 0.
     */
    public MetaTrainer withBounds(double[] min, double[] max) {
        this.thetaMin = min == null ? null : min.clone();
        this.thetaMax = max == null ? null : max.clone();
        project();
        return this;
    }

    private void project() {
        for (int r = 0; r < theta.length; r++) {
            if (thetaMin != null) {
                theta[r] = Math.max(theta[r], thetaMin[r]);
            }
            if (thetaMax != null) {
                theta[r] = Math.min(theta[r], thetaMax[r]);
            }
        }
    }

    public double[] theta() {
        return theta.clone();
    }

    public int completedEpisodes() {
        return completed;
    }

    /**
     * Runs up to {@code episodes} meta-steps; stops early (after finishing an episode) when {@code stop} says so.
     *
     * @param metricsEvery compute alignment angles and E_W every this many episodes (and on the last)
     */
    public void train(int episodes, int metricsEvery, BooleanSupplier stop, Consumer<EpisodeReport> listener) {
        long t0 = System.nanoTime();
        for (int e = completed; e < episodes; e++) {
            int number = e + 1;
            boolean metrics = metricsEvery > 0 && (number % metricsEvery == 0 || number == episodes);
            Task task = sampler.sample(new SplittableRandom(Seeds.derive(seed, Seeds.TASKS, e)));
            engine.initialiseXavier(Seeds.derive(seed, Seeds.WEIGHTS, e));
            EpisodeResult r = engine.run(task, theta, lambda, true, metrics);
            check(number, r);
            adam.step(theta, r.gradTheta());
            project();
            for (double x : theta) {
                if (!Double.isFinite(x)) {
                    throw new DivergenceException(number, "theta is not finite after the meta-update");
                }
            }
            completed = number;
            listener.accept(new EpisodeReport(number, r.metaLoss(), r.queryLoss(), r.accuracy(), theta.clone(),
                    r.alignmentDeg(), r.orthoError(), (System.nanoTime() - t0) / 1e9));
            if (stop.getAsBoolean()) {
                return;
            }
        }
    }

    private void check(int number, EpisodeResult r) {
        if (!Double.isFinite(r.queryLoss())) {
            throw new DivergenceException(number, "query loss is " + r.queryLoss());
        }
        if (r.gradTheta() == null) {
            throw new DivergenceException(number, "meta-gradient unavailable");
        }
        for (double g : r.gradTheta()) {
            if (!Double.isFinite(g)) {
                throw new DivergenceException(number, "meta-gradient is not finite");
            }
        }
        if (!engine.weightsFinite()) {
            throw new DivergenceException(number, "weights are not finite after the inner loop");
        }
    }

    /**
     * Meta-test: {@code tasks} fresh tasks (their own seed stream), inner loop with theta fixed, no meta-update.
     */
    public static MetaTestResult metaTest(EpisodeEngine engine, TaskSampler sampler, long seed, double[] theta,
                                          int tasks, double level, int resamples) {
        double[] acc = new double[tasks];
        double[] norms = new double[TermPool.SIZE];
        for (int i = 0; i < tasks; i++) {
            Task task = sampler.sample(new SplittableRandom(Seeds.derive(seed, Seeds.EVAL_TASKS, i)));
            engine.initialiseXavier(Seeds.derive(seed, Seeds.EVAL_WEIGHTS, i));
            engine.measureTermNorms(i == 0 ? norms : null);
            EpisodeResult r = engine.run(task, theta, 0.0, false, false);
            acc[i] = Double.isFinite(r.queryLoss()) ? r.accuracy() : 0.0;
        }
        engine.measureTermNorms(null);
        double total = 0.0;
        for (double v : norms) {
            total += v;
        }
        double[] shares = new double[TermPool.SIZE];
        for (int r = 0; r < shares.length && total > 0 && Double.isFinite(total); r++) {
            shares[r] = norms[r] / total;
        }
        double[] ci = Bootstrap.meanInterval(acc, level, resamples, Seeds.derive(seed, Seeds.BOOTSTRAP, 0));
        return new MetaTestResult(acc, ci[0], ci[1], ci[2], level, shares);
    }
}
