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
     * go eight at a time through the columns left of the block (eight independent sums sharing each row j of L),
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
        for (; i0 + 8 <= n; i0 += 8) {
            double[] r0 = l[i0];
            double[] r1 = l[i0 + 1];
            double[] r2 = l[i0 + 2];
            double[] r3 = l[i0 + 3];
            double[] r4 = l[i0 + 4];
            double[] r5 = l[i0 + 5];
            double[] r6 = l[i0 + 6];
            double[] r7 = l[i0 + 7];
            for (int j = 0; j < i0; j++) {
                double[] lj = l[j];
                double s0 = a[i0][j];
                double s1 = a[i0 + 1][j];
                double s2 = a[i0 + 2][j];
                double s3 = a[i0 + 3][j];
                double s4 = a[i0 + 4][j];
                double s5 = a[i0 + 5][j];
                double s6 = a[i0 + 6][j];
                double s7 = a[i0 + 7][j];
                for (int k = 0; k < j; k++) {
                    double b = lj[k];
                    s0 -= r0[k] * b;
                    s1 -= r1[k] * b;
                    s2 -= r2[k] * b;
                    s3 -= r3[k] * b;
                    s4 -= r4[k] * b;
                    s5 -= r5[k] * b;
                    s6 -= r6[k] * b;
                    s7 -= r7[k] * b;
                }
                double d = lj[j];
                r0[j] = s0 / d;
                r1[j] = s1 / d;
                r2[j] = s2 / d;
                r3[j] = s3 / d;
                r4[j] = s4 / d;
                r5[j] = s5 / d;
                r6[j] = s6 / d;
                r7[j] = s7 / d;
            }
            for (int i = i0; i < i0 + 8; i++) {
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
     * Solves L v_m = b_m for eight right-hand sides in one pass over L: eight independent chains where {@link #forward}
     * has one (it is bound by each sum's latency); each v_m is {@code forward(b[m])}, bitwise.
     */
    double[][] forward8(double[][] b) {
        double[][] v = new double[8][n];
        double[] v0 = v[0];
        double[] v1 = v[1];
        double[] v2 = v[2];
        double[] v3 = v[3];
        double[] v4 = v[4];
        double[] v5 = v[5];
        double[] v6 = v[6];
        double[] v7 = v[7];
        for (int i = 0; i < n; i++) {
            double[] li = l[i];
            double s0 = b[0][i];
            double s1 = b[1][i];
            double s2 = b[2][i];
            double s3 = b[3][i];
            double s4 = b[4][i];
            double s5 = b[5][i];
            double s6 = b[6][i];
            double s7 = b[7][i];
            for (int k = 0; k < i; k++) {
                double lk = li[k];
                s0 -= lk * v0[k];
                s1 -= lk * v1[k];
                s2 -= lk * v2[k];
                s3 -= lk * v3[k];
                s4 -= lk * v4[k];
                s5 -= lk * v5[k];
                s6 -= lk * v6[k];
                s7 -= lk * v7[k];
            }
            double d = li[i];
            v0[i] = s0 / d;
            v1[i] = s1 / d;
            v2[i] = s2 / d;
            v3[i] = s3 / d;
            v4[i] = s4 / d;
            v5[i] = s5 / d;
            v6[i] = s6 / d;
            v7[i] = s7 / d;
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

    /**
     * A^-1 (dense, symmetric), from L^-1. L^-1 is kept transposed (row j holds column j), so both triangular loops
     * read contiguous rows, and eight independent sums run side by side (one chain is bound by its latency); each
     * sum keeps its order, so the result is the plain column-by-column algorithm's, bitwise.
     */
    double[][] inverse() {
        // t[j][i] = (L^-1)[i][j], i >= j: forward substitution of e_j
        double[][] t = new double[n][n];
        int j0 = 0;
        for (; j0 + 8 <= n; j0 += 8) {
            inverseColumns8(t, j0);
        }
        for (int j = j0; j < n; j++) {
            inverseColumn(t, j);
        }
        // inv[i][j] = sum_{k >= i} (L^-1)[k][i] (L^-1)[k][j], j <= i
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            double[] ti = t[i];
            int j = 0;
            for (; j + 7 <= i; j += 8) {
                products8(t, ti, i, j, inv);
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

    /** inv[i][j..j+7] (and their mirror) = sum_{k >= i} t[i][k] t[j+c][k], eight sums side by side. */
    private void products8(double[][] t, double[] ti, int i, int j, double[][] inv) {
        double[] t0 = t[j];
        double[] t1 = t[j + 1];
        double[] t2 = t[j + 2];
        double[] t3 = t[j + 3];
        double[] t4 = t[j + 4];
        double[] t5 = t[j + 5];
        double[] t6 = t[j + 6];
        double[] t7 = t[j + 7];
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        for (int k = i; k < n; k++) {
            double a = ti[k];
            s0 += a * t0[k];
            s1 += a * t1[k];
            s2 += a * t2[k];
            s3 += a * t3[k];
            s4 += a * t4[k];
            s5 += a * t5[k];
            s6 += a * t6[k];
            s7 += a * t7[k];
        }
        double[] s = {s0, s1, s2, s3, s4, s5, s6, s7};
        for (int c = 0; c < 8; c++) {
            inv[i][j + c] = s[c];
            inv[j + c][i] = s[c];
        }
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
     * Columns j0..j0+7 of L^-1: each column's rows inside the block one by one, then below it the eight sums side by
     * side, each with its own first terms (k from its own column to the block's end, {@link #head}) before the
     * shared ones.
     */
    private void inverseColumns8(double[][] t, int j0) {
        int kb = j0 + 8;
        for (int c = 0; c < 8; c++) {
            int j = j0 + c;
            double[] tj = t[j];
            tj[j] = 1.0 / l[j][j];
            for (int i = j + 1; i < kb; i++) {
                double[] li = l[i];
                tj[i] = head(li, tj, j, i) / li[i];
            }
        }
        double[] t0 = t[j0];
        double[] t1 = t[j0 + 1];
        double[] t2 = t[j0 + 2];
        double[] t3 = t[j0 + 3];
        double[] t4 = t[j0 + 4];
        double[] t5 = t[j0 + 5];
        double[] t6 = t[j0 + 6];
        double[] t7 = t[j0 + 7];
        for (int i = kb; i < n; i++) {
            double[] li = l[i];
            double s0 = head(li, t0, j0, kb);
            double s1 = head(li, t1, j0 + 1, kb);
            double s2 = head(li, t2, j0 + 2, kb);
            double s3 = head(li, t3, j0 + 3, kb);
            double s4 = head(li, t4, j0 + 4, kb);
            double s5 = head(li, t5, j0 + 5, kb);
            double s6 = head(li, t6, j0 + 6, kb);
            double s7 = head(li, t7, j0 + 7, kb);
            for (int k = kb; k < i; k++) {
                double b = li[k];
                s0 -= b * t0[k];
                s1 -= b * t1[k];
                s2 -= b * t2[k];
                s3 -= b * t3[k];
                s4 -= b * t4[k];
                s5 -= b * t5[k];
                s6 -= b * t6[k];
                s7 -= b * t7[k];
            }
            double d = li[i];
            t0[i] = s0 / d;
            t1[i] = s1 / d;
            t2[i] = s2 / d;
            t3[i] = s3 / d;
            t4[i] = s4 / d;
            t5[i] = s5 / d;
            t6[i] = s6 / d;
            t7[i] = s7 / d;
        }
    }

    /** 0 - sum_{from <= k < to} l_k t_k, subtracted one term at a time (the forward substitution's order). */
    private static double head(double[] li, double[] tj, int from, int to) {
        double s = 0;
        for (int k = from; k < to; k++) {
            s -= li[k] * tj[k];
        }
        return s;
    }
}
