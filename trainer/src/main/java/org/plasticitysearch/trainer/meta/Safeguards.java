package org.plasticitysearch.trainer.meta;

/**
 * What keeps meta-training from diverging or freezing (docs/DESIGN-stability.md has the measurements behind each choice).
 * Every field is a trial spec field; a safeguard that does not act leaves the run bitwise the same as without it.
 *
 * @param gradClip     each coefficient's meta-gradient is clipped to this many times the median of its magnitude
 *                     over the last {@code clipWindow} accepted episodes (0: off). Per coefficient, because one
 *                     exploding coordinate would otherwise scale every other coordinate's gradient to nothing, and
 *                     one huge value fills Adam's second moment and freezes theta for thousands of episodes.
 * @param clipWindow   episodes in the running medians; clipping starts once {@link #CLIP_WARMUP} are known
 * @param rejectFactor an episode whose meta-gradient norm exceeds this many times the run's lowest running median
 *                     norm is rejected like a non-finite one (0: off): the inner loop has left the stable regime
 *                     the run started in, and its meta-gradient is dominated by that instability
 * @param rejectLimit  a rejected episode (loss, meta-gradient or weights not finite, or rejectFactor) makes no
 *                     meta-update: theta and Adam's moments return to the last healthy point (the last accepted
 *                     episode whose norm was within {@link #HEALTHY_FACTOR} of the lowest median; with
 *                     rejectFactor 0, the last accepted episode: its step is undone) and the step is shrunk; the
 *                     trial fails for divergence only after this many rejections in a row (0: fail at the first,
 *                     the paper's behaviour)
 * @param rejectShrink after a rejection the meta learning rate is multiplied by this for the next
 *                     {@link #REJECT_COOLDOWN} accepted episodes
 * @param termScaling  per-term preconditioning of Adam's step
 * @param trustRegion  the terms' steps together may change the weight update by at most what a full step of the
 *                     reference term alone would: sum_r |dtheta_r| ||F_r|| <= lr ||F_ref|| with the norms of the
 *                     episode just run (steps scaled down together when above). Several terms that all raise the
 *                     effective learning rate otherwise move it several times faster than any one of them would,
 *                     and the gated terms F6-F8 grow ~20x larger than at the first episode as the network learns.
 */
public record Safeguards(double gradClip, int clipWindow, double rejectFactor, int rejectLimit, double rejectShrink,
                         TermScaling termScaling, boolean trustRegion) {
    /** Checked here for every caller (trial specs, reproduce's options): the message names the spec field. */
    public Safeguards {
        factor("grad_clip", gradClip);
        factor("reject_factor", rejectFactor);
        if (clipWindow < CLIP_WARMUP) {
            throw new IllegalArgumentException("grad_clip_window: " + clipWindow + " is not allowed; use an integer"
                    + " from " + CLIP_WARMUP + " up");
        }
        if (rejectLimit < 0) {
            throw new IllegalArgumentException("reject_limit: " + rejectLimit + " is not allowed; use 0 or more");
        }
        if (!(rejectShrink > 0 && rejectShrink <= 1)) {
            throw new IllegalArgumentException("reject_shrink: " + rejectShrink + " is not allowed; use a number in"
                    + " (0, 1]");
        }
        if (termScaling == null) {
            throw new IllegalArgumentException("term_scaling: missing; use none or norm");
        }
    }

    private static void factor(String field, double v) {
        if (!(v == 0 || (v >= 1 && v < Double.POSITIVE_INFINITY))) {
            throw new IllegalArgumentException(field + ": " + v + " is not allowed; use 0 (off) or a factor >= 1 of"
                    + " the running median meta-gradient norm");
        }
    }

    public static final int CLIP_WARMUP = 5;
    public static final int REJECT_COOLDOWN = 20;
    public static final double HEALTHY_FACTOR = 10.0;

    /** The defaults of every trial spec. */
    public static final Safeguards DEFAULTS = new Safeguards(5.0, 50, 100.0, 20, 0.5, TermScaling.NORM, true);

    /** Unconstrained meta-training: Adam alone, as in the paper and before issue 10. */
    public static final Safeguards OFF = new Safeguards(0.0, 50, 0.0, 0, 1.0, TermScaling.NONE, false);

    /** The settings under their trial spec field names, in the order of the spec documentation. */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("grad_clip", gradClip);
        m.put("grad_clip_window", clipWindow);
        m.put("reject_factor", rejectFactor);
        m.put("reject_limit", rejectLimit);
        m.put("reject_shrink", rejectShrink);
        m.put("term_scaling", termScaling.label());
        m.put("trust_region", trustRegion);
        return m;
    }
}
