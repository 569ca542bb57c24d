package org.plasticitysearch.trainer.linalg;

/**
 * The multiply-adds and the bytes of matrix data the kernels touch, counted while switched on
 * ({@code bench --roofline}); off, each kernel call costs one branch. Single-threaded use only: a benchmark's.
 * A multiply-add is one element of one matrix pass per vector: a matrix-vector product of an r x c matrix is r c,
 * the rank-k update {@code W <- s W + sum u v^T} is (k + 1) r c (the scale counts as one).
 */
public final class OpCount {
    private static boolean on;
    private static long macs;
    private static long bytes;

    private OpCount() {
    }

    public static void start() {
        macs = 0;
        bytes = 0;
        on = true;
    }

    public static void stop() {
        on = false;
    }

    public static long macs() {
        return macs;
    }

    public static long bytes() {
        return bytes;
    }

    static void add(long multiplyAdds, long matrixBytes) {
        if (on) {
            macs += multiplyAdds;
            bytes += matrixBytes;
        }
    }
}
