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

    /**
     * Factors {@code a} (only its lower triangle is read); null when it is not numerically positive definite. Rows
     * go four at a time through the columns left of the block (four independent sums sharing each row j of L),
     * then one by one through the block's own triangle; every entry's sum keeps the row-by-row algorithm's order,
     * so L is that algorithm's, bitwise.
     */
    static Cholesky factor(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][];
        for (int i = 0; i < n; i++) {
            l[i] = new double[i + 1];
        }
        int i0 = 0;
        for (; i0 + 4 <= n; i0 += 4) {
            double[] r0 = l[i0];
            double[] r1 = l[i0 + 1];
            double[] r2 = l[i0 + 2];
            double[] r3 = l[i0 + 3];
            for (int j = 0; j < i0; j++) {
                double[] lj = l[j];
                double s0 = a[i0][j];
                double s1 = a[i0 + 1][j];
                double s2 = a[i0 + 2][j];
                double s3 = a[i0 + 3][j];
                for (int k = 0; k < j; k++) {
                    double b = lj[k];
                    s0 -= r0[k] * b;
                    s1 -= r1[k] * b;
                    s2 -= r2[k] * b;
                    s3 -= r3[k] * b;
                }
                r0[j] = s0 / lj[j];
                r1[j] = s1 / lj[j];
                r2[j] = s2 / lj[j];
                r3[j] = s3 / lj[j];
            }
            for (int i = i0; i < i0 + 4; i++) {
                if (!triangle(a, l, i, i0)) {
                    return null;
                }
            }
        }
        for (int i = i0; i < n; i++) {
            if (!triangle(a, l, i, 0)) {
                return null;
            }
        }
        return new Cholesky(l);
    }

    /** Row i of L from column j0 to the diagonal; false when the pivot is not positive. */
    private static boolean triangle(double[][] a, double[][] l, int i, int j0) {
        double[] li = l[i];
        for (int j = j0; j <= i; j++) {
            double[] lj = l[j];
            double s = a[i][j];
            for (int k = 0; k < j; k++) {
                s -= li[k] * lj[k];
            }
            if (i == j) {
                if (!(s > 0) || !Double.isFinite(s)) {
                    return false;
                }
                li[i] = Math.sqrt(s);
            } else {
                li[j] = s / lj[j];
            }
        }
        return true;
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

    /**
     * Solves L v_m = b_m for four right-hand sides in one pass over L: four independent chains where {@link #forward}
     * has one (it is bound by each sum's latency); each v_m is {@code forward(b_m)}, bitwise.
     */
    double[][] forward4(double[] b0, double[] b1, double[] b2, double[] b3) {
        double[] v0 = new double[n];
        double[] v1 = new double[n];
        double[] v2 = new double[n];
        double[] v3 = new double[n];
        for (int i = 0; i < n; i++) {
            double[] li = l[i];
            double s0 = b0[i];
            double s1 = b1[i];
            double s2 = b2[i];
            double s3 = b3[i];
            for (int k = 0; k < i; k++) {
                double lk = li[k];
                s0 -= lk * v0[k];
                s1 -= lk * v1[k];
                s2 -= lk * v2[k];
                s3 -= lk * v3[k];
            }
            v0[i] = s0 / li[i];
            v1[i] = s1 / li[i];
            v2[i] = s2 / li[i];
            v3[i] = s3 / li[i];
        }
        return new double[][]{v0, v1, v2, v3};
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

    /**
     * A^-1 (dense, symmetric), from L^-1. L^-1 is kept transposed (row j holds column j), so both triangular loops
     * read contiguous rows, and four independent sums run side by side; each sum keeps its order, so the result is
     * the plain column-by-column algorithm's, bitwise.
     */
    double[][] inverse() {
        // t[j][i] = (L^-1)[i][j], i >= j: forward substitution of e_j
        double[][] t = new double[n][n];
        int j0 = 0;
        for (; j0 + 4 <= n; j0 += 4) {
            inverseColumns4(t, j0);
        }
        for (int j = j0; j < n; j++) {
            inverseColumn(t, j);
        }
        // inv[i][j] = sum_{k >= i} (L^-1)[k][i] (L^-1)[k][j], j <= i
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            double[] ti = t[i];
            int j = 0;
            for (; j + 3 <= i; j += 4) {
                products4(t, ti, i, j, inv);
            }
            for (; j <= i; j++) {
                double[] tj = t[j];
                double s = 0;
                for (int k = i; k < n; k++) {
                    s += ti[k] * tj[k];
                }
                inv[i][j] = s;
                inv[j][i] = s;
            }
        }
        return inv;
    }

    /** inv[i][j..j+3] (and their mirror) = sum_{k >= i} t[i][k] t[j+c][k], four sums side by side. */
    private void products4(double[][] t, double[] ti, int i, int j, double[][] inv) {
        double[] t0 = t[j];
        double[] t1 = t[j + 1];
        double[] t2 = t[j + 2];
        double[] t3 = t[j + 3];
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int k = i; k < n; k++) {
            double a = ti[k];
            s0 += a * t0[k];
            s1 += a * t1[k];
            s2 += a * t2[k];
            s3 += a * t3[k];
        }
        inv[i][j] = s0;
        inv[j][i] = s0;
        inv[i][j + 1] = s1;
        inv[j + 1][i] = s1;
        inv[i][j + 2] = s2;
        inv[j + 2][i] = s2;
        inv[i][j + 3] = s3;
        inv[j + 3][i] = s3;
    }

    /** Column j of L^-1 (in t[j]) by forward substitution of e_j. */
    private void inverseColumn(double[][] t, int j) {
        double[] tj = t[j];
        tj[j] = 1.0 / l[j][j];
        for (int i = j + 1; i < n; i++) {
            double[] li = l[i];
            double s = 0;
            for (int k = j; k < i; k++) {
                s -= li[k] * tj[k];
            }
            tj[i] = s / li[i];
        }
    }

    /**
     * Columns j0..j0+3 of L^-1: each column's rows inside the block one by one, then below it the four sums side by
     * side, each with its own first terms (k from its own column) before the shared ones.
     */
    private void inverseColumns4(double[][] t, int j0) {
        for (int c = 0; c < 4; c++) {
            int j = j0 + c;
            double[] tj = t[j];
            tj[j] = 1.0 / l[j][j];
            for (int i = j + 1; i < j0 + 4; i++) {
                double[] li = l[i];
                double s = 0;
                for (int k = j; k < i; k++) {
                    s -= li[k] * tj[k];
                }
                tj[i] = s / li[i];
            }
        }
        double[] ta = t[j0];
        double[] tb = t[j0 + 1];
        double[] tc = t[j0 + 2];
        double[] td = t[j0 + 3];
        int kb = j0 + 4;
        for (int i = kb; i < n; i++) {
            double[] li = l[i];
            double sa = 0;
            double sb = 0;
            double sc = 0;
            sa -= li[j0] * ta[j0];
            sa -= li[j0 + 1] * ta[j0 + 1];
            sa -= li[j0 + 2] * ta[j0 + 2];
            sa -= li[j0 + 3] * ta[j0 + 3];
            sb -= li[j0 + 1] * tb[j0 + 1];
            sb -= li[j0 + 2] * tb[j0 + 2];
            sb -= li[j0 + 3] * tb[j0 + 3];
            sc -= li[j0 + 2] * tc[j0 + 2];
            sc -= li[j0 + 3] * tc[j0 + 3];
            double sd = 0 - li[j0 + 3] * td[j0 + 3];
            for (int k = kb; k < i; k++) {
                double b = li[k];
                sa -= b * ta[k];
                sb -= b * tb[k];
                sc -= b * tc[k];
                sd -= b * td[k];
            }
            double d = li[i];
            ta[i] = sa / d;
            tb[i] = sb / d;
            tc[i] = sc / d;
            td[i] = sd / d;
        }
    }
}
