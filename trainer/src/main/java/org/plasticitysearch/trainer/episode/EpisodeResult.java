package org.plasticitysearch.trainer.episode;

/**
 * What one episode measured.
 *
 * @param queryLoss     mean cross-entropy on the query set after the inner loop
 * @param metaLoss      queryLoss + lambda * sum_r |theta_r|
 * @param accuracy      fraction of query samples whose argmax over all outputs equals the label
 * @param gradTheta     d metaLoss / d theta (all 10 entries), or null when not requested
 * @param alignmentDeg  alpha_l for l = 1..L-1 in degrees, or null when metrics were not requested
 * @param orthoError    E_W per layer, or null when metrics were not requested
 */
public record EpisodeResult(double queryLoss, double metaLoss, double accuracy, double[] gradTheta,
                            double[] alignmentDeg, double[] orthoError) {
}
