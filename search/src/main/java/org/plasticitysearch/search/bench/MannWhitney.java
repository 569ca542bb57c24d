package org.plasticitysearch.search.bench;

import smile.math.special.Erf;

/** The Mann-Whitney U test with the normal approximation and tie correction. */
public final class MannWhitney {
    private MannWhitney() {
    }

    /**
     * One-sided p-value for H1 "x tends to be greater than y" (midranks; continuity correction 0.5).
     */
    public static double pGreater(double[] x, double[] y) {
        int n1 = x.length;
        int n2 = y.length;
        int n = n1 + n2;
        double[] all = new double[n];
        System.arraycopy(x, 0, all, 0, n1);
        System.arraycopy(y, 0, all, n1, n2);
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(all[a], all[b]));
        double[] rank = new double[n];
        double tieTerm = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && all[idx[j + 1]] == all[idx[i]]) {
                j++;
            }
            double mid = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                rank[idx[k]] = mid;
            }
            double t = j - i + 1;
            tieTerm += t * t * t - t;
            i = j + 1;
        }
        double r1 = 0;
        for (int i = 0; i < n1; i++) {
            r1 += rank[i];
        }
        double u1 = r1 - n1 * (n1 + 1) / 2.0;
        double mean = n1 * n2 / 2.0;
        double var = n1 * n2 / 12.0 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
        if (var <= 0) {
            return 0.5;
        }
        double z = (u1 - mean - 0.5) / Math.sqrt(var);
        return 0.5 * Erf.erfc(z / Math.sqrt(2));
    }
}
