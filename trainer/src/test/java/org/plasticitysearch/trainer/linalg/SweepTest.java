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
        F32Matrix[] mats = matrices(rng, rows, cols, false);
        F32Matrix w = mats[0];
        F32Matrix gFused = mats[1];
        F32Matrix gPlain = mats[2];
        AdjointSweep fused = arguments(rng, rows, cols, w, weightDot, transposed, count, nDots, nCols, scale);
        AdjointSweep plain = copyOf(fused, rows, cols);

        gFused.sweep(fused);
        separateKernels(gPlain, plain);

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
        F32Matrix[] mats = matrices(rng, rows, cols, true);
        F32Matrix w = mats[0];
        F32Matrix gFused = mats[1];
        F32Matrix gPlain = mats[2];
        AdjointSweep fused = arguments(rng, rows, cols, w, true, true, 2, 2, 3, 1.0);
        for (int i = 0; i < rows; i += 3) {
            fused.transposedIn[i] = 0.0; // zBar_i = 0: no W^T share, no first product
            fused.u[1][i] = 0.0;
            fused.colIn[0][i] = 0.0;
        }
        AdjointSweep plain = copyOf(fused, rows, cols);
        gFused.sweep(fused);
        separateKernels(gPlain, plain);
        for (int k = 0; k < gFused.a.length; k++) {
            assertThat(gFused.a[k] == gPlain.a[k]).as("G[%d]: %s vs %s", k, gFused.a[k], gPlain.a[k]).isTrue();
        }
        assertThat(fused.weightDotOut).isEqualTo(plain.weightDotOut);
        assertThat(fused.transposedOut).isEqualTo(plain.transposedOut);
        assertThat(fused.dotOut[0]).isEqualTo(plain.dotOut[0]);
        assertThat(fused.colOut[0]).isEqualTo(plain.colOut[0]);
    }

    /** W (compensated, random) and two equal plain G's; every 5th column of G is -0 when asked. */
    private static F32Matrix[] matrices(SplittableRandom rng, int rows, int cols, boolean negativeZeros) {
        F32Matrix w = new F32Matrix(rows, cols, true);
        F32Matrix gFused = new F32Matrix(rows, cols, false);
        F32Matrix gPlain = new F32Matrix(rows, cols, false);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                w.set(i, j, rng.nextDouble() - 0.5);
                double g = negativeZeros && j % 5 == 0 ? -0.0 : (rng.nextDouble() - 0.5) * 1e-3;
                gFused.set(i, j, g);
                gPlain.set(i, j, g);
            }
        }
        return new F32Matrix[] {w, gFused, gPlain};
    }

    /** Matrix.sweep's default: the separate kernels one after the other. */
    private static void separateKernels(F32Matrix g, AdjointSweep p) {
        if (p.weightDot) {
            p.weightDotOut = g.dot(p.weights);
        }
        if (p.transposedOut != null) {
            p.weights.multiplyTransposed(p.transposedIn, p.transposedOut);
        }
        g.assignScaledPlusOuter(g, p.scale, p.u, p.v, p.count);
        g.fusedMultiplyBoth(p.dotIn, p.dotOut, p.nDots, p.colIn, p.colOut, p.nCols);
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
