package org.plasticitysearch.trainer.bench;

import java.util.Locale;
import java.util.SplittableRandom;
import org.plasticitysearch.trainer.episode.EpisodeEngine;
import org.plasticitysearch.trainer.episode.EpisodeResult;
import org.plasticitysearch.trainer.episode.Feedback;
import org.plasticitysearch.trainer.episode.PastWeights;
import org.plasticitysearch.trainer.episode.PhaseClock;
import org.plasticitysearch.trainer.episode.PhaseClock.Phase;
import org.plasticitysearch.trainer.episode.Task;
import org.plasticitysearch.trainer.linalg.OpCount;
import org.plasticitysearch.trainer.linalg.PeakKernels;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.meta.Adam;
import org.plasticitysearch.trainer.rule.Rule;

/**
 * {@code trainer bench --roofline}: the multiply-adds and matrix bytes of one meta-training episode per phase
 * (counted by the kernels themselves for the chosen rule, so they follow the network's sizes and the active terms),
 * the time each phase takes, and how far each is from the roofline measured in the same process with the same
 * vector width and precision: min(FMA throughput in registers, bandwidth of a streaming FMA over the largest
 * layer's size x the phase's multiply-adds per byte); also its fraction of the engine's own rank-1 update.
 */
public final class RooflineBenchmark {
    private RooflineBenchmark() {
    }

    public static String run(String ruleName, Feedback feedback, Precision precision, int[] dims, int warmup,
                              int episodes) {
        int largest = 0;
        int rows = 0;
        int cols = 0;
        for (int l = 0; l + 1 < dims.length; l++) {
            if (dims[l] * dims[l + 1] > largest) {
                largest = dims[l] * dims[l + 1];
                rows = dims[l + 1];
                cols = dims[l];
            }
        }
        Rule rule = new Rule(Rule.named(ruleName));
        EpisodeEngine engine = new EpisodeEngine(dims, 10.0, feedback, precision, rule);
        double[] theta = new double[10];
        for (int r : rule.activeTerms()) {
            theta[r] = r == 0 ? 0.002 : 3e-4;
        }
        Adam adam = new Adam(theta.length, 1e-3);
        Task task = EpisodeBenchmark.syntheticTask(new SplittableRandom(1), dims[0], dims[dims.length - 1], 5, 50, 10);
        PhaseClock clock = new PhaseClock();
        for (int e = 0; e < warmup + episodes; e++) {
            boolean timed = e >= warmup;
            if (timed && e == warmup) {
                engine.clock(clock);
                OpCount.start();
            }
            if (timed) {
                clock.enter(Phase.INIT);
            }
            engine.initialiseXavier(e);
            EpisodeResult r = engine.run(task, theta, 0.0, true, false);
            if (timed) {
                clock.enter(Phase.ADAM);
            }
            adam.step(theta, r.gradTheta());
            clock.close();
        }
        OpCount.stop();
        engine.clock(null);
        // each reference run untimed for half a second first: its loops must be compiled (by C2, not the interpreter
        // or C1, where the Vector API boxes every vector) before they are timed, and the compiler may still be busy
        // with the episode's kernels (measured: streaming 3 GMAC/s right after the episodes, 9 once compiled)
        int r = rows;
        int c = cols;
        int n = largest;
        warmUp(() -> PeakKernels.registerFma(precision, 9));
        double peak = PeakKernels.registerFma(precision, 9);
        warmUp(() -> PeakKernels.streamingFma(precision, n, 15));
        double fma = PeakKernels.streamingFma(precision, largest, 15);
        double bandwidth = fma * PeakKernels.streamingBytesPerMac(precision);
        warmUp(() -> PeakKernels.rankOneUpdate(precision, r, c, 15));
        double rank1 = PeakKernels.rankOneUpdate(precision, rows, cols, 15);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "rule=%s feedback=%s precision=%s"
                + " episodes=%d; references (one core, this vector width): register_fma=%.2f GMAC/s, on %dx%d"
                + " streaming_fma=%.2f GMAC/s (%.0f GB/s), rank1_update=%.2f GMAC/s%n", ruleName, feedback.label(),
                precision.label(), episodes, peak / 1e9, rows, cols, fma / 1e9, bandwidth / 1e9, rank1 / 1e9));
        out.append("roofline = min(register_fma, GB/s x mac/byte); roofline_fraction = achieved / roofline\n");
        PastWeights past = engine.pastWeights();
        out.append("weights for the adjoint: ").append(past == null
                ? "replayed: the last episode could not walk back (" + engine.walkBackSkips() + " such episodes)"
                : switch (past) {
                    case WALK_BACK -> "walked back from W(T), undoing each update (float32; no tape, no replay)";
                    case TAPE -> "weight tape (no replay phase)";
                    case REPLAY -> "checkpoints and replay (the weight tape does not fit the heap's budget)";
                }).append('\n');
        long totalNanos = 0;
        long totalMacs = 0;
        long totalBytes = 0;
        for (Phase p : Phase.values()) {
            totalNanos += clock.nanos(p);
            totalMacs += clock.macs(p);
        }
        for (Phase p : Phase.values()) {
            if (clock.nanos(p) == 0) {
                continue; // a phase this episode does not have (replay with the weight tape)
            }
            out.append(line(p.name().toLowerCase(Locale.ROOT), clock.nanos(p) / (double) episodes,
                    clock.macs(p) / (double) episodes, clock.bytes(p) / (double) episodes, peak, bandwidth, rank1));
            totalBytes += clock.bytes(p);
        }
        out.append(line("episode", totalNanos / (double) episodes, totalMacs / (double) episodes,
                totalBytes / (double) episodes, peak, bandwidth, rank1));
        return out.toString();
    }

    static String line(String phase, double nanos, double macs, double bytes, double peak, double bandwidth,
                       double rank1) {
        double rate = nanos > 0 ? macs / (nanos / 1e9) : 0;
        double roof = bytes > 0 ? Math.min(peak, bandwidth * macs / bytes) : peak;
        return String.format(Locale.ROOT, "phase=%-8s ms=%8.2f mmac=%8.1f mbytes=%8.1f mac_per_byte=%5.2f"
                        + " gmac_per_s=%6.2f roofline=%6.2f roofline_fraction=%.2f rank1_fraction=%.2f%n", phase,
                nanos / 1e6, macs / 1e6, bytes / 1e6, bytes > 0 ? macs / bytes : 0, rate / 1e9, roof / 1e9,
                macs > 0 ? rate / roof : 0, rate / rank1);
    }

    private static void warmUp(java.util.function.DoubleSupplier reference) {
        long end = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < end) {
            reference.getAsDouble();
        }
    }
}
