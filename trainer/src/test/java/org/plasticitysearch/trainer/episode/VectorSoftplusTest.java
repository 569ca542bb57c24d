package org.plasticitysearch.trainer.episode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The float32 episode's vector softplus against java.lang.Math's, entry by entry, over the range a unit meets. */
class VectorSoftplusTest {
    private static final double BETA = 10.0;

    @Test
    void agreesWithMathToTheFourteenthDigit() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 4003; // not a multiple of the lanes: the tail goes through them too
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = i < 3000 ? (rng.nextDouble() - 0.5) * 20 : (rng.nextDouble() - 0.5) * 200;
        }
        double[] special = {0.0, -0.0, 2.0, Math.nextUp(2.0), Math.nextDown(2.0), 1e-9, -1e-9, 69.9, -69.9, 80, -80};
        System.arraycopy(special, 0, z, 0, special.length);
        double[] y = new double[n];
        double[] slope = new double[n];
        double[] decay = new double[n];
        new VectorSoftplus().softplus(z, y, slope, decay, n, BETA);
        double[] y0 = new double[n];
        double[] slope0 = new double[n];
        Activations.softplus(z, y0, slope0, n, BETA);
        for (int i = 0; i < n; i++) {
            double e = Math.exp(BETA * z[i]);
            assertThat(y[i]).as("softplus(%s)", z[i]).isCloseTo(y0[i], within(1e-14 * Math.abs(y0[i]) + 1e-300));
            assertThat(slope[i]).as("slope(%s)", z[i]).isCloseTo(slope0[i], within(1e-14 * slope0[i] + 1e-300));
            double d = 1.0 / (1.0 + e);
            assertThat(decay[i]).as("decay(%s)", z[i]).isCloseTo(d, within(1e-14 * d + 1e-300));
        }
    }
}
