package org.plasticitysearch.search.analysis;

import java.util.ArrayList;
import java.util.List;
import org.plasticitysearch.search.Direction;

/**
 * Non-dominated points for several objectives, e.g. meta-test accuracy (maximise) against the number of active
 * terms (minimise): point a dominates b when it is at least as good in every objective and better in one.
 */
public final class ParetoFront {
    private ParetoFront() {
    }

    /** Indices of the non-dominated points, in input order. Points with a NaN are never on the front. */
    public static List<Integer> front(List<double[]> points, Direction... directions) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            double[] p = points.get(i);
            if (p.length != directions.length) {
                throw new IllegalArgumentException("point " + i + " has " + p.length + " objectives; expected "
                        + directions.length);
            }
            boolean nan = false;
            for (double v : p) {
                nan |= Double.isNaN(v);
            }
            if (nan) {
                continue;
            }
            boolean dominated = false;
            for (int j = 0; j < points.size() && !dominated; j++) {
                if (j != i && dominates(points.get(j), p, directions)) {
                    dominated = true;
                }
            }
            if (!dominated) {
                out.add(i);
            }
        }
        return out;
    }

    static boolean dominates(double[] a, double[] b, Direction[] d) {
        boolean better = false;
        for (int k = 0; k < a.length; k++) {
            if (Double.isNaN(a[k])) {
                return false;
            }
            double la = d[k].sign() * a[k];
            double lb = d[k].sign() * b[k];
            if (la > lb) {
                return false;
            }
            better |= la < lb;
        }
        return better;
    }
}
