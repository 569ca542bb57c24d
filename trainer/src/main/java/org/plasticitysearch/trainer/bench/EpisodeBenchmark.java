package org.plasticitysearch.trainer.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.plasticitysearch.trainer.episode.EpisodeEngine;
import org.plasticitysearch.trainer.episode.EpisodeResult;
import org.plasticitysearch.trainer.episode.Feedback;
import org.plasticitysearch.trainer.episode.Task;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.meta.Adam;
import org.plasticitysearch.trainer.rule.Rule;

/**
 * Times one meta-training step (inner loop + exact meta-gradient + Adam) on synthetic pixels, single thread:
 * warm-up episodes, then timed episodes; reports the median and the heap in use.
 */
public final class EpisodeBenchmark {
    /** Measured medians. */
    public record Result(String rule, Feedback feedback, Precision precision, int episodes, double medianMs, double minMs,
                         double maxMs, long peakHeapMb, long peakRssMb) {
        public String summary() {
            return String.format(Locale.ROOT, "rule=%s feedback=%s precision=%s episodes=%d median_ms=%.1f min_ms=%.1f"
                    + " max_ms=%.1f peak_heap_mb=%d peak_rss_mb=%s", rule, feedback.label(), precision.label(), episodes, medianMs,
                    minMs, maxMs, peakHeapMb, peakRssMb < 0 ? "n/a" : Long.toString(peakRssMb));
        }
    }

    /** The coefficients of the golden paper_fa_pool case: a realistic, non-diverging pool rule. */
    private static final double[] GOLDEN_POOL_THETA =
            {0.002, 0.0004, -0.0008, 0.0002, 0.0001, 0.0003, -0.0004, 0.0005, -0.0002, 0.0006};

    private EpisodeBenchmark() {
    }

    public static Result run(String ruleName, Feedback feedback, Precision precision, int[] dims, int m, int k, int q,
                             int warmup, int episodes) {
        Rule rule = new Rule(Rule.named(ruleName));
        EpisodeEngine engine = new EpisodeEngine(dims, 10.0, feedback, precision, rule);
        double[] theta = new double[10];
        for (int r : rule.activeTerms()) {
            theta[r] = GOLDEN_POOL_THETA[r];
        }
        Adam adam = new Adam(theta.length, 1e-3);
        SplittableRandom rng = new SplittableRandom(1);
        Task task = syntheticTask(rng, dims[0], dims[dims.length - 1], m, k, q);
        double[] times = new double[episodes];
        for (int e = 0; e < warmup + episodes; e++) {
            long t0 = System.nanoTime();
            engine.initialiseXavier(e);
            EpisodeResult r = engine.run(task, theta, 0.0, true, false);
            adam.step(theta, r.gradTheta());
            long t1 = System.nanoTime();
            if (e >= warmup) {
                times[e - warmup] = (t1 - t0) / 1e6;
            }
        }
        long heapMb = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapMb += pool.getPeakUsage().getUsed() >> 20;
            }
        }
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        double median = episodes % 2 == 1 ? sorted[episodes / 2]
                : 0.5 * (sorted[episodes / 2 - 1] + sorted[episodes / 2]);
        return new Result(ruleName, feedback, precision, episodes, median, sorted[0], sorted[episodes - 1], heapMb,
                peakResidentMb());
    }

    /** The process's peak resident set (VmHWM of /proc/self/status), or -1 where that is not available. */
    static long peakResidentMb() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** M classes, K training and Q query images each, random sparse pixels in [0,1]. */
    public static Task syntheticTask(SplittableRandom rng, int pixels, int outputs, int m, int k, int q) {
        double[][] tx = new double[m * k][];
        int[] ty = new int[m * k];
        double[][] qx = new double[m * q][];
        int[] qy = new int[m * q];
        for (int s = 0; s < m * k; s++) {
            tx[s] = image(rng, pixels);
            ty[s] = (s % m) % outputs;
        }
        for (int s = 0; s < m * q; s++) {
            qx[s] = image(rng, pixels);
            qy[s] = (s % m) % outputs;
        }
        return new Task(tx, ty, qx, qy);
    }

    private static double[] image(SplittableRandom rng, int pixels) {
        double[] x = new double[pixels];
        for (int p = 0; p < pixels; p++) {
            x[p] = rng.nextDouble() < 0.2 ? rng.nextDouble() : 0.0;
        }
        return x;
    }
}
