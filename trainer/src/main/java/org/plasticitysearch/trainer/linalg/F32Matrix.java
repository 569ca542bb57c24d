package org.plasticitysearch.trainer.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 storage; the speed precision. Input vectors are rounded to float once per call into scratch arrays,
 * the kernels run in float lanes, and results are handed back as float64.
 */
public final class F32Matrix implements Matrix {
    private static final VectorSpecies<Float> S = Simd.F;
    private static final int LANES = S.length();
    private static final int MAX_VECTORS = 8;

    private final int rows;
    private final int cols;
    private final int bound;
    final float[] a;
    private final float[] lanes = new float[LANES];
    private final float[][] colScratch = new float[MAX_VECTORS][];
    private final float[][] rowScratch = new float[MAX_VECTORS][];

    public F32Matrix(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.bound = S.loopBound(cols);
        this.a = new float[rows * cols];
    }

    @Override public int rows() { return rows; }

    @Override public int cols() { return cols; }

    @Override public double get(int i, int j) { return a[i * cols + j]; }

    @Override public void set(int i, int j, double v) { a[i * cols + j] = (float) v; }

    @Override public Precision precision() { return Precision.FLOAT32; }

    @Override
    public void copyFrom(Matrix src) {
        System.arraycopy(((F32Matrix) src).a, 0, a, 0, a.length);
    }

    /** A float copy of a length-cols vector, in scratch slot k. */
    private float[] colVector(int k, double[] x) {
        float[] f = colScratch[k];
        if (f == null) {
            f = colScratch[k] = new float[cols];
        }
        for (int j = 0; j < cols; j++) {
            f[j] = (float) x[j];
        }
        return f;
    }

    private float[] zeroedColAccumulator(int k) {
        float[] f = rowScratch[k];
        if (f == null) {
            f = rowScratch[k] = new float[cols];
        } else {
            java.util.Arrays.fill(f, 0f);
        }
        return f;
    }

    private double rowDot(int o, float[] x) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (; j < bound; j += LANES) {
            acc = FloatVector.fromArray(S, a, o + j).fma(FloatVector.fromArray(S, x, j), acc);
        }
        double s = Simd.sum(acc, lanes);
        for (; j < cols; j++) {
            s += a[o + j] * x[j];
        }
        return s;
    }

    private void axpyRow(float alpha, int o, float[] out) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        int j = 0;
        for (; j < bound; j += LANES) {
            FloatVector.fromArray(S, a, o + j).fma(va, FloatVector.fromArray(S, out, j)).intoArray(out, j);
        }
        for (; j < cols; j++) {
            out[j] = Math.fma(a[o + j], alpha, out[j]);
        }
    }

    @Override
    public void multiply(double[] x, double[] out) {
        float[] xf = colVector(0, x);
        for (int i = 0; i < rows; i++) {
            out[i] = rowDot(i * cols, xf);
        }
    }

    @Override
    public void multiplyTransposed(double[] x, double[] out) {
        float[] acc = zeroedColAccumulator(0);
        for (int i = 0; i < rows; i++) {
            float xi = (float) x[i];
            if (xi != 0f) {
                axpyRow(xi, i * cols, acc);
            }
        }
        for (int j = 0; j < cols; j++) {
            out[j] = acc[j];
        }
    }

    @Override
    public void assignScaledPlusOuter(Matrix srcM, double s, double[][] u, double[][] v, int count) {
        float[] src = ((F32Matrix) srcM).a;
        FloatVector vs = FloatVector.broadcast(S, (float) s);
        float fs = (float) s;
        float[][] vf = new float[count][];
        for (int m = 0; m < count; m++) {
            vf[m] = count <= MAX_VECTORS ? colVector(m, v[m]) : toFloat(v[m]);
        }
        float[] ui = new float[count];
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            for (int m = 0; m < count; m++) {
                ui[m] = u[m] == null ? 1f : (float) u[m][i];
            }
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector acc = FloatVector.fromArray(S, src, o + j).mul(vs);
                for (int m = 0; m < count; m++) {
                    acc = FloatVector.fromArray(S, vf[m], j).fma(FloatVector.broadcast(S, ui[m]), acc);
                }
                acc.intoArray(a, o + j);
            }
            for (; j < cols; j++) {
                float acc = src[o + j] * fs;
                for (int m = 0; m < count; m++) {
                    acc = Math.fma(vf[m][j], ui[m], acc);
                }
                a[o + j] = acc;
            }
        }
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            f[j] = (float) x[j];
        }
        return f;
    }

    @Override
    public void fusedMultiplyBoth(double[][] dotIn, double[][] dotOut, int nDots,
                                  double[][] colIn, double[][] colOut, int nCols) {
        float[][] xf = new float[nDots][];
        for (int k = 0; k < nDots; k++) {
            xf[k] = colVector(k, dotIn[k]);
        }
        float[][] acc = new float[nCols][];
        for (int m = 0; m < nCols; m++) {
            acc[m] = zeroedColAccumulator(m);
        }
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
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
        float[] b = ((F32Matrix) other).a;
        double total = 0;
        // blocks of one row keep float partial sums short; the row sums are added in float64
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            FloatVector acc = FloatVector.zero(S);
            int j = 0;
            for (; j < bound; j += LANES) {
                acc = FloatVector.fromArray(S, a, o + j).fma(FloatVector.fromArray(S, b, o + j), acc);
            }
            double s = Simd.sum(acc, lanes);
            for (; j < cols; j++) {
                s += a[o + j] * b[o + j];
            }
            total += s;
        }
        return total;
    }

    @Override
    public double sum() {
        double s = 0;
        for (float x : a) {
            s += x;
        }
        return s;
    }

    @Override
    public double sumOfSquares() {
        return dot(this);
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
