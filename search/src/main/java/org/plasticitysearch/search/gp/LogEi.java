package org.plasticitysearch.search.gp;

import smile.math.special.Erf;

/**
 * Log expected improvement for minimisation: EI = σ h(z), z = (best − μ)/σ, h(z) = z Φ(z) + φ(z). Far in the
 * lower tail (z ≤ −25) h is computed as φ(z)(1 − tR(t)) with t = −z and R the Mills ratio, from its asymptotic
 * series, so log EI stays finite and accurate where the naive formula underflows to log 0 (z ≈ −38).
 */
final class LogEi {
    /** Added to the posterior variance so σ > 0 everywhere. */
    static final double VAR_FLOOR = 1e-12;
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double TAIL = -25;

    private LogEi() {
    }

    /** log h(z). */
    static double logH(double z) {
        if (z > TAIL) {
            return Math.log(z * cdf(z) + pdf(z));
        }
        double t2 = 1.0 / (z * z);
        return -0.5 * z * z - LOG_SQRT_2PI + Math.log(oneMinusTR(t2));
    }

    /** d log h / dz = Φ(z) / h(z). */
    static double dLogH(double z) {
        if (z > TAIL) {
            return cdf(z) / (z * cdf(z) + pdf(z));
        }
        double t2 = 1.0 / (z * z);
        double t = -z;
        // R(t) = (1/t)(1 − 1/t² + 3/t⁴ − 15/t⁶ + ...); 1 − tR(t) = 1/t² − 3/t⁴ + 15/t⁶ − ...
        double r = (1.0 / t) * (1 + t2 * (-1 + t2 * (3 + t2 * (-15 + t2 * (105 + t2 * (-945 + t2 * 10395))))));
        return r / oneMinusTR(t2);
    }

    /** 1 − tR(t) from its asymptotic series in 1/t² (accurate to ~1e-12 relative for t ≥ 25). */
    private static double oneMinusTR(double t2) {
        return t2 * (1 + t2 * (-3 + t2 * (15 + t2 * (-105 + t2 * (945 + t2 * (-10395 + t2 * 135135))))));
    }

    static double cdf(double z) {
        return 0.5 * Erf.erfc(-z / Math.sqrt(2));
    }

    static double pdf(double z) {
        return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
    }

    /** log EI at a posterior (mean, var) against the best loss. */
    static double value(double mean, double var, double best) {
        double sigma = Math.sqrt(var + VAR_FLOOR);
        return Math.log(sigma) + logH((best - mean) / sigma);
    }

    /** log EI and, in grad, its derivative given the posterior's derivatives dMean and dVar. */
    static double value(double mean, double var, double best, double[] dMean, double[] dVar, double[] grad) {
        double sigma = Math.sqrt(var + VAR_FLOOR);
        double z = (best - mean) / sigma;
        double dz = dLogH(z);
        for (int j = 0; j < grad.length; j++) {
            double dSigma = dVar[j] / (2 * sigma);
            grad[j] = dSigma / sigma + dz * (-dMean[j] - z * dSigma) / sigma;
        }
        return Math.log(sigma) + logH(z);
    }
}
