package org.plasticitysearch.search.gp;

/**
 * The kernel's hyperparameters: inverse squared lengthscales λ (one per input), signal variance s and noise
 * variance σ² (≥ the floor). The optimiser works on θ = (log λ, log s, log(σ² − floor)).
 */
record Hyperparameters(double[] lambda, double scale, double noise) {
    static final double NOISE_FLOOR = 1e-6;

    static Hyperparameters fromTheta(double[] theta) {
        int d = theta.length - 2;
        double[] lambda = new double[d];
        for (int j = 0; j < d; j++) {
            lambda[j] = Math.exp(theta[j]);
        }
        return new Hyperparameters(lambda, Math.exp(theta[d]), NOISE_FLOOR + Math.exp(theta[d + 1]));
    }

    double[] toTheta() {
        int d = lambda.length;
        double[] theta = new double[d + 2];
        for (int j = 0; j < d; j++) {
            theta[j] = Math.log(lambda[j]);
        }
        theta[d] = Math.log(scale);
        theta[d + 1] = Math.log(Math.max(noise - NOISE_FLOOR, 1e-300));
        return theta;
    }

    /**
     * The weak prior Optuna's GPSampler (3.6+) puts on them: −(0.1/λ + 0.1 λ) per input (mode at λ = 1), a
     * Gamma(2, 1) on s and a Gamma(1.1, 30) on σ². Returns the log density (up to a constant) and adds its
     * gradient with respect to θ to {@code grad}.
     */
    double logPrior(double[] grad) {
        int d = lambda.length;
        double lp = 0;
        for (int j = 0; j < d; j++) {
            lp -= 0.1 / lambda[j] + 0.1 * lambda[j];
            grad[j] += 0.1 / lambda[j] - 0.1 * lambda[j];
        }
        lp += Math.log(scale) - scale;
        grad[d] += 1 - scale;
        double e = noise - NOISE_FLOOR;
        lp += 0.1 * Math.log(noise) - 30 * noise;
        grad[d + 1] += (0.1 / noise - 30) * e;
        return lp;
    }
}
