package org.plasticitysearch.orchestrator.workflow;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.plasticitysearch.orchestrator.store.TrialStore;

/**
 * Route {@code reaper}: RUNNING trials whose heartbeat stopped (their worker died) go back to the queue, after the
 * heartbeat timeout; a trial of a worker on this host whose process is gone (kill -9, a crash, a lost database) goes
 * back after {@link TrialStore#DEAD_WORKER_GRACE} already.
 */
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
        // a sixth of the heartbeat timeout, at most a third of the dead-worker grace (5 s for the default 60 s): a
        // dead worker's trial is back in the queue soon after the timeout, and a thousand processes reap 200 times
        // a second, not 1,000
        long period = Math.max(1000, Math.min(heartbeatTimeout.toMillis() / 6,
                TrialStore.DEAD_WORKER_GRACE.toMillis() / 3));
        from("timer:reaper?period=" + Math.max(pollMillis, period)).routeId("reaper")
                .process(ex -> store.reap(heartbeatTimeout, maxAttempts, deadHere(store.runningWorkers())));
    }

    /** Worker ids ("host:pid") of this host whose process is gone. */
    static java.util.List<String> deadHere(java.util.List<String> workers) {
        String here = Workflow.localHost();
        return workers.stream().filter(w -> {
            int colon = w.lastIndexOf(':');
            if (colon < 0 || !w.substring(0, colon).equals(here)) {
                return false;
            }
            try {
                long pid = Long.parseLong(w.substring(colon + 1));
                return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
            } catch (NumberFormatException e) {
                return false;
            }
        }).toList();
    }

}
