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

    /**
     * As {@link #softplus(double[], double[], int, double)}, also writing dy/dz = e/(e+1) with e = exp(beta z) (1 above
     * the threshold) into {@code slope}: the same exp serves both.
     */
    static void softplus(double[] z, double[] y, double[] slope, int n, double beta) {
        for (int i = 0; i < n; i++) {
            double bz = beta * z[i];
            if (bz > SOFTPLUS_THRESHOLD) {
                y[i] = z[i];
                slope[i] = 1.0;
            } else {
                double e = Math.exp(bz);
                y[i] = Math.log1p(e) / beta;
                slope[i] = e / (e + 1.0);
            }
        }
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
        return 1.0 - transportExp(y, beta);
    }

    /** exp(-beta y): g(y) = 1 - it, dg/dy = beta it. Taped by the primal, so the adjoint computes no exp. */
    static double transportExp(double y, double beta) {
        return Math.exp(-beta * y);
    }

    /**
     * exp(-beta x) for pixels: images are 8-bit grey levels k / 255 (Dataset), so their 256 values are computed
     * once; any other value is computed as it comes. Bitwise {@link #transportExp} either way.
     */
    static final class PixelExp {
        private final double beta;
        private final double[] table = new double[256];
        private final double[] level = new double[256];

        PixelExp(double beta) {
            this.beta = beta;
            for (int k = 0; k < 256; k++) {
                level[k] = k / 255.0;
                table[k] = transportExp(level[k], beta);
            }
        }

        double of(double x) {
            long k = Math.round(x * 255.0);
            if (k >= 0 && k < 256 && level[(int) k] == x) { // x is exactly grey level k (a load, not a division)
                return table[(int) k];
            }
            return transportExp(x, beta);
        }
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
