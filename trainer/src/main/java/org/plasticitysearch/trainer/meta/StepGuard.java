package org.plasticitysearch.trainer.meta;

import java.util.Arrays;
import java.util.Locale;

/**
 * The running state of the {@link Safeguards} of one meta-training run: the windows of recent meta-gradient
 * magnitudes (per coefficient for clipping, the norm for rejection), the run's lowest median norm, the temporary
 * step shrink after a rejection, and the counts reported in events.
 */
final class StepGuard {
    private final Safeguards s;
    private final double[] normWindow;
    private final double[][] termWindow;
    private int fill;
    private int next;
    private double lowestMedian = Double.POSITIVE_INFINITY;
    private double lastNorm = Double.NaN;
    private boolean lastHealthy;
    private String lastReason;
    private int clipped;
    private int limited;
    private int rejected;
    private int streak;
    private double shrink = 1.0;
    private int cooldown;

    StepGuard(Safeguards s, int size) {
        this.s = s;
        int w = Math.max(1, s.clipWindow());
        this.normWindow = new double[w];
        this.termWindow = new double[size][w];
    }

    /**
     * Screens an episode's finite meta-gradient: null when it may be used (each coefficient clipped in place to
     * gradClip times its running median magnitude), or why it is rejected. The windows keep clipped values, so a
     * run of huge gradients cannot drag a median up by more than gradClip per window.
     */
    String screen(double[] grad) {
        double norm = norm(grad);
        lastNorm = norm;
        boolean warm = fill >= Safeguards.CLIP_WARMUP;
        if (warm) {
            lowestMedian = Math.min(lowestMedian, median(normWindow, fill));
        }
        lastHealthy = !warm || s.rejectFactor() == 0 || norm <= Safeguards.HEALTHY_FACTOR * lowestMedian;
        if (warm && s.rejectLimit() > 0 && s.rejectFactor() > 0 && norm > s.rejectFactor() * lowestMedian) {
            return String.format(Locale.ROOT, "meta-gradient norm %.3g is over %.3g times the run's lowest running"
                    + " median %.3g", norm, s.rejectFactor(), lowestMedian);
        }
        boolean any = false;
        for (int r = 0; r < grad.length; r++) {
            if (warm && s.gradClip() > 0) {
                double limit = s.gradClip() * median(termWindow[r], fill);
                if (Math.abs(grad[r]) > limit) {
                    grad[r] = Math.copySign(limit, grad[r]);
                    any = true;
                }
            }
            termWindow[r][next] = Math.abs(grad[r]);
        }
        if (any) {
            clipped++;
        }
        normWindow[next] = norm(grad);
        next = (next + 1) % normWindow.length;
        fill = Math.min(fill + 1, normWindow.length);
        return null;
    }

    /** The raw meta-gradient norm of the last screened episode. */
    double lastNorm() {
        return lastNorm;
    }

    /** The last screened episode's norm was within HEALTHY_FACTOR of the run's lowest median (a restore point). */
    boolean lastHealthy() {
        return lastHealthy;
    }

    /** A rejected episode: counted, the step shrunk; throws when the safeguards give up. */
    void reject(int episode, String why) {
        rejected++;
        streak++;
        lastReason = why;
        if (streak > s.rejectLimit()) {
            throw new DivergenceException(episode, s.rejectLimit() == 0 ? why
                    : why + " (" + streak + " episodes in a row rejected; reject_limit is " + s.rejectLimit() + ")");
        }
        shrink = s.rejectShrink();
        cooldown = Safeguards.REJECT_COOLDOWN;
    }

    /** An accepted episode: the multiplier of the meta learning rate for its step (1 unless recently rejected). */
    double accept() {
        streak = 0;
        double f = shrink;
        if (cooldown > 0 && --cooldown == 0) {
            shrink = 1.0;
        }
        return f;
    }

    /** The trust region scaled this episode's step down. */
    void limited() {
        limited++;
    }

    int limitedCount() {
        return limited;
    }

    /** Rejected episodes since the last accepted one. */
    int streak() {
        return streak;
    }

    String lastReason() {
        return lastReason;
    }

    int clipped() {
        return clipped;
    }

    int rejected() {
        return rejected;
    }

    private static double norm(double[] g) {
        double ss = 0.0;
        for (double x : g) {
            ss += x * x;
        }
        return Math.sqrt(ss);
    }

    private static double median(double[] window, int n) {
        double[] w = Arrays.copyOf(window, n);
        Arrays.sort(w);
        int h = n / 2;
        return n % 2 == 1 ? w[h] : 0.5 * (w[h - 1] + w[h]);
    }
}
