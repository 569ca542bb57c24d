package org.plasticitysearch.trainer.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused float32 sweep of the adjoint ({@link F32Sweep}) against the separate kernels it replaces, run one after
 * the other as {@link Matrix#sweep}'s default does: every output bitwise equal, on shapes with odd row counts and
 * column tails, with every part switched on and off.
 */
class SweepTest {
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(7, 13, true, true, 3, 2, 3, 0.9993),
                Arguments.of(6, 16, false, true, 2, 2, 3, 1.0),
                Arguments.of(47, 70, true, true, 3, 1, 1, 1.0002),
                Arguments.of(170, 784, true, false, 2, 2, 3, 0.9999),
                Arguments.of(130, 170, false, true, 1, 1, 2, 1.0),
                Arguments.of(9, 5, true, false, 0, 0, 0, 0.5),
                Arguments.of(100, 70, false, false, 2, 2, 0, 1.0),
                Arguments.of(47, 30, false, false, 2, 2, 2, 1.0)); // fused with no W (bio's layer 0)
    }

    @ParameterizedTest(name = "{0}x{1} dot={2} wt={3} count={4} dots={5} cols={6} scale={7}")
    @MethodSource("shapes")
    void fusedSweepEqualsTheSeparateKernelsBitwise(int rows, int cols, boolean weightDot, boolean transposed,
                                                   int count, int nDots, int nCols, double scale) {
        SplittableRandom rng = new SplittableRandom(rows * 1000L + cols);
        F32Matrix w = new F32Matrix(rows, cols, true);
        F32Matrix gFused = new F32Matrix(rows, cols, false);
        F32Matrix gPlain = new F32Matrix(rows, cols, false);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                w.set(i, j, rng.nextDouble() - 0.5);
                double g = (rng.nextDouble() - 0.5) * 1e-3;
                gFused.set(i, j, g);
                gPlain.set(i, j, g);
            }
        }
        AdjointSweep fused = arguments(rng, rows, cols, w, weightDot, transposed, count, nDots, nCols, scale);
        AdjointSweep plain = copyOf(fused, rows, cols);

        gFused.sweep(fused);
        // the default: the separate kernels one after the other
        if (plain.weightDot) {
            plain.weightDotOut = gPlain.dot(plain.weights);
        }
        if (plain.transposedOut != null) {
            plain.weights.multiplyTransposed(plain.transposedIn, plain.transposedOut);
        }
        gPlain.assignScaledPlusOuter(gPlain, plain.scale, plain.u, plain.v, plain.count);
        gPlain.fusedMultiplyBoth(plain.dotIn, plain.dotOut, plain.nDots, plain.colIn, plain.colOut, plain.nCols);

        assertThat(gFused.a).as("updated G").isEqualTo(gPlain.a);
        assertThat(fused.weightDotOut).as("<G, W>").isEqualTo(plain.weightDotOut);
        if (transposed) {
            assertThat(fused.transposedOut).as("W^T zBar").isEqualTo(plain.transposedOut);
        }
        for (int k = 0; k < nDots; k++) {
            assertThat(fused.dotOut[k]).as("G' x_%d", k).isEqualTo(plain.dotOut[k]);
        }
        for (int m = 0; m < nCols; m++) {
            assertThat(fused.colOut[m]).as("G'^T c_%d", m).isEqualTo(plain.colOut[m]);
        }
    }

    @org.junit.jupiter.api.Test
    void zerosAndNegativeZerosGiveTheSameValues() {
        // exact zeros in the coefficients and -0 in G: the fused kernel adds 0 x row where the separate ones skip
        // the row, which may turn a stored -0 into +0; every value is the same (compared with ==)
        int rows = 10;
        int cols = 19;
        SplittableRandom rng = new SplittableRandom(11);
        F32Matrix w = new F32Matrix(rows, cols, true);
        F32Matrix gFused = new F32Matrix(rows, cols, false);
        F32Matrix gPlain = new F32Matrix(rows, cols, false);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                w.set(i, j, rng.nextDouble() - 0.5);
                double g = j % 5 == 0 ? -0.0 : (rng.nextDouble() - 0.5) * 1e-3;
                gFused.set(i, j, g);
                gPlain.set(i, j, g);
            }
        }
        AdjointSweep fused = arguments(rng, rows, cols, w, true, true, 2, 2, 3, 1.0);
        for (int i = 0; i < rows; i += 3) {
            fused.transposedIn[i] = 0.0; // zBar_i = 0: no W^T share, no first product
            fused.u[1][i] = 0.0;
            fused.colIn[0][i] = 0.0;
        }
        AdjointSweep plain = copyOf(fused, rows, cols);
        gFused.sweep(fused);
        plain.weightDotOut = gPlain.dot(plain.weights);
        plain.weights.multiplyTransposed(plain.transposedIn, plain.transposedOut);
        gPlain.assignScaledPlusOuter(gPlain, plain.scale, plain.u, plain.v, plain.count);
        gPlain.fusedMultiplyBoth(plain.dotIn, plain.dotOut, plain.nDots, plain.colIn, plain.colOut, plain.nCols);
        for (int k = 0; k < gFused.a.length; k++) {
            assertThat(gFused.a[k] == gPlain.a[k]).as("G[%d]: %s vs %s", k, gFused.a[k], gPlain.a[k]).isTrue();
        }
        assertThat(fused.weightDotOut).isEqualTo(plain.weightDotOut);
        assertThat(fused.transposedOut).isEqualTo(plain.transposedOut);
        assertThat(fused.dotOut[0]).isEqualTo(plain.dotOut[0]);
        assertThat(fused.colOut[0]).isEqualTo(plain.colOut[0]);
    }

    private static AdjointSweep arguments(SplittableRandom rng, int rows, int cols, Matrix w, boolean weightDot,
                                          boolean transposed, int count, int nDots, int nCols, double scale) {
        AdjointSweep p = new AdjointSweep();
        p.weights = weightDot || transposed ? w : null;
        p.weightDot = weightDot;
        p.scale = scale;
        p.transposedIn = vector(rng, rows);
        p.transposedOut = transposed ? new double[cols] : null;
        p.count = count;
        for (int m = 0; m < count; m++) {
            p.u[m] = m == 2 ? null : m == 0 ? p.transposedIn : vector(rng, rows); // u[0] = zBar; a null is ones
            p.v[m] = vector(rng, cols);
        }
        p.nDots = nDots;
        for (int k = 0; k < nDots; k++) {
            p.dotIn[k] = vector(rng, cols);
            p.dotOut[k] = new double[rows];
        }
        p.nCols = nCols;
        for (int m = 0; m < nCols; m++) {
            p.colIn[m] = m == 2 ? null : vector(rng, rows);
            p.colOut[m] = new double[cols];
        }
        return p;
    }

    private static AdjointSweep copyOf(AdjointSweep f, int rows, int cols) {
        AdjointSweep p = new AdjointSweep();
        p.weights = f.weights;
        p.weightDot = f.weightDot;
        p.scale = f.scale;
        p.transposedIn = f.transposedIn;
        p.transposedOut = f.transposedOut == null ? null : new double[cols];
        p.count = f.count;
        for (int m = 0; m < 3; m++) {
            p.u[m] = f.u[m];
            p.v[m] = f.v[m];
            p.colIn[m] = f.colIn[m];
            p.colOut[m] = f.colOut[m] == null ? null : new double[cols];
        }
        p.nDots = f.nDots;
        for (int k = 0; k < 2; k++) {
            p.dotIn[k] = f.dotIn[k];
            p.dotOut[k] = f.dotOut[k] == null ? null : new double[rows];
        }
        p.nCols = f.nCols;
        return p;
    }

    private static double[] vector(SplittableRandom rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rng.nextDouble() - 0.5) * 2e-2 + 1e-4; // never exactly zero
        }
        return v;
    }
}
