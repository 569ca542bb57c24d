package org.plasticitysearch.search;

import java.util.List;
import java.util.Map;

/** A study's pruner as its config describes it, checked when the config is read. */
public sealed interface PrunerConfig {
    Pruner create();

    record None() implements PrunerConfig {
        @Override
        public Pruner create() {
            return Pruner.NONE;
        }
    }

    /** Optuna's MedianPruner(n_startup_trials 5, n_warmup_steps 0, interval_steps 1). */
    record Median(int nStartupTrials, int nWarmupSteps, int intervalSteps) implements PrunerConfig {
        @Override
        public Pruner create() {
            return new MedianPruner(nStartupTrials, nWarmupSteps, intervalSteps);
        }
    }

    /** Optuna's SuccessiveHalvingPruner(min_resource auto (0), reduction_factor 4, 0, 0). */
    record SuccessiveHalving(int minResource, int reductionFactor, int minEarlyStoppingRate, int bootstrapCount)
            implements PrunerConfig {
        @Override
        public Pruner create() {
            return new SuccessiveHalvingPruner(minResource, reductionFactor, minEarlyStoppingRate, bootstrapCount);
        }
    }

    /** {@code {type: median, n_warmup_steps: 30}}; IllegalArgumentException naming {@code pruner.option}. */
    static PrunerConfig parse(Map<String, Object> m) {
        String type = OptionReader.type("pruner", m, List.of("none", "median", "successive_halving"));
        switch (type) {
            case "median": {
                OptionReader r = new OptionReader("pruner", m, List.of("n_startup_trials", "n_warmup_steps",
                        "interval_steps"));
                return new Median(r.integer("n_startup_trials", 5, 0), r.integer("n_warmup_steps", 0, 0),
                        r.integer("interval_steps", 1, 1));
            }
            case "successive_halving": {
                OptionReader r = new OptionReader("pruner", m, List.of("min_resource", "reduction_factor",
                        "min_early_stopping_rate", "bootstrap_count"));
                return new SuccessiveHalving(r.integer("min_resource", 0, 0), r.integer("reduction_factor", 4, 2),
                        r.integer("min_early_stopping_rate", 0, 0), r.integer("bootstrap_count", 0, 0));
            }
            default:
                new OptionReader("pruner", m, List.of());
                return new None();
        }
    }
}
