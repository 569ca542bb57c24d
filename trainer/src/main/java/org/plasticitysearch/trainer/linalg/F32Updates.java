package org.plasticitysearch.trainer.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 kernels that carry the weights from one online step to the next, and back: the primal's compensated
 * update (which can also form the next step's forward pass of layer 0 from the rows it has just written: the
 * product, the activations and W^T post, see {@link Matrix#assignScaledPlusOuterThenForward}), and its undo for the
 * adjoint's walk back ({@link Matrix#unupdate}). One per {@link F32Matrix}, reading and writing its arrays.
 */
final class F32Updates {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int LANES = S.length();

    private final F32Matrix m;
    /** While a forward pass rides along ({@link #forward}): its activation, post and this^T post accumulator. */
    private Matrix.RowActivation forwardAct;
    private double[] forwardPost;
    private float[] forwardAcc;

    F32Updates(F32Matrix m) {
        this.m = m;
    }

    /** The activation, its output and W^T post's accumulator for the next {@link #compensated} (nulls: none). */
    void forward(Matrix.RowActivation act, double[] post, float[] acc) {
        forwardAct = act;
        forwardPost = post;
        forwardAcc = acc;
    }

    /**
     * After the product of rows i .. i + count - 1 with the next input ({@link #compensated}, when forwardAct is set):
     * their activations, then their share of this^T post, added in row order as multiplyTransposed adds it.
     */
    private void activateRows(int i, int count) {
        forwardAct.apply(i, count);
        if (count == 4) {
            float x0 = (float) forwardPost[i];
            float x1 = (float) forwardPost[i + 1];
            float x2 = (float) forwardPost[i + 2];
            float x3 = (float) forwardPost[i + 3];
            if (x0 != 0f && x1 != 0f && x2 != 0f && x3 != 0f) {
                m.axpyRows4(i, x0, x1, x2, x3, forwardAcc);
                return;
            }
        }
        for (int r = i; r < i + count; r++) {
            float xr = (float) forwardPost[r];
            if (xr != 0f) {
                m.axpyRow(xr, r * m.stride, forwardAcc);
            }
        }
    }

    /**
     * (hi + lo) := s (srcHi + srcLo) + sum_m u_m v_m^T. The small increment d = (s - 1) hi + s lo + sum u v is
     * formed in float, then added to hi with Fast2Sum (hi' = hi + d, lo' = d - (hi' - hi)): the exact rounding error
     * of that sum when |d| <= |hi|, as an update's increment almost always is; where it is not (a weight near 0),
     * lo' is within half an ulp of hi' of it, one plain float32 rounding. Three operations instead of TwoSum's six.
     * Up to three outer products run in one fused loop (missing ones padded with a zero coefficient, which
     * leaves d unchanged exactly); more fall back to one axpy pass per product on a scratch row. With x, also
     * {@code out := this x} four rows at a time as they are written (and the forward pass set by {@link #forward}).
     */
    void compensated(F32Matrix srcM, double s, double[][] u, float[][] vf, int count, float[] x, double[] out) {
        float[] srcHi = srcM.a;
        float[] srcLo = srcM.lo;
        float fs = (float) s;
        float fsm1 = (float) (s - 1.0);
        FloatVector vs = FloatVector.broadcast(S, fs);
        FloatVector vsm1 = FloatVector.broadcast(S, fsm1);
        if (count > 3) {
            compensatedUpdateWide(srcHi, srcLo, fs, fsm1, u, vf, count);
            return;
        }
        float[] v0 = count > 0 ? vf[0] : m.zeroRow();
        float[] v1 = count > 1 ? vf[1] : v0;
        float[] v2 = count > 2 ? vf[2] : v0;
        for (int i = 0; i < m.rows; i++) {
            int o = i * m.stride;
            float u0 = coefficient(u, count, 0, i);
            float u1 = coefficient(u, count, 1, i);
            float u2 = coefficient(u, count, 2, i);
            FloatVector b0 = FloatVector.broadcast(S, u0);
            FloatVector b1 = FloatVector.broadcast(S, u1);
            FloatVector b2 = FloatVector.broadcast(S, u2);
            for (int j = 0; j < m.stride; j += LANES) {
                FloatVector h = FloatVector.fromArray(S, srcHi, o + j);
                FloatVector d = h.fma(vsm1, FloatVector.fromArray(S, srcLo, o + j).mul(vs));
                d = FloatVector.fromArray(S, v0, j).fma(b0, d);
                d = FloatVector.fromArray(S, v1, j).fma(b1, d);
                d = FloatVector.fromArray(S, v2, j).fma(b2, d);
                FloatVector sum = h.add(d);
                d.sub(sum.sub(h)).intoArray(m.lo, o + j);
                sum.intoArray(m.a, o + j);
            }
            // the product with the next input four rows at a time, from L1 (as multiply: bitwise its numbers)
            if (x != null && i % 4 == 3) {
                m.rowDots4(i - 3, x, out);
                if (forwardAct != null) {
                    activateRows(i - 3, 4);
                }
            }
        }
        if (x != null) {
            int tail = m.rows - m.rows % 4;
            for (int i = tail; i < m.rows; i++) {
                out[i] = m.rowDot(i * m.stride, x);
            }
            if (forwardAct != null && tail < m.rows) {
                activateRows(tail, m.rows - tail);
            }
        }
    }

    private static float coefficient(double[][] u, int count, int k, int i) {
        if (k >= count) {
            return 0f;
        }
        return u[k] == null ? 1f : (float) u[k][i];
    }

    private void compensatedUpdateWide(float[] srcHi, float[] srcLo, float fs, float fsm1,
                                       double[][] u, float[][] vf, int count) {
        float[] d = m.dRow();
        for (int i = 0; i < m.rows; i++) {
            int o = i * m.stride;
            for (int j = 0; j < m.stride; j++) {
                d[j] = Math.fma(srcHi[o + j], fsm1, srcLo[o + j] * fs);
            }
            for (int q = 0; q < count; q++) {
                float uq = u[q] == null ? 1f : (float) u[q][i];
                m.axpy(uq, vf[q], d, 0);
            }
            for (int j = 0; j < m.stride; j++) {
                float h = srcHi[o + j];
                float sum = h + d[j];
                m.lo[o + j] = d[j] - (sum - h);
                m.a[o + j] = sum;
            }
        }
    }

    void unupdate(double s, double[][] u, double[][] v, int count, double[] x, double[] out) {
        OpCount.add((count + 1L) * m.rows * m.cols, 8L * m.rows * m.cols);
        if (count > 3) {
            throw new IllegalArgumentException("unupdate: at most 3 outer products, got " + count);
        }
        float[] v0 = count > 0 ? m.colVector(0, v[0]) : m.zeroRow();
        float[] v1 = count > 1 ? m.colVector(1, v[1]) : v0;
        float[] v2 = count > 2 ? m.colVector(2, v[2]) : v0;
        float[] xf = x == null ? null : m.colVector(3, x);
        // the update scaled by 1 + (float) (s - 1) (see compensated); undone as r + c r with
        // c = -(s - 1) / s, which is small, so its rounding is not compounded step after step as 1 / s's would be
        double sm1 = (float) (s - 1.0);
        boolean scaled = sm1 != 0.0;
        float c = (float) (-sm1 / (1.0 + sm1));
        FloatVector vc = FloatVector.broadcast(S, c);
        for (int i = 0; i < m.rows; i++) {
            int o = i * m.stride;
            float u0 = -coefficient(u, count, 0, i);
            float u1 = -coefficient(u, count, 1, i);
            float u2 = -coefficient(u, count, 2, i);
            FloatVector b0 = FloatVector.broadcast(S, u0);
            FloatVector b1 = FloatVector.broadcast(S, u1);
            FloatVector b2 = FloatVector.broadcast(S, u2);
            for (int j = 0; j < m.stride; j += LANES) {
                FloatVector r = FloatVector.fromArray(S, m.a, o + j);
                r = FloatVector.fromArray(S, v0, j).fma(b0, r);
                r = FloatVector.fromArray(S, v1, j).fma(b1, r);
                r = FloatVector.fromArray(S, v2, j).fma(b2, r);
                (scaled ? r.fma(vc, r) : r).intoArray(m.a, o + j);
            }
            // the product four rows at a time, once they are undone (one dot chain per row is bound by its latency)
            if (xf != null && i % 4 == 3) {
                m.rowDots4(i - 3, xf, out);
            }
        }
        if (xf != null) {
            for (int i = m.rows - m.rows % 4; i < m.rows; i++) {
                out[i] = m.rowDot(i * m.stride, xf);
            }
        }
    }
}
