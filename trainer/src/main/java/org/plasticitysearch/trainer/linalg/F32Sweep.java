package org.plasticitysearch.trainer.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Matrix#sweep} for a plain float32 G: one pass over the rows of G and W, two rows at a time, every value
 * kept in registers between the kernels it used to pass through memory: {@code <G_i, W_i>}, W_i's share of W^T zBar,
 * G_i's update, and the previous step's reads of the new G_i. Each number is formed by the same operations in the
 * same order as the separate kernels of {@link F32Matrix} (per-row lane sums, row-order accumulation), so the
 * results are bitwise theirs; only the loads and stores between them, and the dependency chains' stalls, are gone.
 *
 * <p>One difference is possible in principle: the separate kernels skip a row whose coefficient is exactly 0, this
 * one adds {@code 0 x row}, which can turn a stored -0 into +0. Both are zero; nothing downstream can tell.
 */
final class F32Sweep {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int LANES = S.length();

    private final F32Matrix g;
    private final int rows;
    private final int cols;
    private final int bound;
    private final float[] lanes = new float[LANES];
    private final float[] zeros;
    private final float[] scratch;
    /** <G, W> so far: row sums added in row order, as {@link F32Matrix#dot} does. */
    private double weightDot;

    F32Sweep(F32Matrix g) {
        this.g = g;
        this.rows = g.rows();
        this.cols = g.cols();
        this.bound = S.loopBound(cols);
        this.zeros = new float[cols];
        this.scratch = new float[cols];
    }

    void run(AdjointSweep p) {
        float[] a = g.a;
        float[] w = p.weights == null ? null : ((F32Matrix) p.weights).a;
        // scratch: update vectors in slots 0-2, dot inputs in 3-4; W^T accumulator in 0, column reads in 1-3
        float[] v0 = p.count > 0 ? g.colVector(0, p.v[0]) : zeros;
        float[] v1 = p.count > 1 ? g.colVector(1, p.v[1]) : zeros;
        float[] v2 = p.count > 2 ? g.colVector(2, p.v[2]) : zeros;
        float[] x0 = p.nDots > 0 ? g.colVector(3, p.dotIn[0]) : zeros;
        float[] x1 = p.nDots > 1 ? g.colVector(4, p.dotIn[1]) : zeros;
        float[] wt = p.transposedOut != null ? g.zeroedColAccumulator(0) : null;
        float[] c0 = p.nCols > 0 ? g.zeroedColAccumulator(1) : null;
        float[] c1 = p.nCols > 1 ? g.zeroedColAccumulator(2) : null;
        float[] c2 = p.nCols > 2 ? g.zeroedColAccumulator(3) : null;
        float fs = (float) p.scale;
        weightDot = 0;
        int i = 0;
        for (; i + 1 < rows; i += 2) {
            pair(p, i, a, w, fs, v0, v1, v2, x0, x1, wt, c0, c1, c2);
        }
        if (i < rows) {
            weightDot += single(p, i, a, w, fs, new float[][] {v0, v1, v2}, new float[][] {x0, x1}, wt,
                    new float[][] {c0, c1, c2});
        }
        p.weightDotOut = weightDot;
        if (wt != null) {
            copy(wt, p.transposedOut);
        }
        float[][] acc = {c0, c1, c2};
        for (int m = 0; m < p.nCols; m++) {
            copy(acc[m], p.colOut[m]);
        }
    }

    private void copy(float[] from, double[] to) {
        for (int j = 0; j < cols; j++) {
            to[j] = from[j];
        }
    }

    private static float at(double[][] u, int m, int count, int i) {
        if (m >= count) {
            return 0f;
        }
        return u[m] == null ? 1f : (float) u[m][i];
    }

    /** Rows i and i + 1. */
    private void pair(AdjointSweep p, int i, float[] a, float[] w, float fs, float[] v0, float[] v1, float[] v2,
                        float[] x0, float[] x1, float[] wt, float[] c0, float[] c1, float[] c2) {
        int o0 = i * cols;
        int o1 = o0 + cols;
        boolean dotW = p.weightDot;
        boolean scaled = fs != 1f;
        int count = p.count;
        int nDots = p.nDots;
        int nCols = p.nCols;
        float t0 = wt == null ? 0f : (float) p.transposedIn[i];
        float t1 = wt == null ? 0f : (float) p.transposedIn[i + 1];
        float u00 = at(p.u, 0, count, i);
        float u01 = at(p.u, 0, count, i + 1);
        float u10 = at(p.u, 1, count, i);
        float u11 = at(p.u, 1, count, i + 1);
        float u20 = at(p.u, 2, count, i);
        float u21 = at(p.u, 2, count, i + 1);
        float q00 = at(p.colIn, 0, nCols, i);
        float q01 = at(p.colIn, 0, nCols, i + 1);
        float q10 = at(p.colIn, 1, nCols, i);
        float q11 = at(p.colIn, 1, nCols, i + 1);
        float q20 = at(p.colIn, 2, nCols, i);
        float q21 = at(p.colIn, 2, nCols, i + 1);
        FloatVector vs = FloatVector.broadcast(S, fs);
        FloatVector gw0 = FloatVector.zero(S);
        FloatVector gw1 = gw0;
        FloatVector d00 = gw0;
        FloatVector d01 = gw0;
        FloatVector d10 = gw0;
        FloatVector d11 = gw0;
        // branch-free: absent parts run on zeros (a missing W on G itself) and their results are not used
        float[] wr = w == null ? a : w;
        float[] wtr = wt == null ? scratch : wt;
        float[] a0 = nCols > 0 ? c0 : scratch;
        float[] a1 = nCols > 1 ? c1 : scratch;
        float[] a2 = nCols > 2 ? c2 : scratch;
        FloatVector bt0 = FloatVector.broadcast(S, t0);
        FloatVector bt1 = FloatVector.broadcast(S, t1);
        FloatVector b00 = FloatVector.broadcast(S, u00);
        FloatVector b01 = FloatVector.broadcast(S, u01);
        FloatVector b10 = FloatVector.broadcast(S, u10);
        FloatVector b11 = FloatVector.broadcast(S, u11);
        FloatVector b20 = FloatVector.broadcast(S, u20);
        FloatVector b21 = FloatVector.broadcast(S, u21);
        FloatVector p00 = FloatVector.broadcast(S, q00);
        FloatVector p01 = FloatVector.broadcast(S, q01);
        FloatVector p10 = FloatVector.broadcast(S, q10);
        FloatVector p11 = FloatVector.broadcast(S, q11);
        FloatVector p20 = FloatVector.broadcast(S, q20);
        FloatVector p21 = FloatVector.broadcast(S, q21);
        int j = 0;
        for (; j < bound; j += LANES) {
            FloatVector g0 = FloatVector.fromArray(S, a, o0 + j);
            FloatVector g1 = FloatVector.fromArray(S, a, o1 + j);
            FloatVector w0 = FloatVector.fromArray(S, wr, o0 + j);
            FloatVector w1 = FloatVector.fromArray(S, wr, o1 + j);
            gw0 = g0.fma(w0, gw0);
            gw1 = g1.fma(w1, gw1);
            FloatVector acc = FloatVector.fromArray(S, wtr, j);
            w1.fma(bt1, w0.fma(bt0, acc)).intoArray(wtr, j);
            g0 = g0.mul(vs);
            g1 = g1.mul(vs);
            FloatVector v = FloatVector.fromArray(S, v0, j);
            g0 = v.fma(b00, g0);
            g1 = v.fma(b01, g1);
            v = FloatVector.fromArray(S, v1, j);
            g0 = v.fma(b10, g0);
            g1 = v.fma(b11, g1);
            v = FloatVector.fromArray(S, v2, j);
            g0 = v.fma(b20, g0);
            g1 = v.fma(b21, g1);
            g0.intoArray(a, o0 + j);
            g1.intoArray(a, o1 + j);
            FloatVector x = FloatVector.fromArray(S, x0, j);
            d00 = g0.fma(x, d00);
            d01 = g1.fma(x, d01);
            x = FloatVector.fromArray(S, x1, j);
            d10 = g0.fma(x, d10);
            d11 = g1.fma(x, d11);
            acc = FloatVector.fromArray(S, a0, j);
            g1.fma(p01, g0.fma(p00, acc)).intoArray(a0, j);
            acc = FloatVector.fromArray(S, a1, j);
            g1.fma(p11, g0.fma(p10, acc)).intoArray(a1, j);
            acc = FloatVector.fromArray(S, a2, j);
            g1.fma(p21, g0.fma(p20, acc)).intoArray(a2, j);
        }
        // lane sums first, then the scalar tail, as the separate kernels do
        double gwRow0 = dotW ? Simd.sum(gw0, lanes) : 0;
        double gwRow1 = dotW ? Simd.sum(gw1, lanes) : 0;
        double s00 = Simd.sum(d00, lanes);
        double s01 = Simd.sum(d01, lanes);
        double s10 = Simd.sum(d10, lanes);
        double s11 = Simd.sum(d11, lanes);
        for (int r = 0; r < 2; r++) {
            int o = r == 0 ? o0 : o1;
            double gwRow = r == 0 ? gwRow0 : gwRow1;
            float t = r == 0 ? t0 : t1;
            float[] u = r == 0 ? new float[] {u00, u10, u20} : new float[] {u01, u11, u21};
            float[] q = r == 0 ? new float[] {q00, q10, q20} : new float[] {q01, q11, q21};
            double s0 = r == 0 ? s00 : s01;
            double s1 = r == 0 ? s10 : s11;
            for (int jj = j; jj < cols; jj++) {
                float gv = a[o + jj];
                if (w != null) {
                    if (dotW) {
                        gwRow += gv * w[o + jj];
                    }
                    if (wt != null) {
                        wt[jj] = Math.fma(w[o + jj], t, wt[jj]);
                    }
                }
                if (scaled) {
                    gv = gv * fs;
                }
                gv = count > 0 ? Math.fma(v0[jj], u[0], gv) : gv;
                gv = count > 1 ? Math.fma(v1[jj], u[1], gv) : gv;
                gv = count > 2 ? Math.fma(v2[jj], u[2], gv) : gv;
                a[o + jj] = gv;
                s0 += gv * x0[jj];
                s1 += gv * x1[jj];
                if (nCols > 0) {
                    c0[jj] = Math.fma(gv, q[0], c0[jj]);
                }
                if (nCols > 1) {
                    c1[jj] = Math.fma(gv, q[1], c1[jj]);
                }
                if (nCols > 2) {
                    c2[jj] = Math.fma(gv, q[2], c2[jj]);
                }
            }
            if (nDots > 0) {
                p.dotOut[0][i + r] = s0;
            }
            if (nDots > 1) {
                p.dotOut[1][i + r] = s1;
            }
            if (r == 0) {
                gwRow0 = gwRow;
            } else {
                gwRow1 = gwRow;
            }
        }
        weightDot += gwRow0;
        weightDot += gwRow1;
    }

    /** The last row of an odd count, through the separate kernels' own row operations. */
    private double single(AdjointSweep p, int i, float[] a, float[] w, float fs, float[][] v, float[][] x, float[] wt,
                          float[][] acc) {
        int o = i * cols;
        double weightDot = p.weightDot ? g.rowsDot(a, w, o) : 0;
        if (wt != null) {
            float xi = (float) p.transposedIn[i];
            if (xi != 0f) {
                g.axpyRow(w, xi, o, wt);
            }
        }
        if (fs != 1f) {
            g.scaleRow(a, o, fs, a, o);
        }
        for (int m = 0; m < p.count; m++) {
            float um = p.u[m] == null ? 1f : (float) p.u[m][i];
            if (um != 0f) {
                g.axpy(um, v[m], a, o);
            }
        }
        for (int k = 0; k < p.nDots; k++) {
            p.dotOut[k][i] = g.rowDot(o, x[k]);
        }
        for (int m = 0; m < p.nCols; m++) {
            float c = p.colIn[m] == null ? 1f : (float) p.colIn[m][i];
            if (c != 0f) {
                g.axpyRow(c, o, acc[m]);
            }
        }
        return weightDot;
    }
}
