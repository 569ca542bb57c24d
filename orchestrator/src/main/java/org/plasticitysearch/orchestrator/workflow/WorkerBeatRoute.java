package org.plasticitysearch.orchestrator.workflow;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.plasticitysearch.orchestrator.store.TrialStore;

/**
 * Route {@code worker-beat}: the worker says it is alive every heartbeat period, busy or idle, so `study show` can
 * count the workers of a study (trial heartbeats alone miss the idle ones).
 */
final class WorkerBeatRoute extends RouteBuilder {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WorkerBeatRoute.class);
    private final TrialStore store;
    private final String workerId;
    private final Duration every;

    WorkerBeatRoute(TrialStore store, String workerId, Duration every) {
        this.store = store;
        this.workerId = workerId;
        this.every = every;
    }

    @Override
    public void configure() {
        from("timer:worker-beat?period=" + every.toMillis()).routeId("worker-beat").process(ex -> {
            try {
                store.workerSeen(workerId);
            } catch (RuntimeException e) {
                LOG.debug("worker beat of {} not stored: {}", workerId, e.getMessage());
            }
        });
    }
}
