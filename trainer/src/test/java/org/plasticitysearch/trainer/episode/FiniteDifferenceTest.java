package org.plasticitysearch.trainer.episode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.rule.Rule;

/**
 * The exact meta-gradient against central finite differences of the meta-loss, on random small networks, for
 * every term alone and for the whole pool, in both feedback modes (float64).
 */
class FiniteDifferenceTest {
    private static final int[] DIMS = {14, 11, 9, 7};

    static Stream<Arguments> rules() {
        Stream<int[]> singles = IntStream.range(0, 10).mapToObj(r -> r == 0 ? new int[]{0} : new int[]{0, r});
        Stream<int[]> pool = Stream.of(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, new int[]{3}, new int[]{9});
        return Stream.concat(singles, pool).flatMap(t -> Stream.of(Arguments.of(t, Feedback.FA), Arguments.of(t, Feedback.BP)));
    }

    @ParameterizedTest(name = "terms {0} {1}")
    @MethodSource("rules")
    void gradientMatchesFiniteDifferences(int[] terms, Feedback feedback) {
        SplittableRandom rng = new SplittableRandom(17 + terms.length * 31L + terms[terms.length - 1]);
        Task task = randomTask(rng, 24, 9);
        double[] theta = new double[10];
        for (int r = 0; r < 10; r++) {
            theta[r] = (rng.nextDouble() - 0.5) * 0.02; // inactive entries too: they must get no loss gradient
        }
        theta[0] = 0.03;
        double lambda = 0.3;
        Rule rule = new Rule(terms);
        double[] grad = episode(rule, feedback, task, theta, lambda, true).gradTheta();
        double gmax = 0;
        for (double g : grad) {
            gmax = Math.max(gmax, Math.abs(g));
        }
        for (int r = 0; r < 10; r++) {
            double h = 1e-6;
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[r] += h;
            minus[r] -= h;
            double fd = (episode(rule, feedback, task, plus, lambda, false).metaLoss()
                    - episode(rule, feedback, task, minus, lambda, false).metaLoss()) / (2 * h);
            assertThat(Math.abs(grad[r] - fd))
                    .as("d/dtheta_%d: exact %.10g vs finite difference %.10g", r, grad[r], fd)
                    .isLessThan(1e-6 * Math.max(gmax, 1e-3) + 1e-8);
            if (!rule.isActive(r)) {
                assertThat(grad[r]).as("inactive theta_%d only feels the L1 term", r)
                        .isEqualTo(lambda * Math.signum(theta[r]));
            }
        }
    }

    static EpisodeResult episode(Rule rule, Feedback feedback, Task task, double[] theta, double lambda, boolean grad) {
        EpisodeEngine e = new EpisodeEngine(DIMS, 10.0, feedback, Precision.FLOAT64, rule);
        e.initialiseXavier(99);
        return e.run(task, theta, lambda, grad, false);
    }

    static Task randomTask(SplittableRandom rng, int nTrain, int nQuery) {
        double[][] tx = new double[nTrain][];
        int[] ty = new int[nTrain];
        double[][] qx = new double[nQuery][];
        int[] qy = new int[nQuery];
        for (int s = 0; s < nTrain; s++) {
            tx[s] = pixels(rng);
            ty[s] = rng.nextInt(DIMS[DIMS.length - 1]);
        }
        for (int s = 0; s < nQuery; s++) {
            qx[s] = pixels(rng);
            qy[s] = rng.nextInt(DIMS[DIMS.length - 1]);
        }
        return new Task(tx, ty, qx, qy);
    }

    private static double[] pixels(SplittableRandom rng) {
        double[] x = new double[DIMS[0]];
        for (int p = 0; p < x.length; p++) {
            x[p] = rng.nextDouble() < 0.4 ? 0.0 : rng.nextDouble();
        }
        return x;
    }
}
