package org.plasticitysearch.trainer.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.plasticitysearch.trainer.linalg.Matrix;
import org.plasticitysearch.trainer.linalg.Precision;

/**
 * Where does ND4J pay? Times the building blocks of an episode on the paper's largest layer (170 x 784, float32)
 * with ND4J (OpenBLAS through JavaCPP) and with this project's Vector API kernels: the online step's
 * matrix-vector products and rank-1 update (thousands of calls per episode), and the query batch's forward pass
 * and gradient (a few matrix-matrix products per episode).
 */
public final class KernelBenchmark {
    /** One timed kernel: median microseconds per call for each implementation. */
    public record Row(String kernel, double nd4jMicros, double javaMicros) {
        public String line() {
            return String.format(Locale.ROOT, "%-44s nd4j_us=%9.1f  java_us=%9.1f  faster=%s (x%.1f)", kernel,
                    nd4jMicros, javaMicros, nd4jMicros < javaMicros ? "nd4j" : "java",
                    Math.max(nd4jMicros, javaMicros) / Math.min(nd4jMicros, javaMicros));
        }
    }

    private KernelBenchmark() {
    }

    /** Milliseconds the first ND4J call of a process took (backend discovery and native library loading). */
    /** What {@code ops/trainer bench --kernels} prints (called by reflection: this class is in the nd4j build only). */
    public static void report(java.io.PrintStream out) {
        out.println("single thread expected: run with OMP_NUM_THREADS=1 for a like-for-like comparison");
        out.printf(java.util.Locale.ROOT, "nd4j first call (backend start-up): %.0f ms%n", nd4jStartupMillis());
        for (Row r : run(170, 784, 50)) {
            out.println(r.line());
        }
    }

    public static double nd4jStartupMillis() {
        long t0 = System.nanoTime();
        Nd4j.create(DataType.FLOAT, 2, 2).addi(1f);
        return (System.nanoTime() - t0) / 1e6;
    }

    public static List<Row> run(int rows, int cols, int batch) {
        SplittableRandom rng = new SplittableRandom(1);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rng.nextDouble() - 0.5);
        }
        double[] x = new double[cols];
        double[] e = new double[rows];
        for (int j = 0; j < cols; j++) {
            x[j] = rng.nextDouble();
        }
        for (int i = 0; i < rows; i++) {
            e[i] = rng.nextDouble() - 0.5;
        }
        double[][] xb = new double[batch][];
        double[][] zb = new double[batch][];
        for (int s = 0; s < batch; s++) {
            xb[s] = x.clone();
            zb[s] = e.clone();
        }

        INDArray nw = Nd4j.create(w, new long[]{rows, cols}, 'c');
        INDArray nx = Nd4j.create(toFloat(x), new long[]{cols, 1});
        INDArray ne = Nd4j.create(toFloat(e), new long[]{rows, 1});
        INDArray nxRow = Nd4j.create(toFloat(x), new long[]{1, cols});
        INDArray nX = Nd4j.create(DataType.FLOAT, batch, cols);
        INDArray nZ = Nd4j.create(DataType.FLOAT, batch, rows);
        for (int s = 0; s < batch; s++) {
            nX.putRow(s, nxRow);
            nZ.putRow(s, Nd4j.create(toFloat(e), new long[]{1, rows}));
        }
        Matrix jw = Precision.FLOAT32.zeros(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                jw.set(i, j, w[i * cols + j]);
            }
        }
        double[] out = new double[rows];
        double[] outT = new double[cols];
        double[][] u1 = {e};
        double[][] v1 = {x};

        List<Row> rowsOut = new ArrayList<>();
        rowsOut.add(new Row("W x (forward, per online step)",
                time(() -> nw.mmul(nx)), time(() -> jw.multiply(x, out))));
        rowsOut.add(new Row("W^T e (error transport, per online step)",
                time(() -> nw.transpose().mmul(ne)), time(() -> jw.multiplyTransposed(e, outT))));
        INDArray neVec = Nd4j.create(toFloat(e), new long[]{rows});
        INDArray nxVec = Nd4j.create(toFloat(x), new long[]{cols});
        rowsOut.add(new Row("W += e x^T (rank-1 update, BLAS ger, per step)",
                time(() -> Nd4j.getBlasWrapper().level2().ger('c', 1.0, neVec, nxVec, nw)),
                time(() -> jw.assignScaledPlusOuter(jw, 1.0, u1, v1, 1))));
        rowsOut.add(new Row("X W^T, batch " + batch + " (query forward, per episode)",
                time(() -> nX.mmul(nw.transpose())), time(() -> {
                    for (int s = 0; s < batch; s++) {
                        jw.multiply(xb[s], out);
                    }
                })));
        rowsOut.add(new Row("Z^T X, batch " + batch + " (query gradient, per episode)",
                time(() -> nZ.transpose().mmul(nX)), time(() -> jw.assignScaledPlusOuter(jw, 0.0, zb, xb, batch))));
        return rowsOut;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Median microseconds per call over 15 rounds, after a warm-up. */
    static double time(Runnable op) {
        for (int i = 0; i < 300; i++) {
            op.run();
        }
        double[] t = new double[15];
        for (int r = 0; r < t.length; r++) {
            int calls = 40;
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                op.run();
            }
            t[r] = (System.nanoTime() - t0) / 1e3 / calls;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
