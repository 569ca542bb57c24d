package org.plasticitysearch.trainer.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/** float64 storage; the verification precision. */
public final class F64Matrix implements Matrix {
    private static final VectorSpecies<Double> S = Simd.D;
    private static final int LANES = S.length();

    private final int rows;
    private final int cols;
    private final int bound;
    final double[] a;
    private final double[] lanes = new double[LANES];

    public F64Matrix(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.bound = S.loopBound(cols);
        this.a = new double[rows * cols];
    }

    @Override public int rows() { return rows; }

    @Override public int cols() { return cols; }

    @Override public double get(int i, int j) { return a[i * cols + j]; }

    @Override public void set(int i, int j, double v) { a[i * cols + j] = v; }

    @Override public void setRow(int i, double[] values) { System.arraycopy(values, 0, a, i * cols, cols); }

    @Override public Precision precision() { return Precision.FLOAT64; }

    @Override
    public void copyFrom(Matrix src) {
        OpCount.add(0, 16L * rows * cols);
        System.arraycopy(((F64Matrix) src).a, 0, a, 0, a.length);
    }

    @Override
    public double relativeDistance(Matrix reference) {
        double[] r = ((F64Matrix) reference).a;
        double dd = 0;
        double rr = 0;
        for (int k = 0; k < a.length; k++) {
            double d = a[k] - r[k];
            dd += d * d;
            rr += r[k] * r[k];
        }
        return dd == 0.0 ? 0.0 : Math.sqrt(dd / rr); // equal, even if both are 0
    }

    @Override
    public void unupdate(double s, double[][] u, double[][] v, int count) {
        OpCount.add((count + 1L) * rows * cols, 16L * rows * cols);
        double inv = 1.0 / s;
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            for (int j = 0; j < cols; j++) {
                double r = a[o + j];
                for (int m = 0; m < count; m++) {
                    r = Math.fma(v[m][j], -(u[m] == null ? 1.0 : u[m][i]), r);
                }
                a[o + j] = s == 1.0 ? r : r * inv;
            }
        }
    }

    @Override
    public void multiply(double[] x, double[] out) {
        OpCount.add((long) rows * cols, 8L * rows * cols);
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            DoubleVector acc = DoubleVector.zero(S);
            int j = 0;
            for (; j < bound; j += LANES) {
                acc = DoubleVector.fromArray(S, a, o + j).fma(DoubleVector.fromArray(S, x, j), acc);
            }
            double s = Simd.sum(acc, lanes);
            for (; j < cols; j++) {
                s += a[o + j] * x[j];
            }
            out[i] = s;
        }
    }

    @Override
    public void multiplyTransposed(double[] x, double[] out) {
        OpCount.add((long) rows * cols, 8L * rows * cols);
        java.util.Arrays.fill(out, 0, cols, 0.0);
        for (int i = 0; i < rows; i++) {
            double xi = x[i];
            if (xi == 0.0) {
                continue;
            }
            axpyRow(xi, i * cols, out);
        }
    }

    private void axpyRow(double alpha, int o, double[] out) {
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        int j = 0;
        for (; j < bound; j += LANES) {
            DoubleVector.fromArray(S, a, o + j).fma(va, DoubleVector.fromArray(S, out, j)).intoArray(out, j);
        }
        for (; j < cols; j++) {
            out[j] += alpha * a[o + j];
        }
    }

    @Override
    public void assignScaledPlusOuter(Matrix srcM, double s, double[][] u, double[][] v, int count) {
        OpCount.add((count + 1L) * rows * cols, 16L * rows * cols); // read src, write this
        double[] src = ((F64Matrix) srcM).a;
        DoubleVector vs = DoubleVector.broadcast(S, s);
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            // row := s * src_row (exact copy when s == 1), then one axpy per outer product on the L1-resident row
            if (s == 1.0) {
                if (src != a) {
                    System.arraycopy(src, o, a, o, cols);
                }
            } else if (s == 0.0) {
                java.util.Arrays.fill(a, o, o + cols, 0.0); // not 0 * src: a NaN or inf in src must not survive
            } else {
                int j = 0;
                for (; j < bound; j += LANES) {
                    DoubleVector.fromArray(S, src, o + j).mul(vs).intoArray(a, o + j);
                }
                for (; j < cols; j++) {
                    a[o + j] = src[o + j] * s;
                }
            }
            for (int m = 0; m < count; m++) {
                double um = u[m] == null ? 1.0 : u[m][i];
                if (um != 0.0) {
                    axpy(um, v[m], a, o);
                }
            }
        }
    }

    /** row[o + j] += alpha * x[j] for j < cols. */
    private void axpy(double alpha, double[] x, double[] row, int o) {
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        int j = 0;
        for (; j < bound; j += LANES) {
            DoubleVector.fromArray(S, x, j).fma(va, DoubleVector.fromArray(S, row, o + j)).intoArray(row, o + j);
        }
        for (; j < cols; j++) {
            row[o + j] = Math.fma(x[j], alpha, row[o + j]);
        }
    }

    @Override
    public void fusedMultiplyBoth(double[][] dotIn, double[][] dotOut, int nDots,
                                  double[][] colIn, double[][] colOut, int nCols) {
        OpCount.add((long) (nDots + nCols) * rows * cols, 8L * rows * cols);
        for (int m = 0; m < nCols; m++) {
            java.util.Arrays.fill(colOut[m], 0, cols, 0.0);
        }
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            for (int k = 0; k < nDots; k++) {
                double[] x = dotIn[k];
                DoubleVector acc = DoubleVector.zero(S);
                int j = 0;
                for (; j < bound; j += LANES) {
                    acc = DoubleVector.fromArray(S, a, o + j).fma(DoubleVector.fromArray(S, x, j), acc);
                }
                double s = Simd.sum(acc, lanes);
                for (; j < cols; j++) {
                    s += a[o + j] * x[j];
                }
                dotOut[k][i] = s;
            }
            for (int m = 0; m < nCols; m++) {
                double w = colIn[m] == null ? 1.0 : colIn[m][i];
                if (w != 0.0) {
                    axpyRow(w, o, colOut[m]);
                }
            }
        }
    }

    @Override
    public double dot(Matrix other) {
        OpCount.add((long) rows * cols, 16L * rows * cols);
        double[] b = ((F64Matrix) other).a;
        int n = a.length;
        int bnd = S.loopBound(n);
        DoubleVector acc = DoubleVector.zero(S);
        int j = 0;
        for (; j < bnd; j += LANES) {
            acc = DoubleVector.fromArray(S, a, j).fma(DoubleVector.fromArray(S, b, j), acc);
        }
        double s = Simd.sum(acc, lanes);
        for (; j < n; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    @Override
    public double sum() {
        double s = 0;
        for (double x : a) {
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
        for (double x : a) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
