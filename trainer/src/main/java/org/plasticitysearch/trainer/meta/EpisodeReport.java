package org.plasticitysearch.trainer.meta;

/**
 * One meta-training episode as reported: episode is 1-based; theta is after the meta-update; alignment and
 * orthonormality are null on episodes without metrics.
 */
public record EpisodeReport(int episode, double metaLoss, double queryLoss, double accuracy, double[] theta,
                            double[] alignmentDeg, double[] orthoError, double elapsedSeconds) {
}
