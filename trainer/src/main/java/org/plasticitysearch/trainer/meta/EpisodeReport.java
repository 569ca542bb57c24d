package org.plasticitysearch.trainer.meta;

/**
 * One meta-training episode as reported: episode is 1-based; theta is after the meta-update (after a rejected
 * episode: restored to the last healthy point); alignment and orthonormality are null on episodes without metrics.
 *
 * @param gradNorm  L2 norm of the raw meta-gradient (before clipping); NaN when it was not finite
 * @param rejected  this episode made no meta-update: its loss, meta-gradient or weights were not finite, or its
 *                  meta-gradient exploded (Safeguards.rejectFactor)
 * @param clipped   episodes clipped so far in this run
 * @param rejections episodes rejected so far in this run
 * @param limited   episodes whose step the trust region scaled down so far in this run
 */
public record EpisodeReport(int episode, double metaLoss, double queryLoss, double accuracy, double[] theta,
                            double[] alignmentDeg, double[] orthoError, double elapsedSeconds, double gradNorm,
                            boolean rejected, int clipped, int rejections, int limited) {
}
