package org.plasticitysearch.trainer.episode;

/**
 * Several dot products over the same length at once: each is the sequential sum {@code s += a[j] * b[j]} from
 * j = 0 (bitwise {@link EpisodeBuffers#dot}), four chains side by side, so the adjoint's per-term reads
 * {@code q_r = (G^T left_r) . right_r} cost the loads instead of one add latency per element and term.
 */
final class TermReads {
    private TermReads() {
    }

    /** out[r] := a[r] . b[r] over len entries, for r < count. */
    static void dots(double[][] a, double[][] b, int count, int len, double[] out) {
        int r = 0;
        for (; r + 3 < count; r += 4) {
            double[] a0 = a[r];
            double[] a1 = a[r + 1];
            double[] a2 = a[r + 2];
            double[] a3 = a[r + 3];
            double[] b0 = b[r];
            double[] b1 = b[r + 1];
            double[] b2 = b[r + 2];
            double[] b3 = b[r + 3];
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int j = 0; j < len; j++) {
                s0 += a0[j] * b0[j];
                s1 += a1[j] * b1[j];
                s2 += a2[j] * b2[j];
                s3 += a3[j] * b3[j];
            }
            out[r] = s0;
            out[r + 1] = s1;
            out[r + 2] = s2;
            out[r + 3] = s3;
        }
        for (; r + 1 < count; r += 2) {
            double[] a0 = a[r];
            double[] a1 = a[r + 1];
            double[] b0 = b[r];
            double[] b1 = b[r + 1];
            double s0 = 0;
            double s1 = 0;
            for (int j = 0; j < len; j++) {
                s0 += a0[j] * b0[j];
                s1 += a1[j] * b1[j];
            }
            out[r] = s0;
            out[r + 1] = s1;
        }
        if (r < count) {
            out[r] = EpisodeBuffers.dot(a[r], b[r], len);
        }
    }
}
