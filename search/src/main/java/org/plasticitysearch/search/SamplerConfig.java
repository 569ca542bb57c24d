package org.plasticitysearch.search;

import java.util.List;
import java.util.Map;
import org.plasticitysearch.search.gp.GpSampler;
import org.plasticitysearch.search.tpe.TpeSampler;

/**
 * A study's sampler as its config describes it, checked when the config is read. A new sampler is a record here
 * and a case in {@link #parse}.
 */
public sealed interface SamplerConfig {
    /** The sampler when a config names none. */
    Map<String, Object> DEFAULT = Map.of("type", "gp");

    /** The sampler this config describes, seeded by the study's seed. */
    Sampler create(long seed);

    /** The TPE with Optuna's defaults, except the constant liar (on: trials in flight count as the worst). */
    record Tpe(int nStartupTrials, int nEiCandidates, boolean constantLiar, boolean multivariate)
            implements SamplerConfig {
        @Override
        public Sampler create(long seed) {
            TpeSampler.Options o = TpeSampler.Options.optunaDefaults();
            return new TpeSampler(seed, new TpeSampler.Options(nStartupTrials, nEiCandidates, o.priorWeight(),
                    o.magicClip(), constantLiar, o.optuna31KernelScale(), multivariate));
        }
    }

    /**
     * Bayesian optimisation: a Gaussian process (Matern 5/2, ARD, Hamming kernel for categories) and log expected
     * improvement, after {@code nStartupTrials} random trials; trials in flight count as the worst (constant liar).
     * The default since it beat Optuna's TPE on every benchmark objective (BENCHMARKS.md).
     */
    record Gp(int nStartupTrials) implements SamplerConfig {
        @Override
        public Sampler create(long seed) {
            return new GpSampler(seed, GpSampler.Options.defaults().withStartupTrials(nStartupTrials));
        }
    }

    record Random() implements SamplerConfig {
        @Override
        public Sampler create(long seed) {
            return new RandomSampler(seed);
        }
    }

    record Grid() implements SamplerConfig {
        @Override
        public Sampler create(long seed) {
            return new GridSampler(seed);
        }
    }

    /** {@code {type: gp, n_startup_trials: 10}}; IllegalArgumentException naming {@code sampler.option}. */
    static SamplerConfig parse(Map<String, Object> m) {
        String type = OptionReader.type("sampler", m, List.of("gp", "tpe", "random", "grid"));
        switch (type) {
            case "gp": {
                OptionReader r = new OptionReader("sampler", m, List.of("n_startup_trials"));
                return new Gp(r.integer("n_startup_trials", GpSampler.Options.defaults().nStartupTrials(), 0));
            }
            case "random":
                new OptionReader("sampler", m, List.of());
                return new Random();
            case "grid":
                new OptionReader("sampler", m, List.of());
                return new Grid();
            default:
                OptionReader r = new OptionReader("sampler", m, List.of("n_startup_trials", "n_ei_candidates",
                        "constant_liar", "multivariate"));
                TpeSampler.Options d = TpeSampler.Options.optunaDefaults();
                return new Tpe(r.integer("n_startup_trials", d.nStartupTrials(), 0),
                        r.integer("n_ei_candidates", d.nEiCandidates(), 1), r.bool("constant_liar", true),
                        r.bool("multivariate", false));
        }
    }
}
