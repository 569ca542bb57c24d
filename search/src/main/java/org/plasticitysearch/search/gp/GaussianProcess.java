package org.plasticitysearch.search.gp;

/**
 * The posterior of a zero-mean GP with a {@link Matern52} kernel given (X, y) and fixed hyperparameters:
 * mean(x) = k(x)ᵀ α and var(x) = s − k(x)ᵀ K⁻¹ k(x), K = s M(X, X) + σ² I, with gradients in x for the local
 * search. If K is not numerically positive definite, jitter is added to its diagonal (×10 until it factors).
 */
final class GaussianProcess {
    private final Matern52 kernel;
    private final Hyperparameters h;
    private final double[][] x;
    /** The observations by input: xt[j][i] = x_i[j]. */
    private final double[][] xt;
    private final Cholesky chol;
    private final double[] alpha;
    /** {@link #predictAll}'s kernel rows, kept from call to call (one GP serves one thread). */
    private double[][] batch;
    private int batchWidth;

    GaussianProcess(Matern52 kernel, Hyperparameters h, double[][] x, double[] y) {
        this.kernel = kernel;
        this.h = h;
        this.x = x;
        int n = x.length;
        this.xt = new double[kernel.dims()][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < kernel.dims(); j++) {
                xt[j][i] = x[i][j];
            }
        }
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < i; c++) {
                double v = h.scale() * Matern52.m(kernel.r2(h.lambda(), x[i], x[c]));
                k[i][c] = v;
                k[c][i] = v;
            }
        }
        Cholesky f = null;
        for (double jitter = 0; f == null; jitter = jitter == 0 ? 1e-10 * h.scale() : jitter * 10) {
            for (int i = 0; i < n; i++) {
                k[i][i] = h.scale() + h.noise() + jitter;
            }
            f = Cholesky.factor(k);
            if (jitter > h.scale()) {
                throw new IllegalStateException("the kernel matrix cannot be factored");
            }
        }
        chol = f;
        alpha = chol.solve(y);
    }

    Hyperparameters hyperparameters() {
        return h;
    }

    /** {mean, var} at u. */
    double[] predict(double[] u) {
        double[] k = cross(u, null);
        double[] v = chol.forward(k);
        return new double[]{mean(k), Math.max(h.scale() - squares(v), 0.0)};
    }

    /**
     * {mean, var} at the m points u[from..from + m − 1] into mean[0..m − 1] and var[0..m − 1]: their kernel rows side
     * by side (k[i][c] = k(u_c, x_i), r² summed over the inputs in order as in {@link #cross}), solved together
     * ({@link Cholesky#forwardColumns}), every sum in {@link #predict}'s order, so each is {@link #predict}, bitwise.
     * Not thread-safe (its kernel rows are kept for the next call), unlike {@link #predict}.
     */
    void predictAll(java.util.List<double[]> u, int from, int m, double[] mean, double[] var) {
        int n = x.length;
        if (batch == null || batchWidth < m) {
            batch = new double[n][m];
            batchWidth = m;
        }
        double[][] k = batch;
        for (double[] ki : k) {
            java.util.Arrays.fill(ki, 0, m, 0.0);
        }
        double[] lambda = h.lambda();
        double[] uj = new double[m];
        for (int j = 0; j < kernel.dims(); j++) {
            double lj = lambda[j];
            double[] xj = xt[j];
            for (int c = 0; c < m; c++) {
                uj[c] = u.get(from + c)[j];
            }
            for (int i = 0; i < n; i++) {
                double[] ki = k[i];
                double xi = xj[i];
                if (kernel.categorical(j)) {
                    for (int c = 0; c < m; c++) {
                        double d = uj[c] == xi ? 0.0 : 1.0;
                        ki[c] += lj * d * d;
                    }
                } else {
                    for (int c = 0; c < m; c++) {
                        double d = uj[c] - xi;
                        ki[c] += lj * d * d;
                    }
                }
            }
        }
        double[] mu = new double[m];
        for (int i = 0; i < n; i++) {
            double[] ki = k[i];
            for (int c = 0; c < m; c++) {
                ki[c] = h.scale() * Matern52.m(ki[c]);
                mu[c] += ki[c] * alpha[i];
            }
        }
        chol.forwardColumns(k, m);
        double[] q = new double[m];
        for (int i = 0; i < n; i++) {
            double[] vi = k[i];
            for (int c = 0; c < m; c++) {
                q[c] += vi[c] * vi[c];
            }
        }
        for (int c = 0; c < m; c++) {
            mean[c] = mu[c];
            var[c] = Math.max(h.scale() - q[c], 0.0);
        }
    }

    private double mean(double[] k) {
        double mean = 0;
        for (int i = 0; i < k.length; i++) {
            mean += k[i] * alpha[i];
        }
        return mean;
    }

    private static double squares(double[] v) {
        double q = 0;
        for (double vi : v) {
            q += vi * vi;
        }
        return q;
    }

    /**
     * {mean, var} at u; fills dMean and dVar with their derivatives in every numeric input (0 for categoricals).
     */
    double[] predict(double[] u, double[] dMean, double[] dVar) {
        double[] dm = new double[x.length];
        double[] k = cross(u, dm);
        double mean = mean(k);
        double[] v = chol.forward(k);
        double q = squares(v);
        double[] w = chol.backward(v); // K^-1 k
        double[] lambda = h.lambda();
        for (int j = 0; j < u.length; j++) {
            dMean[j] = 0;
            dVar[j] = 0;
            if (kernel.categorical(j)) {
                continue;
            }
            double sm = 0;
            double sv = 0;
            for (int i = 0; i < x.length; i++) {
                double dk = dm[i] * 2 * lambda[j] * (u[j] - x[i][j]);
                sm += alpha[i] * dk;
                sv += w[i] * dk;
            }
            dMean[j] = sm;
            dVar[j] = -2 * sv;
        }
        double var = h.scale() - q;
        if (var <= 0) {
            java.util.Arrays.fill(dVar, 0.0);
            var = 0;
        }
        return new double[]{mean, var};
    }

    /**
     * k(u, X); when dm is given it receives s dm/d(r²) per observation. r² is summed over the inputs in order, as
     * {@link Matern52#r2} sums it, but one input at a time over the observations: loops the compiler vectorises.
     */
    private double[] cross(double[] u, double[] dm) {
        int n = x.length;
        double[] r2 = new double[n];
        double[] lambda = h.lambda();
        for (int j = 0; j < u.length; j++) {
            double lj = lambda[j];
            double uj = u[j];
            double[] xj = xt[j];
            if (kernel.categorical(j)) {
                for (int i = 0; i < n; i++) {
                    double d = uj == xj[i] ? 0.0 : 1.0;
                    r2[i] += lj * d * d;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    double d = uj - xj[i];
                    r2[i] += lj * d * d;
                }
            }
        }
        double[] k = new double[n];
        for (int i = 0; i < n; i++) {
            k[i] = h.scale() * Matern52.m(r2[i]);
            if (dm != null) {
                dm[i] = h.scale() * Matern52.dmDr2(r2[i]);
            }
        }
        return k;
    }
}
