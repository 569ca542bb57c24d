package org.plasticitysearch.trainer.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StepGuardTest {
    private static final Safeguards S = new Safeguards(5.0, 9, 100.0, 2, 0.5, TermScaling.NONE, false);

    private static double[] g(double... v) {
        return v;
    }

    @Test
    void clipsOnlyTheCoefficientThatExplodesToFiveTimesItsOwnMedian() {
        StepGuard guard = new StepGuard(S, 3);
        for (int i = 0; i < 9; i++) {
            assertThat(guard.screen(g(1.0 + i, -2.0, 0.5))).isNull(); // medians: 5, 2, 0.5
        }
        double[] big = g(3.0, -30.0, 0.4);
        assertThat(guard.screen(big)).isNull();
        assertThat(big).containsExactly(3.0, -10.0, 0.4); // 5 x median 2, sign kept; the others untouched
        assertThat(guard.clipped()).isEqualTo(1);
        assertThat(guard.lastNorm()).isEqualTo(Math.sqrt(9 + 900 + 0.16));
    }

    @Test
    void rejectsANormOverTheFactorTimesTheLowestMedianAndShrinksTheStepForACooldown() {
        StepGuard guard = new StepGuard(S, 1);
        for (int i = 0; i < 5; i++) {
            guard.screen(g(1.0));
        }
        assertThat(guard.screen(g(150.0))).contains("over 100 times the run's lowest running median 1");
        guard.reject(6, "x");
        assertThat(guard.rejected()).isEqualTo(1);
        for (int i = 0; i < Safeguards.REJECT_COOLDOWN; i++) {
            assertThat(guard.accept()).isEqualTo(0.5);
        }
        assertThat(guard.accept()).isEqualTo(1.0);
        guard.reject(30, "again");
        guard.reject(31, "again");
        assertThatThrownBy(() -> guard.reject(32, "loss is NaN")).isInstanceOf(DivergenceException.class)
                .hasMessageContaining("3 episodes in a row rejected; reject_limit is 2");
    }

    @Test
    void aRunOfLargeGradientsCannotDragTheMedianUp() {
        StepGuard guard = new StepGuard(new Safeguards(5.0, 9, 0.0, 2, 0.5, TermScaling.NONE, false), 1);
        for (int i = 0; i < 9; i++) {
            guard.screen(g(1.0));
        }
        double[] expected = {5.0, 5.0, 5.0, 5.0, 5.0, 25.0, 25.0};
        for (int i = 0; i < 7; i++) {
            double[] x = g(1000.0);
            guard.screen(x);
            // the window holds clipped values: after 5 of them the median is 5, so the limit rises to 25, not 5,000
            assertThat(x[0]).as("value " + i).isEqualTo(expected[i]);
        }
    }

    @Test
    void settingsOutOfRangeNameTheirSpecField() {
        assertThatThrownBy(() -> new Safeguards(0.5, 50, 100, 20, 0.5, TermScaling.NORM, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("grad_clip: 0.5 is not allowed");
        assertThatThrownBy(() -> new Safeguards(5, 50, 0.9, 20, 0.5, TermScaling.NORM, true))
                .hasMessageStartingWith("reject_factor: 0.9 is not allowed");
        assertThatThrownBy(() -> new Safeguards(5, 50, 100, 20, 0.0, TermScaling.NORM, true))
                .hasMessageStartingWith("reject_shrink: 0.0 is not allowed");
        assertThatThrownBy(() -> new Safeguards(5, 4, 100, 20, 0.5, TermScaling.NORM, true))
                .hasMessageStartingWith("grad_clip_window: 4 is not allowed");
        assertThat(new Safeguards(0, 5, 0, 0, 1.0, TermScaling.NONE, false).gradClip()).isZero(); // 0 is "off"
    }
}
