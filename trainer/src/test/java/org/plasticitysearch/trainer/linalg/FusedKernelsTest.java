package org.plasticitysearch.trainer.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The float32 kernels that do several things in one pass give bitwise the numbers of the kernels one after the
 * other (Matrix's defaults), for row counts on both sides of the four-row groups and with zeros where they skip work.
 */
class FusedKernelsTest {
    private static final int[] ROWS = {1, 3, 4, 5, 8, 13, 16, 17};
    private static final int[] COLS = {3, 8, 19, 33};

    @Test
    void updateWithTheNextForwardPassIsTheUpdateThenTheForwardPass() {
        for (int rows : ROWS) {
            for (int cols : COLS) {
                for (int count = 0; count <= 3; count++) {
                    SplittableRandom r = new SplittableRandom(rows * 100 + cols * 7 + count);
                    F32Matrix src = matrix(r, rows, cols, true);
                    F32Matrix fused = new F32Matrix(rows, cols, true);
                    F32Matrix apart = new F32Matrix(rows, cols, true);
                    double[][] u = new double[3][];
                    double[][] v = new double[3][];
                    for (int m = 0; m < count; m++) {
                        u[m] = m == 2 ? null : vector(r, rows, true);
                        v[m] = vector(r, cols, false);
                    }
                    double[] x = vector(r, cols, true);
                    double[] z1 = new double[rows];
                    double[] z2 = new double[rows];
                    double[] post1 = new double[rows];
                    double[] post2 = new double[rows];
                    double[] v1 = new double[cols];
                    double[] v2 = new double[cols];
                    fused.assignScaledPlusOuterThenForward(src, 0.997, u, v, count, x, z1, relu(z1, post1), post1, v1);
                    apart.assignScaledPlusOuter(src, 0.997, u, v, count);
                    apart.multiply(x, z2);
                    relu(z2, post2).apply(0, rows);
                    apart.multiplyTransposed(post2, v2);
                    String shape = rows + "x" + cols + ", " + count + " products";
                    assertThat(z1).as("z, %s", shape).isEqualTo(z2);
                    assertThat(post1).as("post, %s", shape).isEqualTo(post2);
                    assertThat(v1).as("W^T post, %s", shape).isEqualTo(v2);
                    assertThat(fused.a).as("high parts, %s", shape).isEqualTo(apart.a);
                    assertThat(fused.lo).as("low parts, %s", shape).isEqualTo(apart.lo);
                }
            }
        }
    }

    @Test
    void undoWithItsProductIsTheUndoThenTheProduct() {
        for (int rows : ROWS) {
            for (int cols : COLS) {
                for (double s : new double[] {1.0, 0.97, 1.03}) {
                    SplittableRandom r = new SplittableRandom(rows * 100 + cols);
                    F32Matrix fused = matrix(r, rows, cols, false);
                    F32Matrix apart = new F32Matrix(rows, cols, false);
                    apart.copyFrom(fused);
                    double[][] u = {vector(r, rows, true), vector(r, rows, false), null};
                    double[][] v = {vector(r, cols, false), vector(r, cols, false), vector(r, cols, false)};
                    double[] x = vector(r, cols, true);
                    double[] out1 = new double[rows];
                    double[] out2 = new double[rows];
                    fused.unupdateThenMultiply(s, u, v, 3, x, out1);
                    apart.unupdate(s, u, v, 3);
                    apart.multiply(x, out2);
                    assertThat(out1).as("%dx%d s=%s", rows, cols, s).isEqualTo(out2);
                    assertThat(fused.a).isEqualTo(apart.a);
                }
            }
        }
    }

    @Test
    void fourRowsAndFourProductsAtATimeAreTheSumsInOrder() {
        for (int rows : ROWS) {
            for (int cols : COLS) {
                SplittableRandom r = new SplittableRandom(rows * 31 + cols);
                F32Matrix m = matrix(r, rows, cols, false);
                // W^T x: row after row, one fused multiply-add per entry, rows with x_i == 0 skipped
                double[] x = vector(r, rows, true);
                double[] out = new double[cols];
                m.multiplyTransposed(x, out);
                float[] acc = new float[cols];
                for (int i = 0; i < rows; i++) {
                    float xi = (float) x[i];
                    for (int j = 0; xi != 0f && j < cols; j++) {
                        acc[j] = Math.fma(m.a[i * m.stride + j], xi, acc[j]);
                    }
                }
                for (int j = 0; j < cols; j++) {
                    assertThat(out[j]).as("W^T x, %dx%d, column %d", rows, cols, j).isEqualTo((double) acc[j]);
                }
                // a rank-9 update of a plain matrix: the products one after the other, zero coefficients skipped
                F32Matrix g = matrix(r, rows, cols, false);
                float[] expected = g.a.clone();
                double[][] u = new double[9][];
                double[][] v = new double[9][];
                for (int k = 0; k < 9; k++) {
                    u[k] = vector(r, rows, k % 4 == 1);
                    v[k] = vector(r, cols, false);
                }
                g.assignScaledPlusOuter(g, 1.0, u, v, 9);
                for (int i = 0; i < rows; i++) {
                    for (int k = 0; k < 9; k++) {
                        float uk = (float) u[k][i];
                        for (int j = 0; uk != 0f && j < cols; j++) {
                            expected[i * g.stride + j] = Math.fma((float) v[k][j], uk, expected[i * g.stride + j]);
                        }
                    }
                }
                assertThat(g.a).as("rank-9 update, %dx%d", rows, cols).isEqualTo(expected);
            }
        }
    }

    private static Matrix.RowActivation relu(double[] z, double[] post) {
        return (from, count) -> {
            for (int i = from; i < from + count; i++) {
                post[i] = z[i] > 0 ? z[i] : 0.0; // zeros, so that rows are skipped
            }
        };
    }

    private static double[] vector(SplittableRandom r, int n, boolean withZeros) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = withZeros && r.nextInt(3) == 0 ? 0.0 : r.nextDouble() - 0.5;
        }
        return x;
    }

    private static F32Matrix matrix(SplittableRandom r, int rows, int cols, boolean compensated) {
        F32Matrix m = new F32Matrix(rows, cols, compensated);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.set(i, j, r.nextDouble() - 0.5);
            }
        }
        return m;
    }
}
