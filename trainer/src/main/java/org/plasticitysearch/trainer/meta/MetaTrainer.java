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
    private Safeguards safeguards = Safeguards.OFF;
    private StepGuard guard = new StepGuard(Safeguards.OFF, TermPool.SIZE);
    private TermNorms currentNorms;
    private double[] stepScale;
    private double[] restoreTheta;
    private Adam restoreAdam;
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

    /** The safeguards against divergence and freezing; {@link Safeguards#OFF} (the paper's Adam) unless set. */
    public MetaTrainer withSafeguards(Safeguards s) {
        this.safeguards = s;
        this.guard = new StepGuard(s, TermPool.SIZE);
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

    public int clippedEpisodes() {
        return guard.clipped();
    }

    public int limitedEpisodes() {
        return guard.limitedCount();
    }

    public int rejectedEpisodes() {
        return guard.rejected();
    }

    /** The per-term step multipliers of {@link TermScaling} (null until measured, or when off). */
    public double[] stepScale() {
        return stepScale == null ? null : stepScale.clone();
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
            // the terms' unweighted norms: the first accepted episode's set term scaling, every episode's the trust region
            boolean scaling = safeguards.termScaling() == TermScaling.NORM && stepScale == null;
            double[] norms = scaling || safeguards.trustRegion() ? new double[TermPool.SIZE] : null;
            engine.measureTermNorms(norms, false, TermNorms.SAMPLE_EVERY);
            EpisodeResult r = engine.run(task, theta, lambda, true, metrics);
            engine.measureTermNorms(null);
            String bad = nonFinite(r);
            double gradNorm = Double.NaN;
            double[] grad = null;
            if (bad == null) {
                grad = r.gradTheta().clone();
                bad = guard.screen(grad);
                gradNorm = guard.lastNorm();
            }
            if (bad != null) {
                guard.reject(number, bad); // throws when the safeguards give up
                restore();
            } else {
                if (norms != null) {
                    currentNorms = new TermNorms(norms, engine.rule().activeTerms());
                    if (scaling) {
                        stepScale = currentNorms.stepScale();
                    }
                }
                step(grad);
            }
            completed = number;
            listener.accept(new EpisodeReport(number, r.metaLoss(), r.queryLoss(), r.accuracy(), theta.clone(),
                    r.alignmentDeg(), r.orthoError(), (System.nanoTime() - t0) / 1e9, gradNorm, bad != null,
                    guard.clipped(), guard.rejected(), guard.limitedCount()));
            if (stop.getAsBoolean()) {
                break;
            }
        }
        if (completed > 0 && guard.streak() == completed) {
            throw new DivergenceException(completed, guard.lastReason() + " (every episode was rejected)");
        }
    }

    /** The meta-update of an accepted episode (Adam, preconditioned and trust-limited when the safeguards say so). */
    private void step(double[] grad) {
        if (safeguards.rejectLimit() > 0 && guard.lastHealthy()) {
            restoreTheta = theta.clone();
            restoreAdam = adam.snapshot();
        }
        double lrFactor = guard.accept();
        double[] d = adam.step(grad, stepScale, lrFactor);
        double ratio = safeguards.trustRegion() ? currentNorms.trustRatio(d, adam.lr() * lrFactor) : 0.0;
        if (ratio > 1.0) {
            guard.limited();
        }
        for (int i = 0; i < theta.length; i++) {
            theta[i] -= ratio > 1.0 ? d[i] / ratio : d[i];
        }
        project();
        for (double x : theta) {
            if (!Double.isFinite(x)) {
                throw new DivergenceException(completed + 1, "theta is not finite after the meta-update");
            }
        }
    }

    /** A rejected episode: theta and Adam's moments return to the last healthy point (none yet: unchanged). */
    private void restore() {
        if (restoreTheta != null) {
            System.arraycopy(restoreTheta, 0, theta, 0, theta.length);
            adam.restore(restoreAdam);
        }
    }

    /** Why the episode cannot be used for a meta-update, or null when it can. */
    private String nonFinite(EpisodeResult r) {
        if (!Double.isFinite(r.queryLoss())) {
            return "query loss is " + r.queryLoss();
        }
        if (r.gradTheta() == null) {
            return "meta-gradient unavailable";
        }
        for (double g : r.gradTheta()) {
            if (!Double.isFinite(g)) {
                return "meta-gradient is not finite";
            }
        }
        if (!engine.weightsFinite()) {
            return "weights are not finite after the inner loop";
        }
        return null;
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
