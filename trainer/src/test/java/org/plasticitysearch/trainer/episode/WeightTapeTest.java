package org.plasticitysearch.trainer.episode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.rule.Rule;

/**
 * The weight tape (every W(t) kept) and the checkpoints with replay (every ~sqrt(T)-th kept, the rest recomputed)
 * are two ways to hand the adjoint the same weights: the meta-gradient, the loss and the adapted weights must be
 * bitwise the same, for the whole pool (which reads W(t) in every layer) in both precisions and feedback modes.
 */
class WeightTapeTest {
    private static final int[] DIMS = {14, 11, 9, 7}; // FiniteDifferenceTest.randomTask's

    @ParameterizedTest
    @EnumSource(Precision.class)
    void tapeAndReplayGiveTheSameNumbersBitwise(Precision precision) {
        for (Feedback feedback : Feedback.values()) {
            SplittableRandom rng = new SplittableRandom(5);
            Task task = FiniteDifferenceTest.randomTask(rng, 37, 8);
            double[] theta = {0.03, 0.004, -0.006, 0.002, 0.003, 0.0005, -0.002, 0.003, -0.001, 0.004};
            Rule pool = new Rule(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});

            EpisodeEngine taped = new EpisodeEngine(DIMS, 10.0, feedback, precision, pool);
            EpisodeEngine replayed = new EpisodeEngine(DIMS, 10.0, feedback, precision, pool);
            taped.walkBack(false);
            replayed.walkBack(false);
            replayed.weightTapeLimit(0);
            EpisodeResult a = null;
            EpisodeResult b = null;
            for (int episode = 0; episode < 2; episode++) { // the second reuses the buffers
                taped.initialiseXavier(episode);
                replayed.initialiseXavier(episode);
                a = taped.run(task, theta, 0.1, true, false);
                b = replayed.run(task, theta, 0.1, true, false);
            }
            assertThat(taped.usesWeightTape()).isTrue();
            assertThat(replayed.usesWeightTape()).isFalse();
            assertThat(a.gradTheta()).as("%s %s meta-gradient", precision, feedback).isEqualTo(b.gradTheta());
            assertThat(a.metaLoss()).isEqualTo(b.metaLoss());
            for (int l = 0; l < DIMS.length - 1; l++) {
                for (int i = 0; i < DIMS[l + 1]; i++) {
                    for (int j = 0; j < DIMS[l]; j++) {
                        assertThat(taped.weights(l).get(i, j)).isEqualTo(replayed.weights(l).get(i, j));
                    }
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void enginesSideBySideShareTheirBudget() {
        Task task = FiniteDifferenceTest.randomTask(new SplittableRandom(3), 40, 5);
        double[] theta = {0.03, 0, 0, 0, 0, 0, 0, 0, 0, 0.004};
        Rule bio = new Rule(new int[] {0, 9});
        long one = 41L * 4 * (14 * 11 + 11 * 9 + 9 * 7); // 41 steps of the three float32 layers
        TapeBudget budget = new TapeBudget(one + one / 2); // room for one tape, not two
        EpisodeEngine a = engine(bio, budget);
        EpisodeEngine b = engine(bio, budget);
        EpisodeResult ra = a.run(task, theta, 0, true, false);
        assertThat(budget.used()).as("one tape's bytes").isEqualTo(one);
        EpisodeResult rb = b.run(task, theta, 0, true, false);
        assertThat(a.usesWeightTape()).isTrue();
        assertThat(b.usesWeightTape()).as("the second engine finds the budget taken").isFalse();
        assertThat(rb.gradTheta()).isEqualTo(ra.gradTheta());
        a.releaseWeightTape();
        assertThat(budget.used()).isZero();
        EpisodeEngine c = engine(bio, budget);
        c.run(task, theta, 0, true, false);
        assertThat(c.usesWeightTape()).as("a released tape's bytes are free again").isTrue();
        c.releaseWeightTape();
        assertThat(budget.used()).isZero();
    }

    @org.junit.jupiter.api.Test
    void aLayerTheAdjointNeverReadsIsUpdatedInPlace() {
        // FA alone: nothing reads layer 0's past weights, so it has no tape steps; the others do
        Task task = FiniteDifferenceTest.randomTask(new SplittableRandom(4), 30, 6);
        double[] theta = {0.03, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        Rule fa = new Rule(new int[] {0});
        EpisodeEngine taped = engine(fa, new TapeBudget(Long.MAX_VALUE));
        EpisodeEngine replayed = engine(fa, new TapeBudget(0));
        EpisodeResult a = taped.run(task, theta, 0, true, false);
        EpisodeResult b = replayed.run(task, theta, 0, true, false);
        assertThat(taped.usesWeightTape()).isTrue();
        assertThat(a.gradTheta()).isEqualTo(b.gradTheta());
        assertThat(taped.weights(0).get(3, 5)).isEqualTo(replayed.weights(0).get(3, 5));
    }

    private static EpisodeEngine engine(Rule rule, TapeBudget budget) {
        EpisodeEngine e = new EpisodeEngine(DIMS, 10.0, Feedback.FA, Precision.FLOAT32, rule);
        e.walkBack(false);
        e.tapeBudget(budget);
        e.initialiseXavier(1);
        return e;
    }

    @org.junit.jupiter.api.Test
    void pixelExponentialsAreTheDirectOnes() {
        Activations.PixelExp pixels = new Activations.PixelExp(10.0);
        for (int k = 0; k < 256; k++) {
            double x = k / 255.0;
            assertThat(pixels.of(x)).as("grey level %d", k).isEqualTo(Activations.transportExp(x, 10.0));
        }
        for (double x : new double[] {0.3, 1e-9, 0.5000001, 1.7, -0.2}) {
            assertThat(pixels.of(x)).as("x = %s", x).isEqualTo(Activations.transportExp(x, 10.0));
        }
    }
}
