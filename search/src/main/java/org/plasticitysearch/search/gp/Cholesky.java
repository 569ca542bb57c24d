package org.plasticitysearch.search.gp;

import java.util.Arrays;

/**
 * The lower Cholesky factor L of a symmetric positive definite matrix (A = L L^T), with the triangular solves the
 * GP needs. Small and dense: the GP fits at most a few hundred observations.
 *
 * <p>Every entry is computed as in the textbook algorithms (row by row, each sum from its first term to its last,
 * one subtraction after another), so the numbers are theirs, bitwise. The loops are arranged differently: the
 * innermost loop runs over the entries a term updates (a row), not over the terms of one entry's sum, and takes
 * four terms per pass ({@link Rows}). Such loops have no dependence from one entry to the next, so the compiler
 * runs them on vectors, and vectorising them cannot change a bit.
 */
final class Cholesky {
    /** Rows factored or inverted together, each pass over a row of L^T or L^-1 serving all of them from L1. */
    private static final int ROWS = 16;
    /** Terms per pass over those rows. */
    private static final int TERMS = 16;

    /** The rows of L: l[i] holds L[i][0..i] (before {@link #factorRows}, A's lower triangle). */
    private final double[][] l;
    /** Scratch of the factor: the columns of L as rows, u[k][j] = L[j][k] for j >= k. */
    private final double[][] u;
    private final int n;
    /** Scratch of the inverse, allocated by its first call: L^-1 by rows, and the result. */
    private double[][] t;
    private double[][] inv;

    /**
     * Storage for the factor of n × n matrices, reused by each {@link #factorRows}: a fit factors one matrix per
     * step of its line search, and allocating a few MB each time kept the collector busy.
     */
    Cholesky(int n) {
        this.n = n;
        this.l = new double[n][];
        this.u = new double[n][];
        for (int i = 0; i < n; i++) {
            l[i] = new double[i + 1];
            u[i] = new double[n];
        }
    }

    /**
     * Factors {@code a} (only its lower triangle is read) into a new factor; null when it is not numerically positive
     * definite.
     */
    static Cholesky factor(double[][] a) {
        Cholesky c = new Cholesky(a.length);
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, c.l[i], 0, i + 1);
        }
        return c.factorRows() ? c : null;
    }

    /** The rows to fill with A's lower triangle (row i: A[i][0..i]) before {@link #factorRows}. */
    double[][] rows() {
        return l;
    }

    /**
     * Factors the lower triangle in {@link #rows} in place; false (the rows then garbage) when it is not numerically
     * positive definite. L[i][j] = (A[i][j] − Σ_{k<j} L[i][k] L[j][k]) / L[j][j]: row i starts as A's, and as soon
     * as entry k's sum is complete it is divided by L[k][k], giving L[i][k], which is subtracted, times column k of
     * L, from the rest of the row.
     */
    boolean factorRows() {
        for (int i0 = 0; i0 < n; i0 += ROWS) {
            int i1 = Math.min(n, i0 + ROWS);
            for (int k0 = 0; k0 < i0; k0 += TERMS) {
                int k1 = Math.min(i0, k0 + TERMS);
                for (int i = i0; i < i1; i++) {
                    eliminate(l, u, i, k0, k1);
                }
            }
            for (int i = i0; i < i1; i++) {
                eliminate(l, u, i, i0, i);
                double d = l[i][i];
                if (!(d > 0) || !Double.isFinite(d)) {
                    return false;
                }
                l[i][i] = Math.sqrt(d);
            }
        }
        return true;
    }

    /**
     * Row i's terms k0..k1−1: L[i][k] = (its sum so far) / L[k][k], then row i from k + 1 to the diagonal loses
     * L[i][k] times column k. Four at a time, the three entries the later terms of a four need first are brought
     * up to date one term at a time.
     */
    private static void eliminate(double[][] l, double[][] u, int i, int k0, int k1) {
        double[] li = l[i];
        int k = k0;
        for (; k + 4 <= k1; k += 4) {
            double[] u0 = u[k];
            double[] u1 = u[k + 1];
            double[] u2 = u[k + 2];
            double[] u3 = u[k + 3];
            double c0 = li[k] / l[k][k];
            li[k + 1] -= c0 * u0[k + 1];
            double c1 = li[k + 1] / l[k + 1][k + 1];
            li[k + 2] = (li[k + 2] - c0 * u0[k + 2]) - c1 * u1[k + 2];
            double c2 = li[k + 2] / l[k + 2][k + 2];
            li[k + 3] = ((li[k + 3] - c0 * u0[k + 3]) - c1 * u1[k + 3]) - c2 * u2[k + 3];
            double c3 = li[k + 3] / l[k + 3][k + 3];
            li[k] = c0;
            li[k + 1] = c1;
            li[k + 2] = c2;
            li[k + 3] = c3;
            u0[i] = c0;
            u1[i] = c1;
            u2[i] = c2;
            u3[i] = c3;
            Rows.subtract4(li, c0, u0, c1, u1, c2, u2, c3, u3, k + 4, i + 1);
        }
        for (; k < k1; k++) {
            double c = li[k] / l[k][k];
            li[k] = c;
            u[k][i] = c;
            Rows.subtract(li, c, u[k], k + 1, i + 1);
        }
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
     * Solves L V = B in place for m right-hand sides side by side: b[i][c] is entry i of right-hand side c (the
     * first m of each row), and becomes V's (the rows must be distinct arrays: row i is written while rows k < i are
     * read). Each column is {@link #forward} of that right-hand side, bitwise.
     */
    void forwardColumns(double[][] b, int m) {
        for (int i = 0; i < n; i++) {
            double[] bi = b[i];
            double[] li = l[i];
            int k = 0;
            for (; k + 4 <= i; k += 4) {
                Rows.subtract4(bi, li[k], b[k], li[k + 1], b[k + 1], li[k + 2], b[k + 2], li[k + 3], b[k + 3], 0, m);
            }
            for (; k < i; k++) {
                Rows.subtract(bi, li[k], b[k], 0, m);
            }
            double d = li[i];
            for (int c = 0; c < m; c++) {
                bi[c] /= d;
            }
        }
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
     * The lower triangle of A^-1 = (L^-1)^T L^-1 (row i holds its entries 0..i): T = L^-1 by forward substitution,
     * T[i][j] = (0 − Σ_{j≤k<i} L[i][k] T[k][j]) / L[i][i] and T[i][i] = 1 / L[i][i]; then
     * (A^-1)[i][j] = Σ_{k≥i} T[k][i] T[k][j] (j ≤ i), each sum from k = i up. The rows returned are this factor's
     * own, overwritten by the next call.
     */
    double[][] inverseLower() {
        if (t == null) {
            t = new double[n][];
            inv = new double[n][];
            for (int i = 0; i < n; i++) {
                t[i] = new double[i + 1];
                inv[i] = new double[i + 1];
            }
        }
        for (int i0 = 0; i0 < n; i0 += ROWS) {
            int i1 = Math.min(n, i0 + ROWS);
            for (int i = i0; i < i1; i++) {
                Arrays.fill(t[i], 0.0);
            }
            for (int k0 = 0; k0 < i0; k0 += TERMS) {
                int k1 = Math.min(i0, k0 + TERMS);
                for (int i = i0; i < i1; i++) {
                    substitute(t, l[i], t[i], k0, k1);
                }
            }
            for (int i = i0; i < i1; i++) {
                double[] ti = t[i];
                substitute(t, l[i], ti, i0, i);
                double d = l[i][i];
                for (int j = 0; j < i; j++) {
                    ti[j] /= d;
                }
                ti[i] = 1.0 / d;
            }
        }
        for (int i0 = 0; i0 < n; i0 += ROWS) {
            int i1 = Math.min(n, i0 + ROWS);
            for (int i = i0; i < i1; i++) {
                Arrays.fill(inv[i], 0.0);
            }
            for (int k = i0; k < i1; k++) { // the block's own rows of T: row i's sum starts at k = i
                double[] tk = t[k];
                for (int i = i0; i <= k; i++) {
                    Rows.add(inv[i], tk[i], tk, 0, i + 1);
                }
            }
            for (int k0 = i1; k0 < n; k0 += TERMS) {
                int k1 = Math.min(n, k0 + TERMS);
                for (int i = i0; i < i1; i++) {
                    double[] vi = inv[i];
                    int k = k0;
                    for (; k + 4 <= k1; k += 4) {
                        double[] t0 = t[k];
                        double[] t1 = t[k + 1];
                        double[] t2 = t[k + 2];
                        double[] t3 = t[k + 3];
                        Rows.add4(vi, t0[i], t0, t1[i], t1, t2[i], t2, t3[i], t3, 0, i + 1);
                    }
                    for (; k < k1; k++) {
                        Rows.add(vi, t[k][i], t[k], 0, i + 1);
                    }
                }
            }
        }
        return inv;
    }

    /**
     * Row ti of T loses L[i][k] times row k of T for k = k0..k1−1 (row k has entries 0..k); four at a time, the
     * three entries right of the first row's end take their later terms one at a time.
     */
    private static void substitute(double[][] t, double[] li, double[] ti, int k0, int k1) {
        int k = k0;
        for (; k + 4 <= k1; k += 4) {
            double c0 = li[k];
            double c1 = li[k + 1];
            double c2 = li[k + 2];
            double c3 = li[k + 3];
            double[] t1 = t[k + 1];
            double[] t2 = t[k + 2];
            double[] t3 = t[k + 3];
            Rows.subtract4(ti, c0, t[k], c1, t1, c2, t2, c3, t3, 0, k + 1);
            ti[k + 1] = ((ti[k + 1] - c1 * t1[k + 1]) - c2 * t2[k + 1]) - c3 * t3[k + 1];
            ti[k + 2] = (ti[k + 2] - c2 * t2[k + 2]) - c3 * t3[k + 2];
            ti[k + 3] -= c3 * t3[k + 3];
        }
        for (; k < k1; k++) {
            Rows.subtract(ti, li[k], t[k], 0, k + 1);
        }
    }
}
