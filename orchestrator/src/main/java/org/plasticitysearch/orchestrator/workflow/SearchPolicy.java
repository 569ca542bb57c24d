package org.plasticitysearch.orchestrator.workflow;

import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.search.EnqueueSampler;
import org.plasticitysearch.search.Pruner;
import org.plasticitysearch.search.Sampler;

/** The sampler and the pruner a study config asks for. */
public final class SearchPolicy {
    private SearchPolicy() {
    }

    /** The config's sampler, seeded by the study's seed, after the config's enqueued trials. */
    public static Sampler sampler(StudyConfig c) {
        Sampler base = c.sampler().create(c.seed());
        return c.enqueue().isEmpty() ? base : new EnqueueSampler(c.enqueue(), base);
    }

    public static Pruner pruner(StudyConfig c) {
        return c.pruner().create();
    }
}
