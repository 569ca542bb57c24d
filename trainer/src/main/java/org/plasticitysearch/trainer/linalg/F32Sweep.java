package org.plasticitysearch.trainer.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Matrix#sweep} for a plain float32 G: one pass over the rows of G and W, two rows at a time, every value
 * kept in registers between the kernels it used to pass through memory: G_i's update and the previous step's reads
 * of the new G_i (two row products, two column reads), with W_i's share of W^T zBar in a loop of its own over the
 * same two rows just before. The main loop is bound by its multiply-adds, so what a sweep lacks is left out of it:
 * W^T zBar (layer 0), the third update product (fa), and {@code <G, W>} and a third column read, which
 * {@link F32Matrix#sweep} does as separate kernels and the float32 episode carries instead. Each number is formed
 * by the same operations in the same order as the separate kernels of {@link F32Matrix} (per-row lane sums,
 * row-order accumulation), so the results are bitwise theirs; only the loads and stores between them, and the
 * dependency chains' stalls, are gone.
 *
 * <p>Two differences from the separate kernels, neither visible in any result: absent column reads and row products
 * run on zeros, and a coefficient of exactly 0 is applied instead of skipped, so a stored -0 in G can become +0
 * (every sum starts at +0, so no output can tell); and a non-finite row meets a zero coefficient as NaN instead of
 * being skipped, which only happens after an overflow, when the episode is rejected anyway ({@code SweepTest} checks
 * both cases).
 */
final class F32Sweep {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int LANES = S.length();

    private final F32Matrix g;
    private final int rows;
    private final int cols;
    private final int stride;
    private final float[] zeros;
    private final float[] scratch;
    /** Per row, the lanes of its two dot products' accumulators (G'_r . x0, G'_r . x1), summed after the loop. */
    private final float[][] dotLanes;

    // the current call's operands; absent ones point at zeros or scratch (a missing W at G itself), so the vector
    // loop has no branches and their results are simply not used
    private float[] a;
    private float[] w;
    private float[] wt;
    private float[] v0;
    private float[] v1;
    private float[] v2;
    private float[] x0;
    private float[] x1;
    private float[] c0;
    private float[] c1;
    private float fs;
    private boolean withTransposed;
    private boolean withThird;
    /** Per row r of a pair: its W^T coefficient, its three update coefficients, its two column weights. */
    private final float[][] k = new float[2][6];

    F32Sweep(F32Matrix g) {
        this.g = g;
        this.rows = g.rows();
        this.cols = g.cols();
        this.stride = g.stride;
        this.zeros = new float[stride];
        this.scratch = new float[stride];
        this.dotLanes = new float[2][rows * LANES];
    }

    void run(AdjointSweep p) {
        a = g.a;
        float[] wm = p.weights == null ? null : ((F32Matrix) p.weights).a;
        w = wm == null ? a : wm;
        // scratch: update vectors in slots 0-2, dot inputs in 3-4; W^T accumulator in 0, column reads in 1-2
        v0 = p.count > 0 ? g.colVector(0, p.v[0]) : zeros;
        v1 = p.count > 1 ? g.colVector(1, p.v[1]) : zeros;
        v2 = p.count > 2 ? g.colVector(2, p.v[2]) : zeros;
        x0 = p.nDots > 0 ? g.colVector(3, p.dotIn[0]) : zeros;
        x1 = p.nDots > 1 ? g.colVector(4, p.dotIn[1]) : zeros;
        wt = p.transposedOut != null ? g.zeroedColAccumulator(0) : scratch;
        c0 = p.nCols > 0 ? g.zeroedColAccumulator(1) : scratch;
        c1 = p.nCols > 1 ? g.zeroedColAccumulator(2) : scratch;
        fs = (float) p.scale;
        withTransposed = p.transposedOut != null;
        withThird = p.count > 2;
        int i = 0;
        for (; i + 1 < rows; i += 2) {
            coefficients(p, i, k[0]);
            coefficients(p, i + 1, k[1]);
            vectorPart(i);
        }
        // each row's lane sums after the vector loop (summed after each pair, their chains stalled the next pair)
        for (int kk = 0; kk < p.nDots; kk++) {
            for (int r = 0; r < i; r++) {
                p.dotOut[kk][r] = laneSum(dotLanes[kk], r);
            }
        }
        if (i < rows) {
            single(p, i);
        }
        if (p.transposedOut != null) {
            copy(wt, p.transposedOut);
        }
        float[][] acc = {c0, c1};
        for (int m = 0; m < p.nCols; m++) {
            copy(acc[m], p.colOut[m]);
        }
        a = null;
        w = null;
    }

    private void copy(float[] from, double[] to) {
        for (int j = 0; j < cols; j++) {
            to[j] = from[j];
        }
    }

    /** Row i's coefficients; 0 for the parts that are absent. */
    private static void coefficients(AdjointSweep p, int i, float[] out) {
        out[0] = p.transposedOut == null ? 0f : (float) p.transposedIn[i];
        for (int m = 0; m < 3; m++) {
            out[1 + m] = at(p.u, m, p.count, i);
        }
        out[4] = at(p.colIn, 0, p.nCols, i);
        out[5] = at(p.colIn, 1, p.nCols, i);
    }

    private static float at(double[][] u, int m, int count, int i) {
        if (m >= count) {
            return 0f;
        }
        return u[m] == null ? 1f : (float) u[m][i];
    }

    /** The vector part of rows i, i + 1; their dot products' lanes go to {@link #dotLanes}. */
    private void vectorPart(int i) {
        int o0 = i * stride;
        int o1 = o0 + stride;
        float[] k0 = k[0];
        float[] k1 = k[1];
        FloatVector bt0 = FloatVector.broadcast(S, k0[0]);
        FloatVector bt1 = FloatVector.broadcast(S, k1[0]);
        FloatVector b00 = FloatVector.broadcast(S, k0[1]);
        FloatVector b01 = FloatVector.broadcast(S, k1[1]);
        FloatVector b10 = FloatVector.broadcast(S, k0[2]);
        FloatVector b11 = FloatVector.broadcast(S, k1[2]);
        FloatVector b20 = FloatVector.broadcast(S, k0[3]);
        FloatVector b21 = FloatVector.broadcast(S, k1[3]);
        FloatVector p00 = FloatVector.broadcast(S, k0[4]);
        FloatVector p01 = FloatVector.broadcast(S, k1[4]);
        FloatVector p10 = FloatVector.broadcast(S, k0[5]);
        FloatVector p11 = FloatVector.broadcast(S, k1[5]);
        FloatVector d00 = FloatVector.zero(S);
        FloatVector d01 = d00;
        FloatVector d10 = d00;
        FloatVector d11 = d00;
        if (withTransposed) {
            // W^T zBar first, row i's term before row i + 1's, in a loop of its own: it is the only part that reads W
            // (layer 0 has none), and the main loop is bound by its multiply-adds
            for (int j = 0; j < stride; j += LANES) {
                FloatVector w0 = FloatVector.fromArray(S, w, o0 + j);
                FloatVector w1 = FloatVector.fromArray(S, w, o1 + j);
                w1.fma(bt1, w0.fma(bt0, FloatVector.fromArray(S, wt, j))).intoArray(wt, j);
            }
        }
        if (fs != 1f) {
            g.scaleRow(a, o0, fs, a, o0);
            g.scaleRow(a, o1, fs, a, o1);
        }
        boolean third = withThird;
        for (int j = 0; j < stride; j += LANES) {
            FloatVector g0 = FloatVector.fromArray(S, a, o0 + j);
            FloatVector g1 = FloatVector.fromArray(S, a, o1 + j);
            // G := s G + u0 v0^T + u1 v1^T + u2 v2^T, one rounding per product as in the separate axpys (s G before
            // the loop, when s != 1: the float32 episode keeps G scaled so that s is 1)
            FloatVector v = FloatVector.fromArray(S, v0, j);
            g0 = v.fma(b00, g0);
            g1 = v.fma(b01, g1);
            v = FloatVector.fromArray(S, v1, j);
            g0 = v.fma(b10, g0);
            g1 = v.fma(b11, g1);
            if (third) { // loop-invariant: bp's e rBar^T; fa has two products
                v = FloatVector.fromArray(S, v2, j);
                g0 = v.fma(b20, g0);
                g1 = v.fma(b21, g1);
            }
            g0.intoArray(a, o0 + j);
            g1.intoArray(a, o1 + j);
            // after it: the previous step's G' x and G'^T c
            FloatVector x = FloatVector.fromArray(S, x0, j);
            d00 = g0.fma(x, d00);
            d01 = g1.fma(x, d01);
            x = FloatVector.fromArray(S, x1, j);
            d10 = g0.fma(x, d10);
            d11 = g1.fma(x, d11);
            g1.fma(p01, g0.fma(p00, FloatVector.fromArray(S, c0, j))).intoArray(c0, j);
            g1.fma(p11, g0.fma(p10, FloatVector.fromArray(S, c1, j))).intoArray(c1, j);
        }
        d00.intoArray(dotLanes[0], i * LANES);
        d01.intoArray(dotLanes[0], i * LANES + LANES);
        d10.intoArray(dotLanes[1], i * LANES);
        d11.intoArray(dotLanes[1], i * LANES + LANES);
    }

    /** Row r's lanes in order, as {@link Simd#sum}. */
    private static double laneSum(float[] lanes, int r) {
        double s = 0;
        for (int l = r * LANES; l < r * LANES + LANES; l++) {
            s += lanes[l];
        }
        return s;
    }

    /** The last row of an odd count, through the separate kernels' own row operations. */
    private void single(AdjointSweep p, int i) {
        int o = i * stride;
        if (p.transposedOut != null) {
            float xi = (float) p.transposedIn[i];
            if (xi != 0f) {
                g.axpyRow(w, xi, o, wt);
            }
        }
        if (fs != 1f) {
            g.scaleRow(a, o, fs, a, o);
        }
        float[][] v = {v0, v1, v2};
        for (int m = 0; m < p.count; m++) {
            float um = p.u[m] == null ? 1f : (float) p.u[m][i];
            if (um != 0f) {
                g.axpy(um, v[m], a, o);
            }
        }
        float[][] x = {x0, x1};
        for (int kk = 0; kk < p.nDots; kk++) {
            p.dotOut[kk][i] = g.rowDot(o, x[kk]);
        }
        float[][] acc = {c0, c1};
        for (int m = 0; m < p.nCols; m++) {
            float c = p.colIn[m] == null ? 1f : (float) p.colIn[m][i];
            if (c != 0f) {
                g.axpyRow(c, o, acc[m]);
            }
        }
    }
}
