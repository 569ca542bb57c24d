package org.plasticitysearch.trainer.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 storage; the speed precision. Input vectors are rounded to float once per call into scratch arrays,
 * the kernels run in float lanes, and results are handed back as float64.
 *
 * <p>Each row is stored padded with zeros to a whole number of vectors ({@link #stride}), and every kernel runs over
 * the padding instead of finishing a row with a scalar tail: the paper network's smaller layers (170, 130, 100 and 70
 * columns) spent as long in their tails and per-row overheads as in their vector loops.
 *
 * <p>A <em>compensated</em> matrix (the weights W) stores each entry as an unevaluated sum hi + lo of two floats
 * and updates it with Dekker's Fast2Sum, so the 250 online updates do not accumulate float32 rounding: measured on
 * the golden paper_fa_pool case, rounding only W0 to float32 (arithmetic in float64) already moves d/dtheta_9
 * by 1.1e-3 of the gradient's norm, and plain float32 updates by 1.8e-3. Matrix-vector products read hi only
 * (float32 speed); only the update and the copies touch lo.
 */
public final class F32Matrix implements Matrix {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int LANES = S.length();
    private static final int MAX_VECTORS = 8;

    final int rows;
    final int cols;
    /** Floats per stored row: cols rounded up to whole vectors, the padding kept at 0 (no kernel has a scalar tail). */
    final int stride;
    final float[] a;
    /** Low parts of a compensated matrix (null when plain). */
    final float[] lo;
    private final float[] lanes = new float[LANES];
    private final float[][] colScratch = new float[MAX_VECTORS][];
    private final float[][] accScratch = new float[MAX_VECTORS][];
    private float[] dScratch;
    private float[] zeroRow;
    private F32Sweep sweeper;
    private F32Updates updates;

    public F32Matrix(int rows, int cols, boolean compensated) {
        this(rows, cols, compensated ? new float[rows * stride(cols)] : null);
    }

    private F32Matrix(int rows, int cols, float[] lo) {
        this.rows = rows;
        this.cols = cols;
        this.stride = stride(cols);
        this.a = new float[rows * stride];
        this.lo = lo;
    }

    private static int stride(int cols) {
        return (cols + LANES - 1) / LANES * LANES;
    }

    /**
     * A matrix with its own high parts and this one's low parts (the same array): a step of the weight tape. The low
     * parts only ever move forward (step t's update reads lo(t) and writes lo(t+1) in place), so one array serves
     * every step, and a past step's {@link #get}, {@link #sum} and {@link #sumOfSquares} combine its high parts with
     * the latest low parts: read past steps through their high parts only, as the adjoint's kernels do.
     */
    F32Matrix sharingLowParts() {
        return new F32Matrix(rows, cols, lo);
    }

    @Override public int rows() { return rows; }

    @Override public int cols() { return cols; }

    @Override
    public double get(int i, int j) {
        int k = i * stride + j;
        return lo == null ? a[k] : (double) a[k] + lo[k];
    }

    @Override
    public void set(int i, int j, double v) {
        int k = i * stride + j;
        a[k] = (float) v;
        if (lo != null) {
            lo[k] = (float) (v - a[k]);
        }
        if (j == cols - 1) {
            // a row's last entry also clears its padding: an overflow (u = inf times a padded 0) can leave NaN there,
            // and every initialisation writes each entry, so the next episode starts clean
            java.util.Arrays.fill(a, k + 1, (i + 1) * stride, 0f);
            if (lo != null) {
                java.util.Arrays.fill(lo, k + 1, (i + 1) * stride, 0f);
            }
        }
    }

    @Override
    public void setRow(int i, double[] values) {
        int o = i * stride;
        for (int j = 0; j < cols; j++) {
            a[o + j] = (float) values[j];
        }
        java.util.Arrays.fill(a, o + cols, o + stride, 0f);
        if (lo != null) {
            for (int j = 0; j < cols; j++) {
                lo[o + j] = (float) (values[j] - a[o + j]);
            }
            java.util.Arrays.fill(lo, o + cols, o + stride, 0f);
        }
    }

    @Override public Precision precision() { return Precision.FLOAT32; }

    @Override
    public void copyFrom(Matrix src) {
        F32Matrix m = (F32Matrix) src;
        OpCount.add(0, (lo != null && m.lo != lo ? 16L : 8L) * rows * cols);
        System.arraycopy(m.a, 0, a, 0, a.length);
        if (lo != null && m.lo != lo) {
            System.arraycopy(m.lo, 0, lo, 0, lo.length);
        }
    }

    /** A float copy of a length-cols vector (its padding to the stride stays 0), in scratch slot k. */
    float[] colVector(int k, double[] x) {
        float[] f = colScratch[k];
        if (f == null) {
            f = colScratch[k] = new float[stride];
        }
        for (int j = 0; j < cols; j++) {
            f[j] = (float) x[j];
        }
        return f;
    }

    float[] zeroedColAccumulator(int k) {
        float[] f = accScratch[k];
        if (f == null) {
            f = accScratch[k] = new float[stride];
        } else {
            java.util.Arrays.fill(f, 0f);
        }
        return f;
    }

    /** Row (from offset o) . x: one chain per lane, the lanes summed in order (every product of this class). */
    double rowDot(int o, float[] x) {
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < stride; j += LANES) {
            acc = FloatVector.fromArray(S, a, o + j).fma(FloatVector.fromArray(S, x, j), acc);
        }
        return Simd.sum(acc, lanes);
    }

    void axpyRow(float alpha, int o, float[] out) {
        axpyRow(a, alpha, o, out);
    }

    /** out += alpha m[o..o+stride). */
    void axpyRow(float[] m, float alpha, int o, float[] out) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (int j = 0; j < stride; j += LANES) {
            FloatVector.fromArray(S, m, o + j).fma(va, FloatVector.fromArray(S, out, j)).intoArray(out, j);
        }
    }

    @Override
    public void multiply(double[] x, double[] out) {
        OpCount.add((long) rows * cols, 4L * rows * cols);
        float[] xf = colVector(0, x);
        int i = 0;
        for (; i + 3 < rows; i += 4) {
            rowDots4(i, xf, out);
        }
        for (; i < rows; i++) {
            out[i] = rowDot(i * stride, xf);
        }
    }

    /** out[i..i+3] := rows i..i+3 . x: four independent chains per load of x, each summed as {@link #rowDot}. */
    void rowDots4(int i, float[] x, double[] out) {
        int o0 = i * stride;
        int o1 = o0 + stride;
        int o2 = o1 + stride;
        int o3 = o2 + stride;
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        for (int j = 0; j < stride; j += LANES) {
            FloatVector xv = FloatVector.fromArray(S, x, j);
            acc0 = FloatVector.fromArray(S, a, o0 + j).fma(xv, acc0);
            acc1 = FloatVector.fromArray(S, a, o1 + j).fma(xv, acc1);
            acc2 = FloatVector.fromArray(S, a, o2 + j).fma(xv, acc2);
            acc3 = FloatVector.fromArray(S, a, o3 + j).fma(xv, acc3);
        }
        out[i] = Simd.sum(acc0, lanes);
        out[i + 1] = Simd.sum(acc1, lanes);
        out[i + 2] = Simd.sum(acc2, lanes);
        out[i + 3] = Simd.sum(acc3, lanes);
    }

    @Override
    public void multiplyTransposed(double[] x, double[] out) {
        OpCount.add((long) rows * cols, 4L * rows * cols);
        float[] acc = zeroedColAccumulator(0);
        int i = 0;
        for (; i + 3 < rows; i += 4) {
            float x0 = (float) x[i];
            float x1 = (float) x[i + 1];
            float x2 = (float) x[i + 2];
            float x3 = (float) x[i + 3];
            if (x0 != 0f && x1 != 0f && x2 != 0f && x3 != 0f) {
                axpyRows4(i, x0, x1, x2, x3, acc);
                continue;
            }
            for (int r = i; r < i + 4; r++) {
                float xr = (float) x[r];
                if (xr != 0f) {
                    axpyRow(xr, r * stride, acc);
                }
            }
        }
        for (; i < rows; i++) {
            float xi = (float) x[i];
            if (xi != 0f) {
                axpyRow(xi, i * stride, acc);
            }
        }
        for (int j = 0; j < cols; j++) {
            out[j] = acc[j];
        }
    }

    /** acc += x0 row i + x1 row i+1 + x2 row i+2 + x3 row i+3, added in that order (four axpyRows in one pass). */
    void axpyRows4(int i, float x0, float x1, float x2, float x3, float[] acc) {
        int o0 = i * stride;
        int o1 = o0 + stride;
        int o2 = o1 + stride;
        int o3 = o2 + stride;
        FloatVector b0 = FloatVector.broadcast(S, x0);
        FloatVector b1 = FloatVector.broadcast(S, x1);
        FloatVector b2 = FloatVector.broadcast(S, x2);
        FloatVector b3 = FloatVector.broadcast(S, x3);
        for (int j = 0; j < stride; j += LANES) {
            FloatVector c = FloatVector.fromArray(S, acc, j);
            c = FloatVector.fromArray(S, a, o0 + j).fma(b0, c);
            c = FloatVector.fromArray(S, a, o1 + j).fma(b1, c);
            c = FloatVector.fromArray(S, a, o2 + j).fma(b2, c);
            FloatVector.fromArray(S, a, o3 + j).fma(b3, c).intoArray(acc, j);
        }
    }

    @Override
    public void assignScaledPlusOuterThenMultiply(Matrix src, double s, double[][] u, double[][] v, int count,
                                                  double[] x, double[] out) {
        if (lo == null || count > 3) {
            Matrix.super.assignScaledPlusOuterThenMultiply(src, s, u, v, count, x, out);
            return;
        }
        OpCount.add((long) rows * cols, 0);
        update(src, s, u, v, count, x, out);
    }

    @Override
    public void assignScaledPlusOuterThenForward(Matrix src, double s, double[][] u, double[][] v, int count,
                                                 double[] x, double[] z, RowActivation act, double[] post,
                                                 double[] vOut) {
        if (lo == null || count > 3) {
            Matrix.super.assignScaledPlusOuterThenForward(src, s, u, v, count, x, z, act, post, vOut);
            return;
        }
        OpCount.add(2L * rows * cols, 0);
        float[] acc = zeroedColAccumulator(MAX_VECTORS - 2);
        updates().forward(act, post, acc);
        try {
            update(src, s, u, v, count, x, z);
        } finally {
            updates().forward(null, null, null);
        }
        for (int j = 0; j < cols; j++) {
            vOut[j] = acc[j];
        }
    }

    @Override
    public void assignScaledPlusOuter(Matrix srcM, double s, double[][] u, double[][] v, int count) {
        update(srcM, s, u, v, count, null, null);
    }

    private void update(Matrix srcM, double s, double[][] u, double[][] v, int count, double[] x, double[] out) {
        OpCount.add((count + 1L) * rows * cols, (lo != null ? 16L : 8L) * rows * cols); // read src, write this
        F32Matrix srcMat = (F32Matrix) srcM;
        float[][] vf = new float[count][];
        for (int m = 0; m < count; m++) {
            vf[m] = m < MAX_VECTORS ? colVector(m, v[m]) : toFloat(v[m]);
        }
        if (lo != null) {
            updates().compensated(srcMat, s, u, vf, count, x == null ? null : colVector(MAX_VECTORS - 1, x), out);
            return;
        }
        float[] src = srcMat.a;
        float fs = (float) s;
        for (int i = 0; i < rows; i++) {
            int o = i * stride;
            // row := s * src_row (exact copy when s == 1), then one axpy per outer product on the L1-resident row
            if (fs == 1f) {
                if (src != a) {
                    System.arraycopy(src, o, a, o, stride);
                }
            } else if (s == 0.0) {
                java.util.Arrays.fill(a, o, o + stride, 0f); // not 0 * src: a NaN or inf in src must not survive
            } else {
                scaleRow(src, o, fs, a, o);
            }
            int m = 0;
            for (; m + 3 < count; m += 4) { // four products per pass over the row when none is skipped
                float u0 = u[m] == null ? 1f : (float) u[m][i];
                float u1 = u[m + 1] == null ? 1f : (float) u[m + 1][i];
                float u2 = u[m + 2] == null ? 1f : (float) u[m + 2][i];
                float u3 = u[m + 3] == null ? 1f : (float) u[m + 3][i];
                if (u0 != 0f && u1 != 0f && u2 != 0f && u3 != 0f) {
                    axpy4(u0, vf[m], u1, vf[m + 1], u2, vf[m + 2], u3, vf[m + 3], o);
                    continue;
                }
                for (int q = m; q < m + 4; q++) {
                    float uq = u[q] == null ? 1f : (float) u[q][i];
                    if (uq != 0f) {
                        axpy(uq, vf[q], a, o);
                    }
                }
            }
            for (; m < count; m++) {
                float um = u[m] == null ? 1f : (float) u[m][i];
                if (um != 0f) {
                    axpy(um, vf[m], a, o);
                }
            }
        }
    }

    /** a[o..) += u0 x0 + u1 x1 + u2 x2 + u3 x3, added in that order: bitwise four {@link #axpy}s. */
    private void axpy4(float u0, float[] x0, float u1, float[] x1, float u2, float[] x2, float u3, float[] x3, int o) {
        FloatVector b0 = FloatVector.broadcast(S, u0);
        FloatVector b1 = FloatVector.broadcast(S, u1);
        FloatVector b2 = FloatVector.broadcast(S, u2);
        FloatVector b3 = FloatVector.broadcast(S, u3);
        for (int j = 0; j < stride; j += LANES) {
            FloatVector r = FloatVector.fromArray(S, a, o + j);
            r = FloatVector.fromArray(S, x0, j).fma(b0, r);
            r = FloatVector.fromArray(S, x1, j).fma(b1, r);
            r = FloatVector.fromArray(S, x2, j).fma(b2, r);
            FloatVector.fromArray(S, x3, j).fma(b3, r).intoArray(a, o + j);
        }
    }

    /** dst[o2 + j] := s * src[o1 + j] for j < stride. */
    void scaleRow(float[] src, int o1, float s, float[] dst, int o2) {
        FloatVector vs = FloatVector.broadcast(S, s);
        for (int j = 0; j < stride; j += LANES) {
            FloatVector.fromArray(S, src, o1 + j).mul(vs).intoArray(dst, o2 + j);
        }
    }

    /** row[o + j] += alpha * x[j] for j < stride (fused multiply-add). */
    void axpy(float alpha, float[] x, float[] row, int o) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (int j = 0; j < stride; j += LANES) {
            FloatVector.fromArray(S, x, j).fma(va, FloatVector.fromArray(S, row, o + j)).intoArray(row, o + j);
        }
    }

    private F32Updates updates() {
        if (updates == null) {
            updates = new F32Updates(this);
        }
        return updates;
    }

    /** A row of zeros that nothing writes: the factor of an absent outer product (dRow is scratch). */
    float[] zeroRow() {
        if (zeroRow == null) {
            zeroRow = new float[stride];
        }
        return zeroRow;
    }

    float[] dRow() {
        if (dScratch == null) {
            dScratch = new float[stride];
        }
        return dScratch;
    }

    private float[] toFloat(double[] x) {
        float[] f = new float[stride];
        for (int j = 0; j < cols; j++) {
            f[j] = (float) x[j];
        }
        return f;
    }

    @Override
    public double relativeDistance(Matrix reference) {
        F32Matrix r = (F32Matrix) reference;
        double dd = 0;
        double rr = 0;
        for (int k = 0; k < a.length; k++) {
            double x = r.lo == null ? r.a[k] : (double) r.a[k] + r.lo[k];
            double d = (lo == null ? a[k] : (double) a[k] + lo[k]) - x;
            dd += d * d;
            rr += x * x;
        }
        return dd == 0.0 ? 0.0 : Math.sqrt(dd / rr); // equal, even if both are 0
    }

    @Override
    public void unupdate(double s, double[][] u, double[][] v, int count) {
        updates().unupdate(s, u, v, count, null, null);
    }

    /** Each row is undone and then, while in L1, multiplied by x: one pass over the matrix instead of two. */
    @Override
    public void unupdateThenMultiply(double s, double[][] u, double[][] v, int count, double[] x, double[] out) {
        OpCount.add((long) rows * cols, 0);
        updates().unupdate(s, u, v, count, x, out);
    }

    @Override
    public void fusedMultiplyBoth(double[][] dotIn, double[][] dotOut, int nDots,
                                  double[][] colIn, double[][] colOut, int nCols) {
        OpCount.add((long) (nDots + nCols) * rows * cols, 4L * rows * cols);
        float[][] xf = new float[nDots][];
        for (int k = 0; k < nDots; k++) {
            xf[k] = colVector(k, dotIn[k]);
        }
        float[][] acc = new float[nCols][];
        for (int m = 0; m < nCols; m++) {
            acc[m] = zeroedColAccumulator(m);
        }
        for (int i = 0; i < rows; i++) {
            int o = i * stride;
            for (int k = 0; k < nDots; k++) {
                dotOut[k][i] = rowDot(o, xf[k]);
            }
            for (int m = 0; m < nCols; m++) {
                float w = colIn[m] == null ? 1f : (float) colIn[m][i];
                if (w != 0f) {
                    axpyRow(w, o, acc[m]);
                }
            }
        }
        for (int m = 0; m < nCols; m++) {
            for (int j = 0; j < cols; j++) {
                colOut[m][j] = acc[m][j];
            }
        }
    }

    @Override
    public double dot(Matrix other) {
        OpCount.add((long) rows * cols, 8L * rows * cols);
        float[] b = ((F32Matrix) other).a;
        double total = 0;
        // blocks of one row keep float partial sums short; the row sums are added in float64
        for (int i = 0; i < rows; i++) {
            total += rowsDot(a, b, i * stride);
        }
        return total;
    }

    /** m[o..o+stride) . n[o..o+stride). */
    double rowsDot(float[] m, float[] n, int o) {
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < stride; j += LANES) {
            acc = FloatVector.fromArray(S, m, o + j).fma(FloatVector.fromArray(S, n, o + j), acc);
        }
        return Simd.sum(acc, lanes);
    }

    /**
     * The default's kernels fused into one pass over the rows of G and W ({@link F32Sweep}) when the sweep has
     * enough parts to pay for the fused loop's fixed shape (it runs all of its parts, on zeros where one is absent):
     * the pool's and bio's do, FA's run faster as separate kernels. {@code <G, W>} and a third column read, which the
     * float32 episode carries from step to step instead, run as separate kernels before and after it. Bitwise the
     * same as the default.
     */
    @Override
    public void sweep(AdjointSweep p) {
        int fused = (p.transposedOut != null ? 1 : 0) + 1 + p.count + p.nDots + Math.min(p.nCols, 2);
        if (lo != null || fused < 6) {
            Matrix.super.sweep(p);
            return;
        }
        if (p.weightDot) {
            p.weightDotOut = dot(p.weights);
        }
        int nCols = p.nCols;
        p.nCols = Math.min(nCols, 2);
        OpCount.add((long) fused * rows * cols, (p.weights != null ? 12L : 8L) * rows * cols);
        if (sweeper == null) {
            sweeper = new F32Sweep(this);
        }
        try {
            sweeper.run(p);
        } finally {
            p.nCols = nCols;
        }
        if (nCols > 2) {
            fusedMultiplyBoth(p.dotIn, p.dotOut, 0, new double[][] {p.colIn[2]}, new double[][] {p.colOut[2]}, 1);
        }
    }

    @Override
    public double sum() {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += lo == null ? a[k] : (double) a[k] + lo[k];
        }
        return s;
    }

    @Override
    public double sumOfSquares() {
        if (lo == null) {
            return dot(this);
        }
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double x = (double) a[k] + lo[k];
            s += x * x;
        }
        return s;
    }

    @Override
    public boolean allFinite() {
        for (float x : a) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
