package org.plasticitysearch.search.tpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.plasticitysearch.search.Distribution;

/**
 * The Parzen estimator against numbers printed by Optuna 3.1.0's _ParzenEstimator (prior weight 1, magic clip,
 * endpoints not considered, univariate) on the same observations.
 */
class ParzenEstimatorTest {
    private static double[] ones(int n) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1.0);
        return w;
    }

    private static void check(Distribution d, double[] obs, double[] at, double[] optunaLogPdf) {
        ParzenEstimator pe = new ParzenEstimator(d, obs, ones(obs.length), 1.0, true, true);
        double[] got = pe.logPdf(at);
        for (int i = 0; i < at.length; i++) {
            assertThat(got[i]).as("log pdf at %s", at[i]).isCloseTo(optunaLogPdf[i], within(1e-9));
        }
    }

    @Test
    void floatRangeMatchesOptuna() {
        check(new Distribution.FloatRange(-5, 5, false, null), new double[]{1.2, -3.0, 0.4, 4.9},
                new double[]{-4.0, 0.0, 1.0, 4.5},
                new double[]{-1.0725974094853847, -0.6709449866633694, -0.661173749910949, -0.8668519756078324});
    }

    @Test
    void logFloatMatchesOptuna() {
        check(new Distribution.FloatRange(1e-4, 1e-1, true, null), new double[]{1e-3, 3e-2, 2e-4},
                new double[]{1e-4, 1e-3, 0.05},
                new double[]{-0.8895122596422308, -0.6903462276550344, -0.9525529211227284});
    }

    @Test
    void integerRangeMatchesOptuna() {
        check(new Distribution.IntRange(1, 64, false, 1), new double[]{23, 5, 60}, new double[]{1, 23, 40},
                new double[]{-4.118319169387192, -3.9856677906929954, -4.23233411695716});
    }

    @Test
    void multivariateJointDensityMatchesOptuna() {
        // Optuna: multivariate=True, x in [-5, 5] and b in [1, 64], four joint observations
        double sigma0 = 0.2 * Math.pow(4, -1.0 / (2 + 4));
        ParzenEstimator[] pe = {
            new ParzenEstimator(new Distribution.FloatRange(-5, 5, false, null), new double[]{1.2, -3.0, 0.4, 4.9},
                    ones(4), 1.0, true, true, sigma0),
            new ParzenEstimator(new Distribution.IntRange(1, 64, false, 1), new double[]{23, 5, 60, 10},
                    ones(4), 1.0, true, true, sigma0)};
        double[][] at = {{-4.0, 1}, {0.0, 23}, {1.0, 40}};
        double[] optuna = {-5.0007636438708305, -5.1123297696697625, -5.308555926288757};
        for (int i = 0; i < at.length; i++) {
            assertThat(TpeSampler.jointLogPdf(pe, at[i])).as("joint log pdf at %s", java.util.Arrays.toString(at[i]))
                    .isCloseTo(optuna[i], within(1e-9));
        }
    }

    @Test
    void normalisedKernelsIntegrateToOne() {
        // without Optuna 3.1's scale, the mixture is a density on [-5, 5]: a Riemann sum of exp(log pdf) is 1
        ParzenEstimator pe = new ParzenEstimator(new Distribution.FloatRange(-5, 5, false, null),
                new double[]{1.2, -3.0, 0.4, 4.9}, ones(4), 1.0, true, false);
        int n = 20000;
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = -5 + 10.0 * (i + 0.5) / n;
        }
        double integral = 0;
        for (double lp : pe.logPdf(xs)) {
            integral += Math.exp(lp) * 10.0 / n;
        }
        assertThat(integral).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void neighbourSigmasMatchOptuna() {
        // mus 1.2, -3, 0.4, 4.9 and the prior 0 on [-5, 5]: Optuna's sigmas 3.7, 3.0, 1.667, 3.7 (prior: 10)
        double[] s = ParzenEstimator.neighbourSigmas(new double[]{1.2, -3.0, 0.4, 4.9, 0.0}, -5, 5);
        assertThat(s[0]).isCloseTo(3.7, within(1e-12));
        assertThat(s[1]).isCloseTo(3.0, within(1e-12));
        assertThat(s[2]).isCloseTo(0.8, within(1e-12)); // before the magic clip raises it to 10/6
        assertThat(s[3]).isCloseTo(3.7, within(1e-12));
    }
}
