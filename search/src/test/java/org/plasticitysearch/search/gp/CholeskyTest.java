package org.plasticitysearch.search.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vectorised factor, inverse and batched solve give the textbook algorithms' numbers bitwise, at sizes around
 * the block and group edges (a wrong term order or a missed term changes the last bits, or more).
 */
class CholeskyTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 15, 16, 17, 21, 33, 47, 64, 70};

    /** A well-conditioned SPD matrix: a Matern-5/2 kernel matrix of random points plus a small ridge. */
    static double[][] spd(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][3];
        for (double[] xi : x) {
            for (int j = 0; j < 3; j++) {
                xi[j] = r.nextDouble();
            }
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c <= i; c++) {
                double r2 = 0;
                for (int j = 0; j < 3; j++) {
                    r2 += 4 * (x[i][j] - x[c][j]) * (x[i][j] - x[c][j]);
                }
                a[i][c] = Matern52.m(r2) + (i == c ? 1e-3 : 0);
                a[c][i] = a[i][c];
            }
        }
        return a;
    }

    /** The row-by-row textbook factor: each sum from k = 0 up, one subtraction at a time. */
    static double[][] textbookFactor(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
            }
        }
        return l;
    }

    /** Column j of L^-1 by forward substitution of e_j, then (A^-1)[i][j] = Σ_{k≥i} (L^-1)[k][i] (L^-1)[k][j]. */
    static double[][] textbookInverse(double[][] l) {
        int n = l.length;
        double[][] t = new double[n][n];
        for (int j = 0; j < n; j++) {
            t[j][j] = 1.0 / l[j][j];
            for (int i = j + 1; i < n; i++) {
                double s = 0;
                for (int k = j; k < i; k++) {
                    s -= l[i][k] * t[k][j];
                }
                t[i][j] = s / l[i][i];
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = i; k < n; k++) {
                    s += t[k][i] * t[k][j];
                }
                inv[i][j] = s;
            }
        }
        return inv;
    }

    @Test
    void factorAndInverseAreTheTextbookAlgorithmsBitwise() {
        for (int n : SIZES) {
            double[][] a = spd(n, n);
            Cholesky c = Cholesky.factor(a);
            double[][] l = textbookFactor(a);
            double[][] inv = textbookInverse(l);
            double[][] got = c.inverseLower();
            for (int i = 0; i < n; i++) {
                assertThat(got[i]).as("row %d of A^-1 has its diagonal last (n = %d)", i, n).hasSize(i + 1);
                for (int j = 0; j <= i; j++) {
                    assertThat(c.get(i, j)).as("L[%d][%d], n = %d", i, j, n).isEqualTo(l[i][j]);
                    assertThat(got[i][j]).as("inv[%d][%d], n = %d", i, j, n).isEqualTo(inv[i][j]);
                }
            }
            // and it is the inverse: A A^-1 = I (to rounding)
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int k = 0; k < n; k++) {
                        s += a[i][k] * (k >= j ? got[k][j] : got[j][k]);
                    }
                    assertThat(s).isCloseTo(i == j ? 1.0 : 0.0, within(1e-8));
                }
            }
        }
    }

    @Test
    void columnsSolvedTogetherAreEachForwardSolveBitwise() {
        for (int n : SIZES) {
            Cholesky c = Cholesky.factor(spd(n, 100 + n));
            SplittableRandom r = new SplittableRandom(n);
            int m = 7;
            double[][] b = new double[n][m + 2]; // longer rows: only the first m columns are solved
            for (double[] row : b) {
                for (int k = 0; k < row.length; k++) {
                    row[k] = r.nextDouble() - 0.5;
                }
            }
            double[][] solved = new double[n][];
            for (int i = 0; i < n; i++) {
                solved[i] = b[i].clone();
            }
            c.forwardColumns(solved, m);
            for (int col = 0; col < m + 2; col++) {
                double[] rhs = new double[n];
                for (int i = 0; i < n; i++) {
                    rhs[i] = b[i][col];
                }
                double[] v = c.forward(rhs);
                for (int i = 0; i < n; i++) {
                    assertThat(solved[i][col]).as("column %d, row %d, n = %d", col, i, n)
                            .isEqualTo(col < m ? v[i] : b[i][col]);
                }
            }
        }
    }

    @Test
    void aReusedFactorIsAFreshOneBitwise() {
        int n = 37;
        Cholesky reused = new Cholesky(n);
        for (long seed : new long[]{1, 2, 3}) {
            double[][] a = spd(n, seed);
            if (seed == 2) { // a failed factorisation leaves garbage in the rows: the next one must not see it
                double[][] bad = spd(n, 9);
                bad[20][20] = -1;
                fill(reused, bad);
                assertThat(reused.factorRows()).isFalse();
            }
            fill(reused, a);
            assertThat(reused.factorRows()).isTrue();
            Cholesky fresh = Cholesky.factor(a);
            double[][] inv = reused.inverseLower();
            double[][] freshInv = fresh.inverseLower();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    assertThat(reused.get(i, j)).as("L[%d][%d], seed %d", i, j, seed).isEqualTo(fresh.get(i, j));
                    assertThat(inv[i][j]).as("inv[%d][%d], seed %d", i, j, seed).isEqualTo(freshInv[i][j]);
                }
            }
        }
    }

    private static void fill(Cholesky c, double[][] a) {
        double[][] rows = c.rows();
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, rows[i], 0, i + 1);
        }
    }

    @Test
    void notPositiveDefiniteIsNull() {
        double[][] a = spd(40, 7);
        a[33][33] = -1;
        assertThat(Cholesky.factor(a)).isNull();
        a[33][33] = Double.NaN;
        assertThat(Cholesky.factor(a)).isNull();
    }
}
