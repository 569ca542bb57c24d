package org.plasticitysearch.trainer.episode;

/** Elementwise functions of the network, written as PyTorch computes them (the golden cases come from it). */
final class Activations {
    /** PyTorch's softplus switches to the identity above this value of beta*z. */
    static final double SOFTPLUS_THRESHOLD = 20.0;

    private Activations() {
    }

    /** y = log(1 + exp(beta z)) / beta, or z when beta z > 20. */
    static void softplus(double[] z, double[] y, int n, double beta) {
        for (int i = 0; i < n; i++) {
            double bz = beta * z[i];
            y[i] = bz > SOFTPLUS_THRESHOLD ? z[i] : Math.log1p(Math.exp(bz)) / beta;
        }
    }

    /** dy/dz = sigmoid(beta z) = e/(e+1) with e = exp(beta z); 1 above the threshold. */
    static double softplusDerivative(double z, double beta) {
        double bz = beta * z;
        if (bz > SOFTPLUS_THRESHOLD) {
            return 1.0;
        }
        double e = Math.exp(bz);
        return e / (e + 1.0);
    }

    /** Numerically stable softmax; returns log-sum-exp of z. */
    static double softmax(double[] z, double[] y, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, z[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            y[i] = Math.exp(z[i] - max);
            sum += y[i];
        }
        for (int i = 0; i < n; i++) {
            y[i] /= sum;
        }
        return max + Math.log(sum);
    }

    /**
     * The softplus derivative written through the activation, g(y) = 1 - exp(-beta y) (used by the error
     * transport, PLASTICITY.md "Errors").
     */
    static double transportGain(double y, double beta) {
        return 1.0 - Math.exp(-beta * y);
    }

    /** dg/dy = beta exp(-beta y). */
    static double transportGainDerivative(double y, double beta) {
        return beta * Math.exp(-beta * y);
    }

    static int argmax(double[] v, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
