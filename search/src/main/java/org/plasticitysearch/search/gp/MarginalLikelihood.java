package org.plasticitysearch.search.gp;

/**
 * The GP's log marginal likelihood log p(y | X, θ) with its analytic gradient in θ = (log λ, log s,
 * log(σ² − floor)): ∂/∂θ_p = ½ tr((α αᵀ − K⁻¹) ∂K/∂θ_p), α = K⁻¹ y. The squared per-input distances are computed
 * once, so each evaluation costs one Cholesky, one inverse and O(d n²).
 */
final class MarginalLikelihood {
    private final double[] y;
    private final int n;
    private final int d;
    /** sq[j][i][k] = δ_j(x_i, x_k)², lower triangle (k ≤ i). */
    private final double[][][] sq;

    MarginalLikelihood(Matern52 kernel, double[][] x, double[] y) {
        this.y = y.clone();
        this.n = x.length;
        this.d = kernel.dims();
        sq = new double[d][n][];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < n; i++) {
                sq[j][i] = new double[i + 1];
                for (int k = 0; k < i; k++) {
                    double dl = kernel.delta(j, x[i][j], x[k][j]);
                    sq[j][i][k] = dl * dl;
                }
            }
        }
    }

    /** log p(y | θ); fills {@code grad} (length d + 2) with its gradient. −∞ when K is not positive definite. */
    double value(double[] theta, double[] grad) {
        Hyperparameters h = Hyperparameters.fromTheta(theta);
        double[] lambda = h.lambda();
        double[][] r2 = new double[n][];
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            r2[i] = new double[i + 1];
            for (int c = 0; c < i; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += lambda[j] * sq[j][i][c];
                }
                r2[i][c] = s;
                double v = h.scale() * Matern52.m(s);
                k[i][c] = v;
                k[c][i] = v;
            }
            k[i][i] = h.scale() + h.noise();
        }
        Cholesky chol = Cholesky.factor(k);
        java.util.Arrays.fill(grad, 0.0);
        if (chol == null) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] alpha = chol.solve(y);
        double fit = 0;
        for (int i = 0; i < n; i++) {
            fit += y[i] * alpha[i];
        }
        double value = -0.5 * fit - 0.5 * chol.logDet() - 0.5 * n * Math.log(2 * Math.PI);
        double[][] inv = chol.inverse();
        double gScale = 0;
        double gNoise = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < i; c++) {
                double w = alpha[i] * alpha[c] - inv[i][c]; // off-diagonal pairs count twice
                double dm = h.scale() * Matern52.dmDr2(r2[i][c]) * w;
                for (int j = 0; j < d; j++) {
                    grad[j] += dm * sq[j][i][c];
                }
                gScale += w * k[i][c];
            }
            double wii = alpha[i] * alpha[i] - inv[i][i];
            gScale += 0.5 * wii * h.scale();
            gNoise += 0.5 * wii;
        }
        for (int j = 0; j < d; j++) {
            grad[j] *= lambda[j];
        }
        grad[d] = gScale;
        grad[d + 1] = gNoise * (h.noise() - Hyperparameters.NOISE_FLOOR);
        return value;
    }
}
