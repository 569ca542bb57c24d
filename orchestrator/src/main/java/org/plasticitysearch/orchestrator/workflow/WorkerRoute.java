package org.plasticitysearch.orchestrator.workflow;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.orchestrator.store.TrialOutcome;
import org.plasticitysearch.orchestrator.store.TrialStore;

/**
 * Routes {@code worker} and {@code trial}: while a slot is free, claim a QUEUED trial (of one study, or of any
 * RUNNING study) and hand it to {@code seda:trials}, whose consumers (one per slot) run it through
 * {@link TrialRunner}: one trainer process each.
 */
final class WorkerRoute extends RouteBuilder {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WorkerRoute.class);
    private final TrialStore store;
    private final StudyConfigs configs;
    private final TrialRunner runner;
    private final Long onlyStudy;
    private final int slots;
    private final String workerId;
    private final long pollMillis;
    private final AtomicInteger busy = new AtomicInteger();
    /** Proposes the study's next trials (null: a study runner elsewhere does). */
    private final Runnable refill;
    /** Longest wait between claims while the queue stays empty. */
    static final long IDLE_BACKOFF_MILLIS = 4000;
    private volatile long nextClaim;
    private long idleDelay;

    WorkerRoute(TrialStore store, StudyConfigs configs, TrialRunner runner, Long onlyStudy, int slots, String workerId,
                long pollMillis, Runnable refill) {
        this.refill = refill;
        this.store = store;
        this.configs = configs;
        this.runner = runner;
        this.onlyStudy = onlyStudy;
        this.slots = slots;
        this.workerId = workerId;
        this.pollMillis = pollMillis;
    }

    /**
     * A trial this worker could not run (its params do not make a spec, the trainer could not be started, the
     * database answered with an error): FAILED now with the reason, not after the heartbeat timeout; the stack
     * trace goes to the log file.
     */
    private void failAtOnce(Trial t, Exception e) {
        LOG.error("trial {} of study {} failed in worker {}", t.number(), t.studyId(), workerId, e);
        try {
            store.finish(t.id(), workerId, TrialOutcome.failed("worker " + workerId + " could not run it: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage()));
        } catch (RuntimeException again) {
            LOG.error("trial {} could not be marked FAILED; the reaper re-queues it after the heartbeat timeout",
                    t.number(), again);
        }
    }

    /**
     * Claims trials while a slot is free and hands them to the slots. Called by the timer and, the moment a trial
     * ends, by the slot it freed (so the next trial starts without waiting for a tick); one caller at a time, so no
     * more trials are claimed than there are free slots.
     */
    private synchronized void fillSlots(ProducerTemplate producer, boolean slotFreed) {
        if (!slotFreed && System.nanoTime() < nextClaim) {
            return;
        }
        boolean refilled = false;
        while (busy.get() < slots) {
            var t = store.claim(onlyStudy, workerId);
            if (t.isEmpty() && refill != null && !refilled) {
                refilled = true;
                refill.run(); // the queue is empty: propose (or find the study done), then claim again
                continue;
            }
            if (t.isEmpty()) {
                // an empty queue: ask less often, up to IDLE_BACKOFF (idle workers of a large cluster would
                // otherwise send 2 claims per second each)
                idleDelay = Math.min(Math.max(2 * idleDelay, pollMillis), IDLE_BACKOFF_MILLIS);
                nextClaim = System.nanoTime() + idleDelay * 1_000_000L;
                return;
            }
            idleDelay = 0;
            busy.incrementAndGet();
            producer.sendBody("seda:trials", t.get());
        }
    }

    @Override
    public void configure() {
        ProducerTemplate producer = getContext().createProducerTemplate();
        from("timer:worker?period=" + pollMillis).routeId("worker")
                .process(ex -> fillSlots(producer, false));
        from("seda:trials?concurrentConsumers=" + slots + "&size=" + (slots * 2) + "&pollTimeout=200").routeId("trial")
                .process(ex -> {
                    Trial t = ex.getIn().getBody(Trial.class);
                    try {
                        runner.run(t, configs.of(t.studyId()));
                    } catch (Exception e) {
                        failAtOnce(t, e);
                    } finally {
                        busy.decrementAndGet();
                    }
                    if (!runner.stopping()) {
                        try {
                            fillSlots(producer, true);
                        } catch (RuntimeException e) {
                            LOG.debug("claim after trial {} failed; the timer tries again: {}", t.number(),
                                    e.getMessage());
                        }
                    }
                });
    }
}
