package org.plasticitysearch.trainer.episode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.rule.Rule;

/**
 * float32's adjoint walks the weights back from W(T) instead of keeping them (PastWeights.WALK_BACK). Each step back
 * rounds every entry anew, so the meta-gradient is not the tape's bitwise; it must agree with it far inside the
 * golden cases' float32 tolerance (1e-3), and a walk that misses W(0) must give the exact replay's numbers.
 */
class WalkBackTest {
    private static final int[] DIMS = {14, 11, 9, 7};
    private static final double[] THETA = {0.03, 0.004, -0.006, 0.002, 0.003, 0.0005, -0.002, 0.003, -0.001, 0.004};
    private static final Rule POOL = new Rule(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});

    @Test
    void theWalkBackAgreesWithTheTapeInEveryFeedbackMode() {
        for (Feedback feedback : Feedback.values()) {
            Task task = FiniteDifferenceTest.randomTask(new SplittableRandom(5), 37, 8);
            EpisodeEngine walked = engine(feedback, Precision.FLOAT32);
            EpisodeEngine taped = engine(feedback, Precision.FLOAT32);
            taped.walkBack(false);
            EpisodeResult a = walked.run(task, THETA, 0.1, true, false);
            EpisodeResult b = taped.run(task, THETA, 0.1, true, false);
            assertThat(walked.pastWeights()).isEqualTo(PastWeights.WALK_BACK);
            assertThat(taped.pastWeights()).isEqualTo(PastWeights.TAPE);
            assertThat(walked.walkBackMisses()).isZero();
            double norm = Math.sqrt(dot(b.gradTheta(), b.gradTheta()));
            for (int r = 0; r < THETA.length; r++) {
                assertThat(a.gradTheta()[r]).as("%s d/dtheta_%d", feedback, r)
                        .isCloseTo(b.gradTheta()[r], within(1e-5 * norm));
            }
            // the primal is untouched: loss and adapted weights are the tape run's, bitwise
            assertThat(a.metaLoss()).isEqualTo(b.metaLoss());
            assertThat(walked.weights(0).get(3, 5)).isEqualTo(taped.weights(0).get(3, 5));
        }
    }

    @Test
    void aWalkThatMissesW0RunsTheEpisodeAgainWithReplay() {
        Task task = FiniteDifferenceTest.randomTask(new SplittableRandom(6), 30, 6);
        EpisodeEngine walked = engine(Feedback.FA, Precision.FLOAT32);
        walked.walkBackTolerance = 0.0; // no walk of 30 rounded steps lands exactly on W(0)
        EpisodeEngine replayed = engine(Feedback.FA, Precision.FLOAT32);
        replayed.walkBack(false);
        replayed.weightTapeLimit(0);
        for (int episode = 0; episode < 2; episode++) {
            EpisodeResult a = walked.run(task, THETA, 0.1, true, false);
            EpisodeResult b = replayed.run(task, THETA, 0.1, true, false);
            assertThat(a.gradTheta()).as("episode %d", episode).isEqualTo(b.gradTheta());
            assertThat(a.metaLoss()).isEqualTo(b.metaLoss());
            assertThat(walked.weights(1).get(2, 4)).isEqualTo(replayed.weights(1).get(2, 4));
        }
        assertThat(walked.walkBackMisses()).isEqualTo(2);
        assertThat(walked.pastWeights()).as("the next episode walks back again").isNull();
    }

    @Test
    void anAdjointThatOverflowedDoesNotLeakIntoTheNextEpisode() {
        // a walk that misses W(0) by far can overflow G before the check sends the episode to replay; the next
        // episode's G starts as the query gradient, 0 * G + ..., which must not be 0 * NaN
        for (Precision precision : Precision.values()) {
            Task task = FiniteDifferenceTest.randomTask(new SplittableRandom(8), 25, 5);
            EpisodeEngine poisoned = engine(Feedback.FA, precision);
            EpisodeEngine clean = engine(Feedback.FA, precision);
            poisoned.run(task, THETA, 0.0, true, false);
            clean.run(task, THETA, 0.0, true, false);
            for (int l = 0; l < DIMS.length - 1; l++) {
                poisoned.g[l].set(1, 2, Double.NaN);
                poisoned.g[l].set(0, 0, Double.POSITIVE_INFINITY);
            }
            EpisodeResult a = poisoned.run(task, THETA, 0.0, true, false);
            EpisodeResult b = clean.run(task, THETA, 0.0, true, false);
            assertThat(a.gradTheta()).as("%s", precision).isEqualTo(b.gradTheta());
        }
    }

    @Test
    void aStrongWeightDecayReplaysInsteadOfWalking() {
        // theta_3 = 0.15: each step back divides by 0.85, 0.85^-37 ~ 400 > the growth limit
        double[] theta = THETA.clone();
        theta[3] = 0.15;
        Task task = FiniteDifferenceTest.randomTask(new SplittableRandom(5), 37, 8);
        EpisodeEngine walked = engine(Feedback.FA, Precision.FLOAT32);
        EpisodeEngine replayed = engine(Feedback.FA, Precision.FLOAT32);
        replayed.walkBack(false);
        replayed.weightTapeLimit(0);
        EpisodeResult a = walked.run(task, theta, 0.1, true, false);
        EpisodeResult b = replayed.run(task, theta, 0.1, true, false);
        assertThat(walked.walkBackSkips()).isEqualTo(1);
        assertThat(walked.walkBackMisses()).as("decided before the walk, not after it").isZero();
        assertThat(a.gradTheta()).isEqualTo(b.gradTheta());
        theta[3] = 0.002;
        walked.run(task, theta, 0.1, true, false);
        assertThat(walked.pastWeights()).isEqualTo(PastWeights.WALK_BACK);
    }

    @Test
    void aScaleOfZeroGivesTheFloat64Gradient() {
        // theta_3 = 1: s = 0, W(t+1) = D_t; nothing to walk back (replay) and nothing to divide by (direct reads)
        double[] theta = THETA.clone();
        theta[3] = 1.0;
        Task task = FiniteDifferenceTest.randomTask(new SplittableRandom(9), 20, 5);
        EpisodeResult f32 = engine(Feedback.FA, Precision.FLOAT32).run(task, theta, 0.0, true, false);
        EpisodeResult f64 = engine(Feedback.FA, Precision.FLOAT64).run(task, theta, 0.0, true, false);
        double norm = Math.sqrt(dot(f64.gradTheta(), f64.gradTheta()));
        for (int r = 0; r < THETA.length; r++) {
            assertThat(f32.gradTheta()[r]).as("d/dtheta_%d", r).isCloseTo(f64.gradTheta()[r], within(1e-3 * norm));
        }
    }

    @Test
    void float64NeverWalksBack() {
        EpisodeEngine e = engine(Feedback.FA, Precision.FLOAT64);
        e.walkBack(true);
        e.run(FiniteDifferenceTest.randomTask(new SplittableRandom(7), 20, 4), THETA, 0.0, true, false);
        assertThat(e.pastWeights()).isEqualTo(PastWeights.TAPE);
    }

    private static EpisodeEngine engine(Feedback feedback, Precision precision) {
        EpisodeEngine e = new EpisodeEngine(DIMS, 10.0, feedback, precision, POOL);
        e.tapeBudget(new TapeBudget(Long.MAX_VALUE));
        e.initialiseXavier(2);
        return e;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
