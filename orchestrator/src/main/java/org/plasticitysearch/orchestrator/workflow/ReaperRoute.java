package org.plasticitysearch.orchestrator.workflow;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.plasticitysearch.orchestrator.store.TrialStore;

/** Route {@code reaper}: RUNNING trials whose heartbeat stopped (their worker died) go back to the queue. */
final class ReaperRoute extends RouteBuilder {
    private final TrialStore store;
    private final Duration heartbeatTimeout;
    private final int maxAttempts;
    private final long pollMillis;

    ReaperRoute(TrialStore store, Duration heartbeatTimeout, int maxAttempts, long pollMillis) {
        this.store = store;
        this.heartbeatTimeout = heartbeatTimeout;
        this.maxAttempts = maxAttempts;
        this.pollMillis = pollMillis;
    }

    @Override
    public void configure() {
        from("timer:reaper?period=" + Math.max(pollMillis, 1000)).routeId("reaper")
                .process(ex -> store.reap(heartbeatTimeout, maxAttempts));
    }
}
