package org.plasticitysearch.search.gp;

/**
 * The Matern 5/2 kernel with one inverse squared lengthscale per input (ARD) and a signal variance:
 * k(x, y) = s m(r²), m(r²) = (1 + √5 r + 5r²/3) exp(−√5 r), r² = Σ_j λ_j δ_j(x, y)².
 * δ_j is the difference for numeric inputs and the Hamming distance (0 if equal, 1 if not) for categorical ones,
 * as Optuna's GPSampler does: one lengthscale per categorical instead of one per one-hot column, so a categorical
 * with many choices costs one hyperparameter, and every pair of distinct choices is equally far apart (which is
 * all a one-hot encoding can express with a shared lengthscale anyway).
 */
final class Matern52 {
    private static final double SQRT5 = Math.sqrt(5);

    private final boolean[] categorical;

    Matern52(boolean[] categorical) {
        this.categorical = categorical.clone();
    }

    int dims() {
        return categorical.length;
    }

    boolean categorical(int j) {
        return categorical[j];
    }

    /** δ_j(x, y). */
    double delta(int j, double x, double y) {
        if (categorical[j]) {
            return x == y ? 0.0 : 1.0;
        }
        return x - y;
    }

    /** r² under inverse squared lengthscales λ. */
    double r2(double[] lambda, double[] x, double[] y) {
        double s = 0;
        for (int j = 0; j < lambda.length; j++) {
            double d = delta(j, x[j], y[j]);
            s += lambda[j] * d * d;
        }
        return s;
    }

    /** m(r²), the unit-variance kernel. */
    static double m(double r2) {
        double r = Math.sqrt(r2);
        return m(r2, r, decay(r));
    }

    /** dm/d(r²) = −(5/6)(1 + √5 r) exp(−√5 r): finite at r = 0. */
    static double dmDr2(double r2) {
        double r = Math.sqrt(r2);
        return dmDr2(r, decay(r));
    }

    /** exp(−√5 r), the factor m and dm/d(r²) share (computed once per pair when both are needed). */
    static double decay(double r) {
        return Math.exp(-SQRT5 * r);
    }

    /** m(r²) from r = √r² and e = {@link #decay}(r). */
    static double m(double r2, double r, double e) {
        return (1 + SQRT5 * r + 5.0 / 3.0 * r2) * e;
    }

    /** dm/d(r²) from r and e = {@link #decay}(r). */
    static double dmDr2(double r, double e) {
        return -5.0 / 6.0 * (1 + SQRT5 * r) * e;
    }
}
