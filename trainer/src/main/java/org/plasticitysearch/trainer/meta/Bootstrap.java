package org.plasticitysearch.trainer.meta;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Percentile bootstrap confidence interval of a mean (the paper: 98% intervals from 500 resamples). */
public final class Bootstrap {
    private Bootstrap() {
    }

    /** Returns {mean, low, high}. */
    public static double[] meanInterval(double[] values, double level, int resamples, long seed) {
        int n = values.length;
        if (n == 0) {
            return new double[]{Double.NaN, Double.NaN, Double.NaN};
        }
        double mean = Arrays.stream(values).sum() / n;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += values[rng.nextInt(n)];
            }
            means[b] = s / n;
        }
        Arrays.sort(means);
        double alpha = (1 - level) / 2;
        return new double[]{mean, quantile(means, alpha), quantile(means, 1 - alpha)};
    }

    /** Linear interpolation between order statistics (numpy's default). */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
