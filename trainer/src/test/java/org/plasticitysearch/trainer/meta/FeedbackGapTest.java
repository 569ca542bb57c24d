package org.plasticitysearch.trainer.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.trainer.data.DataException;
import org.plasticitysearch.trainer.data.Dataset;
import org.plasticitysearch.trainer.data.DatasetRegistry;
import org.plasticitysearch.trainer.data.TaskSampler;
import org.plasticitysearch.trainer.episode.EpisodeEngine;
import org.plasticitysearch.trainer.episode.Feedback;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.process.TrialSpec;
import org.plasticitysearch.trainer.rule.Rule;

/**
 * A shortened version of the paper's FA/BP comparison on Fashion-MNIST with the authors' protocol (t10k split, 400
 * images per class, classes drawn with replacement, 5-way, K=50, Q=10, theta_0 = 1e-3, meta lr 1e-3, lambda 0):
 * 40 episodes instead of 300, one seed. Full-length numbers: docs/REPRODUCTION.md.
 */
class FeedbackGapTest {
    static Dataset fashion() {
        try {
            return DatasetRegistry.load("fashion-mnist", null, DatasetRegistry.Split.TEST, 400);
        } catch (DataException e) {
            if (Boolean.getBoolean("plasticity.allowMissingData")) {
                org.junit.jupiter.api.Assumptions.abort("Fashion-MNIST not installed: " + e.getMessage());
            }
            fail("this test needs Fashion-MNIST (apt-get install dataset-fashion-mnist, as .ci/run does, or set "
                    + "PLASTICITY_DATA); run with -Dplasticity.allowMissingData=true to skip it: " + e.getMessage());
            return null;
        }
    }

    static double meanAccuracy(Dataset data, Feedback feedback, int[] terms, int episodes, int from) {
        TaskSampler sampler = new TaskSampler(data, 5, 50, 10, true, false);
        EpisodeEngine engine = new EpisodeEngine(TrialSpec.PAPER_DIMS, 10.0, feedback, Precision.FLOAT32,
                new Rule(terms));
        double[] theta = new double[10];
        theta[0] = 1e-3;
        MetaTrainer trainer = new MetaTrainer(engine, sampler, 1, theta, 1e-3, 0.0);
        List<Double> acc = new ArrayList<>();
        trainer.train(episodes, 0, () -> false, r -> {
            if (r.episode() > from) {
                acc.add(r.accuracy());
            }
        });
        return acc.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void backpropLearnsFarBetterThanFeedbackAlignment() {
        Dataset data = fashion();
        double fa = meanAccuracy(data, Feedback.FA, new int[]{0}, 40, 10);
        double bp = meanAccuracy(data, Feedback.BP, new int[]{0}, 40, 10);
        System.out.printf("FA %.3f  BP %.3f (mean meta-accuracy, episodes 11-40)%n", fa, bp);
        assertThat(fa).as("FA mean meta-accuracy").isBetween(0.25, 0.50);
        assertThat(bp).as("BP mean meta-accuracy").isGreaterThan(0.55);
        assertThat(bp - fa).as("BP - FA").isGreaterThan(0.2);
    }
}
