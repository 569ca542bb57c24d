package org.plasticitysearch.trainer.meta;

import org.plasticitysearch.trainer.rule.Factor;
import org.plasticitysearch.trainer.rule.OuterProductTerm;
import org.plasticitysearch.trainer.rule.TermPool;

/**
 * Each active term's natural scale in one episode: its unweighted update norm ||F_r|| (Frobenius, summed over
 * every {@link #SAMPLE_EVERY}-th online step of the episode and its layers, whatever theta_r is), and the reference F_ref: the pseudo-gradient F0, or in a
 * rule without F0 the active term of smallest norm.
 */
final class TermNorms {
    /** The safeguards sum the norms over every 10th online step: the ratios they use, at a tenth of the cost. */
    static final int SAMPLE_EVERY = 10;

    private final double[] norms;
    private final int[] active;
    private final double ref;

    TermNorms(double[] norms, int[] active) {
        this.norms = norms.clone();
        this.active = active.clone();
        double r = Double.POSITIVE_INFINITY;
        for (int t : active) {
            if (t == 0) {
                r = norms[0];
                break;
            }
            if (norms[t] > 0) {
                r = Math.min(r, norms[t]);
            }
        }
        this.ref = r > 0 && Double.isFinite(r) ? r : Double.NaN; // NaN: no reference, nothing scaled or limited
    }

    /**
     * min(1, ||F_ref|| / ||F_r||), squared for a term gated by a layer-wide scalar of the activity (F5-F8): terms
     * no larger than the reference keep the plain step (all of them, without a reference). A gated term's
     * effective learning rate is theta_r times its gate, and the gate grows with the very weights the term
     * changes, so the inner loop's sensitivity to theta_r grows with the square of the gate (measured:
     * |theta_5| = 3e-4 makes the meta-gradient 1e7 while theta_0 = 5e-3 gives 3e3; docs/DESIGN-stability.md).
     */
    double[] stepScale() {
        double[] s = new double[norms.length];
        for (int r = 0; r < s.length; r++) {
            double ratio = norms[r] > ref ? ref / norms[r] : 1.0;
            s[r] = gated(r) ? ratio * ratio : ratio;
        }
        return s;
    }

    private static boolean gated(int r) {
        return TermPool.term(r) instanceof OuterProductTerm t && t.gain() != Factor.Gain.ONE;
    }

    /**
     * How far a proposed decrement {@code d} of theta moves the weight update, in units of a full step
     * {@code maxStep} of the reference term: sum_r |d_r| ||F_r|| / (maxStep ||F_ref||).
     */
    double trustRatio(double[] d, double maxStep) {
        double sum = 0.0;
        if (Double.isNaN(ref)) {
            return 0.0;
        }
        for (int r : active) {
            sum += Math.abs(d[r]) * norms[r];
        }
        return sum / (maxStep * ref);
    }
}
