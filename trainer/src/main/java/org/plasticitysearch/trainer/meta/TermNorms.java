package org.plasticitysearch.trainer.meta;

/**
 * Each active term's natural scale in one episode: its unweighted update norm ||F_r|| (Frobenius, summed over the
 * episode's online steps and layers, whatever theta_r is), and the reference F_ref: the pseudo-gradient F0, or in a
 * rule without F0 the active term of smallest norm.
 */
final class TermNorms {
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

    /** min(1, ||F_ref|| / ||F_r||): terms no larger than the reference keep the plain step (all, without one). */
    double[] stepScale() {
        double[] s = new double[norms.length];
        for (int r = 0; r < s.length; r++) {
            s[r] = norms[r] > ref ? ref / norms[r] : 1.0;
        }
        return s;
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

    double[] values() {
        return norms.clone();
    }
}
