package org.plasticitysearch.search.tpe;

import smile.math.special.Erf;

/**
 * The standard normal truncated to [a, b], computed in the tail that keeps precision (SMILE's erfc and its
 * inverse). Used by the Parzen estimator for sampling and for likelihoods.
 */
final class TruncatedNormal {
    private static final double SQRT2 = Math.sqrt(2.0);
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double TINY = 1e-300;

    private TruncatedNormal() {
    }

    /** Upper tail Q(x) = P(Z > x). */
    static double upperTail(double x) {
        return 0.5 * Erf.erfc(x / SQRT2);
    }

    /** log P(a < Z < b), for a < b, computed from the tail where the difference does not cancel. */
    static double logMass(double a, double b) {
        double m;
        if (a >= 0) {
            m = upperTail(a) - upperTail(b);
        } else if (b <= 0) {
            m = upperTail(-b) - upperTail(-a);
        } else {
            m = 1.0 - upperTail(b) - upperTail(-a);
        }
        return Math.log(Math.max(m, TINY));
    }

    static double logDensity(double z) {
        return -0.5 * z * z - LOG_SQRT_2PI;
    }

    /** A draw from N(0,1) truncated to [a, b], by inversion of the CDF with a uniform u in [0, 1). */
    static double sample(double a, double b, double u) {
        double x;
        if (a >= 0) {
            // right tail: P(Z > x) = Q(a) - u (Q(a) - Q(b))
            double qa = upperTail(a);
            double qb = upperTail(b);
            x = inverseUpperTail(qa - u * (qa - qb));
        } else {
            // by symmetry, work in the right tail of -Z on [-b, -a]
            double qa = upperTail(-b);
            double qb = upperTail(-a);
            x = -inverseUpperTail(qb - u * (qb - qa));
        }
        return Math.max(a, Math.min(b, x));
    }

    /** x with Q(x) = p. */
    private static double inverseUpperTail(double p) {
        if (p <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (p >= 1) {
            return Double.NEGATIVE_INFINITY;
        }
        return SQRT2 * Erf.inverfc(2 * p);
    }
}
