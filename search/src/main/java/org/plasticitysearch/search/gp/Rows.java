package org.plasticitysearch.search.gp;

/**
 * Row updates s[j] −= c·u[j] (or +=) over j in [from, to), one term or four terms per pass; with four, each entry
 * takes them in order, one operation after another (no fused multiply-add, no reassociation), so the result is
 * the one-term loop's four times over, bitwise. The loops carry nothing from one j to the next: the compiler runs
 * them on vectors.
 */
final class Rows {
    private Rows() {
    }

    static void subtract(double[] s, double c, double[] u, int from, int to) {
        for (int j = from; j < to; j++) {
            s[j] -= c * u[j];
        }
    }

    static void subtract4(double[] s, double c0, double[] u0, double c1, double[] u1, double c2, double[] u2,
                          double c3, double[] u3, int from, int to) {
        for (int j = from; j < to; j++) {
            s[j] = (((s[j] - c0 * u0[j]) - c1 * u1[j]) - c2 * u2[j]) - c3 * u3[j];
        }
    }

    static void add(double[] s, double c, double[] u, int from, int to) {
        for (int j = from; j < to; j++) {
            s[j] += c * u[j];
        }
    }

    static void add4(double[] s, double c0, double[] u0, double c1, double[] u1, double c2, double[] u2,
                     double c3, double[] u3, int from, int to) {
        for (int j = from; j < to; j++) {
            s[j] = (((s[j] + c0 * u0[j]) + c1 * u1[j]) + c2 * u2[j]) + c3 * u3[j];
        }
    }
}
