package org.plasticitysearch.search.gp;

/**
 * The lower Cholesky factor L of a symmetric positive definite matrix (A = L L^T), with the triangular solves the
 * GP needs. Small and dense: the GP fits at most a few hundred observations.
 */
final class Cholesky {
    private final double[][] l;
    private final int n;

    private Cholesky(double[][] l) {
        this.l = l;
        this.n = l.length;
    }

    /** Factors {@code a} (only its lower triangle is read); null when it is not numerically positive definite. */
    static Cholesky factor(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] li = new double[i + 1];
            l[i] = li;
            for (int j = 0; j <= i; j++) {
                double[] lj = l[j];
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= li[k] * lj[k];
                }
                if (i == j) {
                    if (!(s > 0) || !Double.isFinite(s)) {
                        return null;
                    }
                    li[i] = Math.sqrt(s);
                } else {
                    li[j] = s / lj[j];
                }
            }
        }
        return new Cholesky(l);
    }

    int size() {
        return n;
    }

    double get(int i, int j) {
        return j <= i ? l[i][j] : 0.0;
    }

    /** Solves L v = b. */
    double[] forward(double[] b) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double[] li = l[i];
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= li[k] * v[k];
            }
            v[i] = s / li[i];
        }
        return v;
    }

    /** Solves L^T x = v. */
    double[] backward(double[] v) {
        double[] x = v.clone();
        for (int i = n - 1; i >= 0; i--) {
            x[i] /= l[i][i];
            double xi = x[i];
            double[] li = l[i];
            for (int k = 0; k < i; k++) {
                x[k] -= li[k] * xi;
            }
        }
        return x;
    }

    /** Solves A x = b. */
    double[] solve(double[] b) {
        return backward(forward(b));
    }

    /** log det A = 2 sum log L_ii. */
    double logDet() {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.log(l[i][i]);
        }
        return 2 * s;
    }

    /** A^-1 (dense, symmetric), from L^-1. */
    double[][] inverse() {
        double[][] linv = new double[n][n];
        for (int j = 0; j < n; j++) {
            // column j of L^-1: forward substitution of e_j, zero above j
            linv[j][j] = 1.0 / l[j][j];
            for (int i = j + 1; i < n; i++) {
                double[] li = l[i];
                double s = 0;
                for (int k = j; k < i; k++) {
                    s -= li[k] * linv[k][j];
                }
                linv[i][j] = s / li[i];
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = i; k < n; k++) {
                    s += linv[k][i] * linv[k][j];
                }
                inv[i][j] = s;
                inv[j][i] = s;
            }
        }
        return inv;
    }
}
