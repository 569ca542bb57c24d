package org.plasticitysearch.search.gp;

/**
 * The GP's log marginal likelihood log p(y | X, θ) with its analytic gradient in θ = (log λ, log s,
 * log(σ² − floor)): ∂/∂θ_p = ½ tr((α αᵀ − K⁻¹) ∂K/∂θ_p), α = K⁻¹ y. The squared per-input distances are computed
 * once, so each evaluation costs one Cholesky and O(d n²), and one inverse more when the gradient is asked for.
 */
final class MarginalLikelihood {
    private final double[] y;
    private final int n;
    private final int d;
    /**
     * sq[j][p] = δ_j(x_i, x_c)² for the pairs c < i, numbered p = i(i − 1)/2 + c (row by row): each input's
     * distances contiguous, so r² and the lengthscale gradients run as loops over pairs, one input after another.
     */
    private final double[][] sq;
    /** Per pair, refilled each evaluation: r², r, exp(−√5 r) and the kernel's value. */
    private final double[] r2;
    private final double[] r;
    private final double[] decay;
    private final double[] kv;
    /** Per pair: s dm/d(r²) (α_i α_c − (K⁻¹)_ic), the weight of the pair's distances in the gradient. */
    private final double[] dmw;
    /** K's factor, its storage reused by every evaluation. */
    private final Cholesky chol;
    /**
     * The last θ evaluated, whether {@link #chol} still holds its factor, its α and value: its gradient, asked for
     * next, reuses them.
     */
    private double[] lastTheta;
    private boolean lastFactored;
    private double[] lastAlpha;
    private double lastValue;

    MarginalLikelihood(Matern52 kernel, double[][] x, double[] y) {
        this.y = y.clone();
        this.n = x.length;
        this.d = kernel.dims();
        int pairs = n * (n - 1) / 2;
        sq = new double[d][pairs];
        for (int j = 0; j < d; j++) {
            int p = 0;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < i; c++) {
                    double dl = kernel.delta(j, x[i][j], x[c][j]);
                    sq[j][p++] = dl * dl;
                }
            }
        }
        r2 = new double[pairs];
        r = new double[pairs];
        decay = new double[pairs];
        kv = new double[pairs];
        dmw = new double[pairs];
        chol = new Cholesky(n);
    }

    /**
     * log p(y | θ); fills {@code grad} (length d + 2) with its gradient unless it is null (then no inverse is
     * formed). −∞ when K is not positive definite. Every sum runs in the order of the pair-by-pair loops this
     * replaced (r² over the inputs in order; each gradient over the pairs in order), so the numbers are theirs,
     * bitwise.
     */
    double value(double[] theta, double[] grad) {
        Hyperparameters h = Hyperparameters.fromTheta(theta);
        if (grad != null && lastFactored && java.util.Arrays.equals(theta, lastTheta)) {
            gradient(h, chol, lastAlpha, grad); // the same θ as the value just computed
            return lastValue;
        }
        double[] lambda = h.lambda();
        int pairs = r2.length;
        java.util.Arrays.fill(r2, 0.0);
        for (int j = 0; j < d; j++) {
            double lj = lambda[j];
            double[] sqj = sq[j];
            for (int p = 0; p < pairs; p++) {
                r2[p] += lj * sqj[p];
            }
        }
        double[][] k = chol.rows(); // K's lower triangle, factored in place
        int p = 0;
        for (int i = 0; i < n; i++) {
            double[] ki = k[i];
            for (int c = 0; c < i; c++, p++) {
                double rp = Math.sqrt(r2[p]);
                double e = Matern52.decay(rp);
                r[p] = rp;
                decay[p] = e;
                double v = h.scale() * Matern52.m(r2[p], rp, e);
                kv[p] = v;
                ki[c] = v;
            }
            ki[i] = h.scale() + h.noise();
        }
        lastFactored = false;
        if (grad != null) {
            java.util.Arrays.fill(grad, 0.0);
        }
        if (!chol.factorRows()) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] alpha = chol.solve(y);
        double fit = 0;
        for (int i = 0; i < n; i++) {
            fit += y[i] * alpha[i];
        }
        double value = -0.5 * fit - 0.5 * chol.logDet() - 0.5 * n * Math.log(2 * Math.PI);
        lastTheta = theta.clone();
        lastFactored = true;
        lastAlpha = alpha;
        lastValue = value;
        if (grad != null) {
            gradient(h, chol, alpha, grad);
        }
        return value;
    }

    /** The gradient at the θ whose kernel values, factor and α are those given (the per-pair arrays its own). */
    private void gradient(Hyperparameters h, Cholesky chol, double[] alpha, double[] grad) {
        java.util.Arrays.fill(grad, 0.0);
        double[] lambda = h.lambda();
        int pairs = r2.length;
        double[][] inv = chol.inverseLower();
        double gScale = 0;
        double gNoise = 0;
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < i; c++, p++) {
                double w = alpha[i] * alpha[c] - inv[i][c]; // off-diagonal pairs count twice
                dmw[p] = h.scale() * Matern52.dmDr2(r[p], decay[p]) * w;
                gScale += w * kv[p];
            }
            double wii = alpha[i] * alpha[i] - inv[i][i];
            gScale += 0.5 * wii * h.scale();
            gNoise += 0.5 * wii;
        }
        for (int j = 0; j < d; j++) {
            double[] sqj = sq[j];
            double g = 0.0;
            for (int q = 0; q < pairs; q++) {
                g += dmw[q] * sqj[q];
            }
            grad[j] = g * lambda[j];
        }
        grad[d] = gScale;
        grad[d + 1] = gNoise * (h.noise() - Hyperparameters.NOISE_FLOOR);
    }
}
