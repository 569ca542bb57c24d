package org.plasticitysearch.trainer.meta;

/** Meta-test of a fixed rule: per-task accuracies, their mean and a bootstrap interval. */
public record MetaTestResult(double[] accuracies, double mean, double ciLow, double ciHigh, double level) {
}
