package org.plasticitysearch.trainer.data;

import java.util.SplittableRandom;
import org.plasticitysearch.trainer.episode.Task;

/**
 * Draws M-way tasks (PLASTICITY.md, "One episode"): M classes and, for each, K training and Q query images drawn
 * without repetition; the M*K training samples are shuffled. Labels are the original class indices.
 *
 * <p>Protocol options reproduce the authors' code: classes drawn with replacement, and/or always the first K
 * (training) and next Q (query) images of a class instead of random ones.
 */
public final class TaskSampler {
    private final Dataset data;
    private final int m;
    private final int k;
    private final int q;
    private final boolean classesWithReplacement;
    private final boolean firstImages;
    private final int[] eligible;

    public TaskSampler(Dataset data, int m, int k, int q, boolean classesWithReplacement, boolean firstImages) {
        this.data = data;
        this.m = m;
        this.k = k;
        this.q = q;
        this.classesWithReplacement = classesWithReplacement;
        this.firstImages = firstImages;
        this.eligible = data.classesWithAtLeast(k + q);
        if (eligible.length == 0 || (!classesWithReplacement && eligible.length < m)) {
            throw new DataException("dataset " + data.name() + ": only " + eligible.length
                    + " classes have K+Q = " + (k + q) + " images; an " + m + "-way task needs " + m);
        }
    }

    public Task sample(SplittableRandom rng) {
        int[] classes = new int[m];
        int[] pool = eligible.clone();
        for (int i = 0; i < m; i++) {
            if (classesWithReplacement) {
                classes[i] = pool[rng.nextInt(pool.length)];
            } else {
                int j = i + rng.nextInt(pool.length - i);
                int t = pool[i];
                pool[i] = pool[j];
                pool[j] = t;
                classes[i] = pool[i];
            }
        }
        double[][] tx = new double[m * k][];
        int[] ty = new int[m * k];
        double[][] qx = new double[m * q][];
        int[] qy = new int[m * q];
        for (int i = 0; i < m; i++) {
            int[] idx = data.indicesOf(classes[i]).clone();
            if (!firstImages) {
                // partial Fisher-Yates: the first K+Q entries become a uniform sample without repetition
                for (int a = 0; a < k + q; a++) {
                    int b = a + rng.nextInt(idx.length - a);
                    int t = idx[a];
                    idx[a] = idx[b];
                    idx[b] = t;
                }
            }
            for (int s = 0; s < k; s++) {
                tx[i * k + s] = data.pixels(idx[s]);
                ty[i * k + s] = classes[i];
            }
            for (int s = 0; s < q; s++) {
                qx[i * q + s] = data.pixels(idx[k + s]);
                qy[i * q + s] = classes[i];
            }
        }
        for (int a = tx.length - 1; a > 0; a--) {
            int b = rng.nextInt(a + 1);
            double[] t = tx[a];
            tx[a] = tx[b];
            tx[b] = t;
            int l = ty[a];
            ty[a] = ty[b];
            ty[b] = l;
        }
        return new Task(tx, ty, qx, qy);
    }
}
