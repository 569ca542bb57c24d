package org.plasticitysearch.trainer.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * float32 rows are stored padded to whole vectors, and every kernel runs over the padding, so it must hold zeros:
 * through updates, walks and sweeps, and again after an overflow wrote NaN there (inf times a padded 0) once the
 * matrix is initialised anew, entry by entry, as every episode does.
 */
class RowPaddingTest {
    private static final int ROWS = 5;
    private static final int COLS = 11; // stride 16 with 256-bit vectors: five padded floats per row

    @Test
    void updatesWalksAndSweepsLeaveThePaddingAtZero() {
        SplittableRandom r = new SplittableRandom(3);
        F32Matrix w = matrix(r, true);
        F32Matrix g = matrix(r, false);
        double[][] u = {vector(r, ROWS), vector(r, ROWS), null};
        double[][] v = {vector(r, COLS), vector(r, COLS), vector(r, COLS)};
        w.assignScaledPlusOuterThenMultiply(w, 0.9, u, v, 3, vector(r, COLS), new double[ROWS]);
        w.unupdateThenMultiply(0.9, u, v, 3, vector(r, COLS), new double[ROWS]);
        g.assignScaledPlusOuter(g, 1.1, u, v, 3);
        AdjointSweep p = new AdjointSweep();
        p.weights = w;
        p.transposedIn = vector(r, ROWS);
        p.transposedOut = new double[COLS];
        p.scale = 1.0;
        p.count = 2;
        p.u[0] = u[0];
        p.u[1] = u[1];
        p.v[0] = v[0];
        p.v[1] = v[1];
        p.nDots = 2;
        p.nCols = 2;
        for (int k = 0; k < 2; k++) {
            p.dotIn[k] = vector(r, COLS);
            p.dotOut[k] = new double[ROWS];
            p.colIn[k] = vector(r, ROWS);
            p.colOut[k] = new double[COLS];
        }
        g.sweep(p);
        assertPaddingZero(w.a, w.stride);
        assertPaddingZero(w.lo, w.stride);
        assertPaddingZero(g.a, g.stride);
    }

    @Test
    void anOverflowInThePaddingIsClearedByTheNextInitialisation() {
        SplittableRandom r = new SplittableRandom(4);
        F32Matrix w = matrix(r, true);
        double[] inf = new double[ROWS];
        java.util.Arrays.fill(inf, Double.POSITIVE_INFINITY);
        w.assignScaledPlusOuter(w, 1.0, new double[][] {inf}, new double[][] {vector(r, COLS)}, 1);
        assertThat(w.a[COLS]).as("inf * a padded 0").isNaN();
        SplittableRandom same = new SplittableRandom(5);
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLS; j++) {
                w.set(i, j, same.nextDouble() - 0.5);
            }
        }
        F32Matrix fresh = matrix(new SplittableRandom(5), true);
        double[] x = vector(r, COLS);
        double[] a = new double[ROWS];
        double[] b = new double[ROWS];
        w.multiply(x, a);
        fresh.multiply(x, b);
        assertThat(a).isEqualTo(b);
        assertPaddingZero(w.a, w.stride);
        assertPaddingZero(w.lo, w.stride);
        // the same through setRow, the way an episode initialises its weights
        w.assignScaledPlusOuter(w, 1.0, new double[][] {inf}, new double[][] {vector(r, COLS)}, 1);
        SplittableRandom again = new SplittableRandom(5);
        for (int i = 0; i < ROWS; i++) {
            double[] row = new double[COLS];
            for (int j = 0; j < COLS; j++) {
                row[j] = again.nextDouble() - 0.5;
            }
            w.setRow(i, row);
        }
        w.multiply(x, a);
        assertThat(a).isEqualTo(b);
        assertPaddingZero(w.a, w.stride);
        assertPaddingZero(w.lo, w.stride);
    }

    private static void assertPaddingZero(float[] m, int stride) {
        assertThat(stride).isGreaterThan(COLS);
        for (int i = 0; i < ROWS; i++) {
            for (int j = COLS; j < stride; j++) {
                assertThat(m[i * stride + j]).as("row %d, padded column %d", i, j).isEqualTo(0f);
            }
        }
    }

    private static double[] vector(SplittableRandom r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble() - 0.5;
        }
        return x;
    }

    private static F32Matrix matrix(SplittableRandom r, boolean compensated) {
        F32Matrix m = new F32Matrix(ROWS, COLS, compensated);
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLS; j++) {
                m.set(i, j, r.nextDouble() - 0.5);
            }
        }
        return m;
    }
}
