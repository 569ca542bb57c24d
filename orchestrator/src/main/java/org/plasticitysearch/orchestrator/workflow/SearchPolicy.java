package org.plasticitysearch.orchestrator.workflow;

import java.util.Map;
import org.plasticitysearch.orchestrator.config.ConfigException;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.search.EnqueueSampler;
import org.plasticitysearch.search.GridSampler;
import org.plasticitysearch.search.MedianPruner;
import org.plasticitysearch.search.Pruner;
import org.plasticitysearch.search.RandomSampler;
import org.plasticitysearch.search.Sampler;
import org.plasticitysearch.search.SuccessiveHalvingPruner;
import org.plasticitysearch.search.tpe.TpeSampler;

/** The sampler and the pruner a study config asks for. */
public final class SearchPolicy {
    private SearchPolicy() {
    }

    public static Sampler sampler(StudyConfig c) {
        Map<String, Object> s = c.sampler();
        Sampler base;
        switch (s.get("type").toString()) {
            case "random":
                base = new RandomSampler(c.seed());
                break;
            case "grid":
                base = new GridSampler(c.seed());
                break;
            default:
                TpeSampler.Options o = TpeSampler.Options.optunaDefaults();
                o = new TpeSampler.Options(integer(s, "n_startup_trials", o.nStartupTrials()),
                        integer(s, "n_ei_candidates", o.nEiCandidates()), o.priorWeight(), o.magicClip(),
                        bool(s, "constant_liar", true), o.optuna31KernelScale(), bool(s, "multivariate", false));
                base = new TpeSampler(c.seed(), o);
        }
        return c.enqueue().isEmpty() ? base : new EnqueueSampler(c.enqueue(), base);
    }

    public static Pruner pruner(StudyConfig c) {
        Map<String, Object> p = c.pruner();
        switch (p.get("type").toString()) {
            case "median":
                return new MedianPruner(integer(p, "n_startup_trials", 5), integer(p, "n_warmup_steps", 0),
                        integer(p, "interval_steps", 1));
            case "successive_halving":
                return new SuccessiveHalvingPruner(integer(p, "min_resource", 0), integer(p, "reduction_factor", 4),
                        integer(p, "min_early_stopping_rate", 0), integer(p, "bootstrap_count", 0));
            default:
                return Pruner.NONE;
        }
    }

    private static int integer(Map<String, Object> m, String k, int dflt) {
        Object v = m.get(k);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new ConfigException(k + ": " + v + " is not allowed; use an integer");
        }
        return n.intValue();
    }

    private static boolean bool(Map<String, Object> m, String k, boolean dflt) {
        Object v = m.get(k);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Boolean b)) {
            throw new ConfigException(k + ": " + v + " is not allowed; use true or false");
        }
        return b;
    }
}
