package org.plasticitysearch.orchestrator.store;

/**
 * One reported episode of a running trial; gradNorm is the raw meta-gradient's norm, clipped and rejected the
 * run's safeguard counts so far (limited: steps the trust region scaled down), wasRejected whether this episode
 * itself was rejected (its accuracy is then not the rule's) (null when the trainer did not report them).
 */
public record EpisodeMetric(int episode, Double metaLoss, Double accuracy, double[] theta, double[] alignmentDeg,
                            double[] orthoError, Double gradNorm, Integer clipped, Integer rejected,
                            Integer limited, Boolean wasRejected) {
    public EpisodeMetric(int episode, Double metaLoss, Double accuracy, double[] theta, double[] alignmentDeg,
                         double[] orthoError) {
        this(episode, metaLoss, accuracy, theta, alignmentDeg, orthoError, null, null, null, null, null);
    }
}
