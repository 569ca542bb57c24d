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
}
