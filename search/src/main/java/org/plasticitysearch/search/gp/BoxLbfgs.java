package org.plasticitysearch.search.gp;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * A small projected L-BFGS minimiser for box constraints: the two-loop direction on the free coordinates (those
 * not held at a bound by their gradient), projection onto the box, Armijo backtracking. Deterministic; enough for
 * the GP's hyperparameters and the acquisition's local search (a dimension with lo == hi stays fixed).
 */
final class BoxLbfgs {
    /** f(x), writing ∇f(x) into grad (unless grad is null: see {@link #valueAlone}). */
    interface Function {
        double value(double[] x, double[] grad);

        /**
         * True when f alone costs less than f with its gradient: the line search then asks for f(x) alone (grad null)
         * at each trial point and for the gradient only at the point it accepts, by asking for that x again, which
         * must give the same f. The iterates are the same either way.
         */
        default boolean valueAlone() {
            return false;
        }
    }

    private BoxLbfgs() {
    }

    /** Minimises from x0 (clipped to the box); returns the best point found. */
    static double[] minimize(Function fn, double[] x0, double[] lo, double[] hi, int maxIter, double gtol) {
        int n = x0.length;
        double[] x = clip(x0, lo, hi);
        double[] g = new double[n];
        double f = fn.value(x, g);
        if (!Double.isFinite(f)) {
            return x;
        }
        Deque<double[][]> mem = new ArrayDeque<>();
        for (int iter = 0; iter < maxIter; iter++) {
            double[] pg = g.clone();
            double norm = 0;
            for (int j = 0; j < n; j++) {
                if ((x[j] <= lo[j] && pg[j] > 0) || (x[j] >= hi[j] && pg[j] < 0) || lo[j] == hi[j]) {
                    pg[j] = 0;
                }
                norm = Math.max(norm, Math.abs(pg[j]));
            }
            if (norm < gtol) {
                break;
            }
            double[] d = direction(pg, mem);
            double slope = dot(d, pg);
            if (!(slope < 0)) {
                mem.clear();
                d = negate(pg);
                slope = dot(d, pg);
            }
            double t = mem.isEmpty() ? Math.min(1.0, 1.0 / norm) : 1.0;
            double[] xn = null;
            double[] gn = new double[n];
            double fnew = Double.NaN;
            for (int ls = 0; ls < 30; ls++) {
                double[] trial = new double[n];
                for (int j = 0; j < n; j++) {
                    trial[j] = pg[j] == 0 && d[j] == 0 ? x[j] : x[j] + t * d[j];
                }
                trial = clip(trial, lo, hi);
                double decrease = 0;
                for (int j = 0; j < n; j++) {
                    decrease += g[j] * (trial[j] - x[j]);
                }
                double ft = fn.value(trial, fn.valueAlone() ? null : gn);
                if (Double.isFinite(ft) && ft <= f + 1e-4 * Math.min(decrease, 0)) {
                    xn = trial;
                    fnew = fn.valueAlone() ? fn.value(trial, gn) : ft;
                    break;
                }
                t *= 0.5;
            }
            if (xn == null) {
                break;
            }
            double[] s = new double[n];
            double[] yv = new double[n];
            for (int j = 0; j < n; j++) {
                s[j] = xn[j] - x[j];
                yv[j] = gn[j] - g[j];
            }
            double sy = dot(s, yv);
            if (sy > 1e-12) {
                mem.addLast(new double[][]{s, yv, {1.0 / sy}});
                if (mem.size() > 8) {
                    mem.removeFirst();
                }
            }
            boolean stalled = f - fnew <= 1e-10 * (Math.abs(f) + 1e-10);
            x = xn;
            f = fnew;
            g = gn;
            if (stalled) {
                break;
            }
        }
        return x;
    }

    /** The two-loop recursion: −H pg. */
    private static double[] direction(double[] pg, Deque<double[][]> mem) {
        double[] q = pg.clone();
        double[] a = new double[mem.size()];
        int i = mem.size() - 1;
        for (Iterator<double[][]> it = mem.descendingIterator(); it.hasNext(); i--) {
            double[][] m = it.next();
            a[i] = m[2][0] * dot(m[0], q);
            axpy(-a[i], m[1], q);
        }
        if (!mem.isEmpty()) {
            double[][] last = mem.peekLast();
            double gamma = dot(last[0], last[1]) / dot(last[1], last[1]);
            for (int j = 0; j < q.length; j++) {
                q[j] *= gamma;
            }
        }
        i = 0;
        for (double[][] m : mem) {
            double b = m[2][0] * dot(m[1], q);
            axpy(a[i] - b, m[0], q);
            i++;
        }
        for (int j = 0; j < q.length; j++) {
            q[j] = pg[j] == 0 ? 0 : -q[j];
        }
        return q;
    }

    static double[] clip(double[] x, double[] lo, double[] hi) {
        double[] c = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            c[j] = Math.max(lo[j], Math.min(hi[j], x[j]));
        }
        return c;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int j = 0; j < y.length; j++) {
            y[j] += a * x[j];
        }
    }

    private static double[] negate(double[] v) {
        double[] r = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            r[j] = -v[j];
        }
        return r;
    }
}
