package org.plasticitysearch.search.gp;

import java.util.Arrays;

/**
 * Maximum a posteriori hyperparameters: log marginal likelihood + {@link Hyperparameters#logPrior} maximised by
 * {@link BoxLbfgs} over θ with analytic gradients, from a fixed start (λ = 1, s = 1, σ² = {@value #START_NOISE}), so
 * the fit is a pure function of the data (the two-stage experiment of {@code GpSampler} starts the second stage
 * elsewhere). It stops when every projected gradient component is below {@value #GTOL} in magnitude.
 */
final class HyperparameterFit {
    private static final double LOG_LAMBDA_BOUND = Math.log(1e4);
    /**
     * The noise variance the fit starts from. The targets are standardised, so the fitted σ² usually lies between the
     * floor (a deterministic objective) and ~1 (the box allows 10); 0.1 is a few iterations from either end (from
     * 0.01, the first five or so of ~35 iterations only raised σ² on noisy objectives).
     */
    static final double START_NOISE = 0.1;
    /**
     * Optuna's GPSampler stops its L-BFGS-B at this projected gradient (its default). The last ~6 iterations to
     * 1e-3 changed the log posterior by less than 1e-2 and no benchmark's search (BENCHMARKS.md, session 9).
     */
    static final double GTOL = 1e-2;

    private HyperparameterFit() {
    }

    static Hyperparameters fit(Matern52 kernel, double[][] x, double[] y, int maxIter) {
        double[] lambda = new double[kernel.dims()];
        Arrays.fill(lambda, 1.0);
        return fit(kernel, x, y, maxIter, new Hyperparameters(lambda, 1.0, START_NOISE));
    }

    /** The posterior mode from {@code start}, at most maxIter L-BFGS iterations. */
    static Hyperparameters fit(Matern52 kernel, double[][] x, double[] y, int maxIter, Hyperparameters start) {
        int d = kernel.dims();
        MarginalLikelihood ml = new MarginalLikelihood(kernel, x, y);
        double[] lo = new double[d + 2];
        double[] hi = new double[d + 2];
        Arrays.fill(lo, 0, d, -LOG_LAMBDA_BOUND);
        Arrays.fill(hi, 0, d, LOG_LAMBDA_BOUND);
        lo[d] = Math.log(1e-3);
        hi[d] = Math.log(1e3);
        lo[d + 1] = Math.log(1e-9);
        hi[d + 1] = Math.log(10);
        BoxLbfgs.Function negPosterior = new BoxLbfgs.Function() {
            private final double[] scratch = new double[d + 2];

            @Override
            public double value(double[] theta, double[] grad) {
                double v = ml.value(theta, grad);
                if (!Double.isFinite(v)) {
                    return Double.POSITIVE_INFINITY;
                }
                v += Hyperparameters.fromTheta(theta).logPrior(grad != null ? grad : scratch);
                for (int i = 0; grad != null && i < grad.length; i++) {
                    grad[i] = -grad[i];
                }
                return -v;
            }

            @Override
            public boolean valueAlone() {
                return true; // without the gradient, no inverse: a third of the cost
            }
        };
        double[] theta = BoxLbfgs.minimize(negPosterior, start.toTheta(), lo, hi, maxIter, GTOL);
        return Hyperparameters.fromTheta(theta);
    }
}
