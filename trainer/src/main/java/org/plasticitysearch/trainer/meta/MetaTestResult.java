package org.plasticitysearch.trainer.meta;

/**
 * Meta-test of a fixed rule: per-task accuracies, their mean and a bootstrap interval, and each term's share of the
 * weight update over the first evaluation episode ({@code ||theta_r F_r||} summed over steps and layers, divided by
 * the sum over all terms; zeros when there was no evaluation task).
 */
public record MetaTestResult(double[] accuracies, double mean, double ciLow, double ciHigh, double level,
                             double[] termShares) {
}
