package org.plasticitysearch.trainer.episode;

/**
 * One episode's data: M*K training samples in the order the inner loop visits them, and M*Q query samples.
 * Pixels in [0, 1]; labels are the original class indices (the network keeps all outputs).
 */
public record Task(double[][] trainX, int[] trainY, double[][] queryX, int[] queryY) {
    public int trainSize() {
        return trainX.length;
    }

    public int querySize() {
        return queryX.length;
    }
}
