package org.plasticitysearch.trainer.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BootstrapTest {
    @Test
    void intervalCoversTheMeanAndShrinksWithMoreData() {
        double[] small = {0.2, 0.4, 0.6, 0.8};
        double[] ci = Bootstrap.meanInterval(small, 0.98, 500, 1);
        assertThat(ci[0]).isCloseTo(0.5, within(1e-12));
        assertThat(ci[1]).isLessThan(0.5).isGreaterThanOrEqualTo(0.2);
        assertThat(ci[2]).isGreaterThan(0.5).isLessThanOrEqualTo(0.8);
        double[] big = new double[400];
        for (int i = 0; i < big.length; i++) {
            big[i] = small[i % 4];
        }
        double[] ci2 = Bootstrap.meanInterval(big, 0.98, 500, 1);
        assertThat(ci2[2] - ci2[1]).isLessThan((ci[2] - ci[1]) / 5);
        // normal theory: sd 0.2236/sqrt(400) = 0.01118, 98% half-width 2.326 * 0.01118 = 0.026
        assertThat((ci2[2] - ci2[1]) / 2).isCloseTo(0.026, within(0.005));
        assertThat(Bootstrap.meanInterval(small, 0.98, 500, 1)).containsExactly(ci);
    }

    @Test
    void constantSampleHasAZeroWidthInterval() {
        double[] ci = Bootstrap.meanInterval(new double[]{0.7, 0.7, 0.7}, 0.98, 500, 3);
        assertThat(ci[0]).isCloseTo(0.7, within(1e-12));
        assertThat(ci[2] - ci[1]).isZero();
    }
}
