package org.plasticitysearch.orchestrator.workflow;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.plasticitysearch.orchestrator.store.Records;
import org.plasticitysearch.orchestrator.store.TrialStore;

/**
 * Routes {@code worker} and {@code trial}: while a slot is free, claim a QUEUED trial (of one study, or of any
 * RUNNING study) and hand it to {@code seda:trials}, whose consumers (one per slot) run it through
 * {@link TrialRunner}: one trainer process each.
 */
final class WorkerRoute extends RouteBuilder {
    private final TrialStore store;
    private final StudyConfigs configs;
    private final TrialRunner runner;
    private final Long onlyStudy;
    private final int slots;
    private final String workerId;
    private final long pollMillis;
    private final AtomicInteger busy = new AtomicInteger();

    WorkerRoute(TrialStore store, StudyConfigs configs, TrialRunner runner, Long onlyStudy, int slots, String workerId,
                long pollMillis) {
        this.store = store;
        this.configs = configs;
        this.runner = runner;
        this.onlyStudy = onlyStudy;
        this.slots = slots;
        this.workerId = workerId;
        this.pollMillis = pollMillis;
    }

    @Override
    public void configure() {
        ProducerTemplate producer = getContext().createProducerTemplate();
        from("timer:worker?period=" + pollMillis).routeId("worker")
                .process(ex -> {
                    while (busy.get() < slots) {
                        var t = store.claim(onlyStudy, workerId);
                        if (t.isEmpty()) {
                            return;
                        }
                        busy.incrementAndGet();
                        producer.sendBody("seda:trials", t.get());
                    }
                });
        from("seda:trials?concurrentConsumers=" + slots + "&size=" + (slots * 2)).routeId("trial")
                .process(ex -> {
                    Records.Trial t = ex.getIn().getBody(Records.Trial.class);
                    try {
                        runner.run(t, configs.of(t.studyId()));
                    } finally {
                        busy.decrementAndGet();
                    }
                });
    }
}
