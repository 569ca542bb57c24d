package org.plasticitysearch.trainer.bench;

import java.util.Arrays;
import java.util.Locale;
import org.plasticitysearch.trainer.data.BuiltinGlyphs;
import org.plasticitysearch.trainer.data.Dataset;
import org.plasticitysearch.trainer.data.TaskSampler;
import org.plasticitysearch.trainer.episode.EpisodeEngine;
import org.plasticitysearch.trainer.episode.Feedback;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.meta.MetaTrainer;
import org.plasticitysearch.trainer.meta.Safeguards;
import org.plasticitysearch.trainer.rule.Rule;

/**
 * What the meta-training safeguards cost: two meta-trainers of the same rule on the built-in data (paper network,
 * 5-way, K=50, Q=10), one with {@link Safeguards#OFF} and one with the defaults, advanced one episode at a time in
 * alternation so both see the same machine load; median and mean ms per episode of each, and their ratio. The
 * meta learning rate is 1e-12, so both runs keep the same coefficients (a realistic pool rule) and do the same
 * arithmetic in their episodes: the difference is the safeguards' own work (the sampled term norms, the
 * medians, the snapshot, the trust ratio), not a different learned rule.
 */
public final class SafeguardBenchmark {
    private SafeguardBenchmark() {
    }

    public static String run(String ruleName, int[] dims, int episodes) {
        Dataset data = BuiltinGlyphs.create(120);
        MetaTrainer[] trainers = new MetaTrainer[2];
        Safeguards[] settings = {Safeguards.OFF, Safeguards.DEFAULTS};
        for (int i = 0; i < 2; i++) {
            double[] theta = {0.002, 0.0004, -0.0008, 0.0002, 0.0001, 0.00003, -0.0004, 0.0005, -0.0002, 0.0006};
            EpisodeEngine engine = new EpisodeEngine(dims, 10.0, Feedback.FA, Precision.FLOAT32,
                    new Rule(Rule.named(ruleName)));
            engine.weightTapeLimit(0); // both replay, whatever the heap: the two differ only by the safeguards
            trainers[i] = new MetaTrainer(engine, new TaskSampler(data, 5, 50, 10, false, false), 1, theta, 1e-12,
                    0.0).withSafeguards(settings[i]);
        }
        double[][] ms = new double[2][episodes];
        for (int e = 0; e < episodes; e++) {
            for (int k = 0; k < 2; k++) {
                int i = (e + k) % 2; // alternate which goes first
                long t0 = System.nanoTime();
                trainers[i].train(e + 1, 0, () -> false, r -> { });
                ms[i][e] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double[] median = new double[2];
        double[] mean = new double[2];
        for (int i = 0; i < 2; i++) {
            double[] s = ms[i].clone();
            Arrays.sort(s);
            median[i] = episodes % 2 == 1 ? s[episodes / 2] : 0.5 * (s[episodes / 2 - 1] + s[episodes / 2]);
            mean[i] = Arrays.stream(s).average().orElse(Double.NaN);
        }
        return String.format(Locale.ROOT, "rule=%s episodes=%d off_median_ms=%.1f on_median_ms=%.1f off_mean_ms=%.1f"
                        + " on_mean_ms=%.1f (on: clipped %d, rejected %d, trust-limited %d)%n"
                        + "safeguard_overhead_median=%.3f safeguard_overhead_mean=%.3f", ruleName, episodes,
                median[0], median[1], mean[0], mean[1], trainers[1].clippedEpisodes(), trainers[1].rejectedEpisodes(),
                trainers[1].limitedEpisodes(), median[1] / median[0], mean[1] / mean[0]);
    }
}
