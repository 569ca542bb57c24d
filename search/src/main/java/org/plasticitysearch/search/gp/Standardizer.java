package org.plasticitysearch.search.gp;

/** (loss − mean) / sd over the observations; sd = 1 when the losses are all equal (or nearly). */
final class Standardizer {
    private final double mean;
    private final double sd;

    Standardizer(double[] v) {
        double m = 0;
        for (double d : v) {
            m += d;
        }
        m /= v.length;
        double s = 0;
        for (double d : v) {
            s += (d - m) * (d - m);
        }
        s = Math.sqrt(s / v.length);
        this.mean = m;
        this.sd = s > 1e-12 * Math.max(1, Math.abs(m)) ? s : 1.0;
    }

    double apply(double v) {
        return (v - mean) / sd;
    }

    double[] apply(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = apply(v[i]);
        }
        return out;
    }

    /**
     * Normal scores of the ranks: Φ⁻¹((rank − 0.5) / n), ties sharing their mean rank, then standardised; robust to
     * outliers and heavy tails (a loss that is huge only ranks last).
     */
    static double[] normalScores(double[] v) {
        int n = v.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(v[a], v[b]));
        double[] z = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && v[idx[j + 1]] == v[idx[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            double q = (rank - 0.5) / n;
            double s = -Math.sqrt(2) * smile.math.special.Erf.inverfc(2 * q);
            for (int k = i; k <= j; k++) {
                z[idx[k]] = s;
            }
            i = j + 1;
        }
        return new Standardizer(z).apply(z);
    }

    /** Standardised values with the part above 0 (worse than the mean) compressed by log1p, re-standardised. */
    static double[] compressUpper(double[] z) {
        double[] w = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            w[i] = z[i] > 0 ? Math.log1p(z[i]) : z[i];
        }
        return new Standardizer(w).apply(w);
    }
}
