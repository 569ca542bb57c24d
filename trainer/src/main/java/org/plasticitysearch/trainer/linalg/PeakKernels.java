package org.plasticitysearch.trainer.linalg;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * What one core sustains with the kernels' own vector width and precision, as references for the roofline:
 * a streaming FMA ({@code y += a x}) over arrays the size of the paper's largest layer, and the engine's rank-1
 * update {@code W <- W + u v^T} on a matrix of that size. Rates are multiply-adds per second (the update counts
 * two per element, as {@link OpCount} does), medians of repeated timings.
 */
public final class PeakKernels {
    private PeakKernels() {
    }

    /** Multiply-adds per second of {@code y += a x} over {@code length} elements. */
    public static double streamingFma(Precision p, int length, int reps) {
        double[] rates = new double[reps];
        if (p == Precision.FLOAT64) {
            VectorSpecies<Double> s = Simd.D;
            double[] x = new double[length];
            double[] y = new double[length];
            Arrays.fill(x, 1e-3);
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                for (int pass = 0; pass < 20; pass++) {
                    DoubleVector a = DoubleVector.broadcast(s, 1e-9 * (pass + 1));
                    int i = 0;
                    for (; i < s.loopBound(length); i += s.length()) {
                        a.fma(DoubleVector.fromArray(s, x, i), DoubleVector.fromArray(s, y, i)).intoArray(y, i);
                    }
                    for (; i < length; i++) {
                        y[i] = Math.fma(1e-9, x[i], y[i]);
                    }
                }
                rates[r] = 20.0 * length / ((System.nanoTime() - t0) / 1e9);
            }
            sink(y[length / 2]);
        } else {
            VectorSpecies<Float> s = Simd.F;
            float[] x = new float[length];
            float[] y = new float[length];
            Arrays.fill(x, 1e-3f);
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                for (int pass = 0; pass < 20; pass++) {
                    FloatVector a = FloatVector.broadcast(s, 1e-9f * (pass + 1));
                    int i = 0;
                    for (; i < s.loopBound(length); i += s.length()) {
                        a.fma(FloatVector.fromArray(s, x, i), FloatVector.fromArray(s, y, i)).intoArray(y, i);
                    }
                    for (; i < length; i++) {
                        y[i] = Math.fma(1e-9f, x[i], y[i]);
                    }
                }
                rates[r] = 20.0 * length / ((System.nanoTime() - t0) / 1e9);
            }
            sink(y[length / 2]);
        }
        return median(rates);
    }

    /** Multiply-adds per second with no memory traffic: eight independent vector FMA chains in registers. */
    public static double registerFma(Precision p, int reps) {
        int lanes = p == Precision.FLOAT64 ? Simd.D.length() : Simd.F.length();
        int n = 1_000_000;
        double[] rates = new double[reps];
        for (int r = -3; r < reps; r++) { // three rounds to let the compiler in
            long t0 = System.nanoTime();
            sink(p == Precision.FLOAT64 ? chains64(n) : chains32(n));
            if (r >= 0) {
                rates[r] = 8.0 * lanes * n / ((System.nanoTime() - t0) / 1e9);
            }
        }
        return median(rates);
    }

    private static double chains32(int n) {
        FloatVector m = FloatVector.broadcast(Simd.F, 0.999f);
        FloatVector c = FloatVector.broadcast(Simd.F, 1e-3f);
        FloatVector a0 = c, a1 = c, a2 = c, a3 = c, a4 = c, a5 = c, a6 = c, a7 = c;
        for (int i = 0; i < n; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    private static double chains64(int n) {
        DoubleVector m = DoubleVector.broadcast(Simd.D, 0.999);
        DoubleVector c = DoubleVector.broadcast(Simd.D, 1e-3);
        DoubleVector a0 = c, a1 = c, a2 = c, a3 = c, a4 = c, a5 = c, a6 = c, a7 = c;
        for (int i = 0; i < n; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    /** Bytes per second moved by {@link #streamingFma} (read x and y, write y). */
    public static double streamingBytesPerMac(Precision p) {
        return 3.0 * (p == Precision.FLOAT64 ? 8 : 4);
    }

    /** Multiply-adds per second of the engine's rank-1 update on a rows x cols matrix. */
    public static double rankOneUpdate(Precision p, int rows, int cols, int reps) {
        Matrix w = p.weights(rows, cols);
        double[][] u = {new double[rows]};
        double[][] v = {new double[cols]};
        Arrays.fill(u[0], 1e-4);
        Arrays.fill(v[0], 1e-4);
        double[] rates = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            for (int pass = 0; pass < 20; pass++) {
                w.assignScaledPlusOuter(w, 1.0, u, v, 1);
            }
            rates[r] = 20.0 * 2 * rows * cols / ((System.nanoTime() - t0) / 1e9);
        }
        sink(w.get(rows / 2, cols / 2));
        return median(rates);
    }

    private static volatile double sunk;

    private static void sink(double v) {
        sunk = v;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
