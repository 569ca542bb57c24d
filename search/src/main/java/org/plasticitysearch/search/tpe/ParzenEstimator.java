package org.plasticitysearch.search.tpe;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.plasticitysearch.search.Distribution;

/**
 * A weighted mixture of truncated Gaussian kernels (numbers) or of smoothed categorical kernels (choices) over
 * one parameter, built from observed values as Optuna 3.1's univariate TPE builds it:
 * <ul>
 *   <li>numbers live in a transformed space: log for log scales; [low - step/2, high + step/2] for steps and
 *       integers, whose likelihood is then the mass of the step's bin;</li>
 *   <li>one kernel per observation (weights from the trial-order ramp) plus a prior kernel (weight
 *       {@code priorWeight}) at the centre with sigma = high - low;</li>
 *   <li>each observation's sigma is the larger distance to its sorted neighbours (the range ends count as
 *       neighbours except at the two extreme kernels, i.e. consider_endpoints = false), clipped to
 *       [(high - low) / min(100, 1 + kernels), high - low] (the "magic clip");</li>
 *   <li>a categorical kernel puts mass 1 on its observed choice plus priorWeight / kernels on every choice,
 *       normalised; the prior kernel is uniform.</li>
 * </ul>
 *
 * <p><b>Optuna 3.1's kernel scale.</b> Optuna 3.1.0's truncated-normal log density standardises x but does not
 * subtract log(sigma) ({@code optuna/samplers/_tpe/_truncnorm.py}, {@code logpdf}), so each continuous kernel
 * counts sigma times its true density: wide kernels weigh more in both l and g. With {@code optuna31Scale} this
 * estimator does the same (and then matches Optuna's numbers to 1e-12, see ParzenEstimatorTest); without it, the
 * mixture is the normalised density. Integer and stepped parameters use bin masses, where the question does not
 * arise. The head-to-head in BENCHMARKS.md measures both.
 */
final class ParzenEstimator {
    private final Distribution dist;
    private final double[] weights;
    private final boolean optuna31Scale;
    // numbers
    private double low;
    private double high;
    private double step; // 0: continuous
    private double[] mus;
    private double[] sigmas;
    /** Per kernel: log of its mass inside [low, high], and log σ. */
    private double[] logAccept;
    private double[] logSigma;
    // categories
    private double[][] catWeights;

    /**
     * @param observed internal values (numbers: the values themselves; categories: choice indices), trial order
     * @param obsWeights the weight of each observation (before the prior is appended and all are normalised)
     */
    ParzenEstimator(Distribution dist, double[] observed, double[] obsWeights, double priorWeight,
                    boolean magicClip, boolean optuna31Scale) {
        this(dist, observed, obsWeights, priorWeight, magicClip, optuna31Scale, null);
    }

    /**
     * @param sigma0 null for the univariate neighbour rule; otherwise the multivariate TPE's bandwidth: every
     *               observation kernel gets sigma0 * (high - low) (before the magic clip), as Optuna 3.1 does
     */
    ParzenEstimator(Distribution dist, double[] observed, double[] obsWeights, double priorWeight,
                    boolean magicClip, boolean optuna31Scale, Double sigma0) {
        this.dist = dist;
        this.optuna31Scale = optuna31Scale;
        int n = observed.length;
        double[] w = Arrays.copyOf(obsWeights, n + 1);
        w[n] = priorWeight;
        double total = Arrays.stream(w).sum();
        for (int i = 0; i <= n; i++) {
            w[i] /= total;
        }
        this.weights = w;
        if (dist instanceof Distribution.Categorical c) {
            int k = c.choices().size();
            catWeights = new double[n + 1][k];
            double fill = priorWeight / (n + 1);
            for (int i = 0; i <= n; i++) {
                Arrays.fill(catWeights[i], fill);
                if (i < n) {
                    catWeights[i][(int) observed[i]] += 1.0;
                }
                double s = Arrays.stream(catWeights[i]).sum();
                for (int j = 0; j < k; j++) {
                    catWeights[i][j] /= s;
                }
            }
            return;
        }
        bounds();
        mus = new double[n + 1];
        for (int i = 0; i < n; i++) {
            mus[i] = transform(observed[i]);
        }
        mus[n] = 0.5 * (low + high);
        if (sigma0 == null) {
            sigmas = neighbourSigmas(mus, low, high);
        } else {
            sigmas = new double[n + 1];
            Arrays.fill(sigmas, sigma0 * (high - low));
        }
        double maxSigma = high - low;
        double minSigma = magicClip ? (high - low) / Math.min(100.0, 1.0 + mus.length) : 1e-12;
        for (int i = 0; i < sigmas.length; i++) {
            sigmas[i] = Math.max(minSigma, Math.min(maxSigma, sigmas[i]));
        }
        sigmas[n] = high - low; // the prior
        // each kernel's truncation mass and log σ do not depend on where it is evaluated: once per kernel, not once
        // per kernel and candidate (the erfc in logMass was two thirds of an ask at 10,000 trials)
        logAccept = new double[n + 1];
        logSigma = new double[n + 1];
        for (int k = 0; k <= n; k++) {
            logAccept[k] = TruncatedNormal.logMass((low - mus[k]) / sigmas[k], (high - mus[k]) / sigmas[k]);
            logSigma[k] = Math.log(sigmas[k]);
        }
    }

    private void bounds() {
        if (dist instanceof Distribution.FloatRange f) {
            if (f.log()) {
                low = Math.log(f.low());
                high = Math.log(f.high());
            } else if (f.step() != null) {
                step = f.step();
                low = f.low() - 0.5 * step;
                high = f.high() + 0.5 * step;
            } else {
                low = f.low();
                high = f.high();
            }
        } else {
            Distribution.IntRange r = (Distribution.IntRange) dist;
            if (r.log()) {
                low = Math.log(r.low() - 0.5);
                high = Math.log(r.high() + 0.5);
            } else {
                step = r.step();
                low = r.low() - 0.5 * step;
                high = r.high() + 0.5 * step;
            }
        }
    }

    private boolean logScale() {
        return dist instanceof Distribution.FloatRange f ? f.log() : ((Distribution.IntRange) dist).log();
    }

    private double transform(double x) {
        return logScale() ? Math.log(x) : x;
    }

    /** Transformed sample → internal value (rounded onto the step grid, clipped into the range). */
    private double untransform(double t) {
        if (dist instanceof Distribution.FloatRange f) {
            if (f.log()) {
                return Math.exp(t);
            }
            if (f.step() != null) {
                double v = Math.rint((t - f.low()) / f.step()) * f.step() + f.low();
                return Math.max(f.low(), Math.min(f.high(), v));
            }
            return t;
        }
        Distribution.IntRange r = (Distribution.IntRange) dist;
        double v = r.log() ? Math.rint(Math.exp(t)) : Math.rint((t - r.low()) / r.step()) * r.step() + r.low();
        return Math.max(r.low(), Math.min(r.high(), v));
    }

    /** Sigma of each kernel: the larger gap to its sorted neighbours; the extreme kernels ignore the range ends. */
    static double[] neighbourSigmas(double[] mus, double low, double high) {
        int m = mus.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(mus[i], mus[j]));
        double[] ext = new double[m + 2];
        ext[0] = low;
        for (int i = 0; i < m; i++) {
            ext[i + 1] = mus[order[i]];
        }
        ext[m + 1] = high;
        double[] sorted = new double[m];
        for (int i = 0; i < m; i++) {
            sorted[i] = Math.max(ext[i + 1] - ext[i], ext[i + 2] - ext[i + 1]);
        }
        if (ext.length >= 4) {
            sorted[0] = ext[2] - ext[1];
            sorted[m - 1] = ext[m] - ext[m - 1];
        }
        double[] s = new double[m];
        for (int i = 0; i < m; i++) {
            s[order[i]] = sorted[i];
        }
        return s;
    }

    private int pickKernel(SplittableRandom rng) {
        double u = rng.nextDouble();
        double c = 0;
        for (int i = 0; i < weights.length; i++) {
            c += weights[i];
            if (u < c) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** Draws internal values. */
    double[] sample(SplittableRandom rng, int size) {
        double[] out = new double[size];
        for (int s = 0; s < size; s++) {
            out[s] = sampleKernel(pickKernel(rng), rng);
        }
        return out;
    }

    /** Normalised kernel weights (the prior last). */
    double[] weights() {
        return weights;
    }

    /** A kernel index drawn by weight. */
    int drawKernel(SplittableRandom rng) {
        return pickKernel(rng);
    }

    /** One internal value from kernel k. */
    double sampleKernel(int k, SplittableRandom rng) {
        if (catWeights != null) {
            double u = rng.nextDouble();
            double c = 0;
            for (int j = 0; j < catWeights[k].length; j++) {
                c += catWeights[k][j];
                if (u < c) {
                    return j;
                }
            }
            return catWeights[k].length - 1;
        }
        double a = (low - mus[k]) / sigmas[k];
        double b = (high - mus[k]) / sigmas[k];
        return untransform(mus[k] + sigmas[k] * TruncatedNormal.sample(a, b, rng.nextDouble()));
    }

    /** log of kernel k's own density (or probability) at an internal value, without the kernel's weight. */
    double kernelLogPdf(int k, double internal) {
        if (catWeights != null) {
            return Math.log(catWeights[k][(int) internal]);
        }
        double x = transform(internal);
        if (step > 0) {
            double up = Math.min(x + step / 2, high);
            double lo = Math.max(x - step / 2, low);
            return TruncatedNormal.logMass((lo - mus[k]) / sigmas[k], (up - mus[k]) / sigmas[k]) - logAccept[k];
        }
        return TruncatedNormal.logDensity((x - mus[k]) / sigmas[k]) - logAccept[k]
                - (optuna31Scale ? 0.0 : logSigma[k]);
    }

    /** log of the mixture's density (numbers; bin mass on step grids) or probability (choices) at internal values. */
    double[] logPdf(double[] internal) {
        double[] out = new double[internal.length];
        double[] comp = new double[weights.length];
        double[] logWeights = new double[weights.length];
        for (int k = 0; k < weights.length; k++) {
            logWeights[k] = Math.log(weights[k]);
        }
        for (int s = 0; s < internal.length; s++) {
            for (int k = 0; k < weights.length; k++) {
                comp[k] = kernelLogPdf(k, internal[s]) + logWeights[k];
            }
            out[s] = logSumExp(comp);
        }
        return out;
    }

    static double logSumExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double x : v) {
            sum += Math.exp(x - max);
        }
        return max + Math.log(sum);
    }
}
