package org.plasticitysearch.orchestrator.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.store.Records;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.worker.TrainerLauncher;
import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.Sampler;
import org.plasticitysearch.search.TrialRecord;

/**
 * The orchestrator's Camel routes, one route builder per concern:
 * <ul>
 *   <li>{@code study-runner}: for every RUNNING study, keeps QUEUED + RUNNING trials at the study's parallelism by
 *       asking its sampler, never past its global budget, and marks it DONE when the budget is spent;</li>
 *   <li>{@code worker}: claims trials while it has free slots and hands them to {@code seda:trials}, whose
 *       consumers (one per slot) run them through {@link TrialRunner};</li>
 *   <li>{@code reaper}: re-queues RUNNING trials whose heartbeat stopped (or fails them past the retries).</li>
 * </ul>
 */
public final class Workflow {
    /** Tunables (timer periods, slots, heartbeat). */
    public record Settings(int slots, String workerId, Duration poll, Duration heartbeatEvery,
                           Duration heartbeatTimeout, int maxAttempts) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Workflow() {
    }

    public static CamelContext create(TrialStore store, TrainerLauncher launcher, Settings s) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("plasticity");
        Map<Long, StudyConfig> configs = new ConcurrentHashMap<>();
        AtomicInteger busy = new AtomicInteger();
        TrialRunner runner = new TrialRunner(store, launcher, s.workerId(), s.heartbeatEvery());
        long poll = s.poll().toMillis();
        org.apache.camel.ProducerTemplate producer = camel.createProducerTemplate();

        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:study-runner?period=" + poll).routeId("study-runner")
                        .process(ex -> fillQueues(store, configs));
            }
        });
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:worker?period=" + poll).routeId("worker")
                        .process(ex -> {
                            while (busy.get() < s.slots()) {
                                var t = store.claim(null, s.workerId());
                                if (t.isEmpty()) {
                                    return;
                                }
                                busy.incrementAndGet();
                                producer.sendBody("seda:trials", t.get());
                            }
                        });
                from("seda:trials?concurrentConsumers=" + s.slots() + "&size=" + (s.slots() * 2)).routeId("trial")
                        .process(ex -> {
                            Records.Trial t = ex.getIn().getBody(Records.Trial.class);
                            try {
                                runner.run(t, config(store, configs, t.studyId()));
                            } finally {
                                busy.decrementAndGet();
                            }
                        });
            }
        });
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:reaper?period=" + Math.max(poll, 1000)).routeId("reaper")
                        .process(ex -> store.reap(s.heartbeatTimeout(), s.maxAttempts()));
            }
        });
        return camel;
    }

    static StudyConfig config(TrialStore store, Map<Long, StudyConfig> cache, long studyId) {
        return cache.computeIfAbsent(studyId, id -> store.studies().stream().filter(st -> st.id() == id).findFirst()
                .map(st -> StudyConfig.parse(st.configYaml()))
                .orElseThrow(() -> new IllegalStateException("study " + id + " vanished")));
    }

    static void fillQueues(TrialStore store, Map<Long, StudyConfig> cache) throws Exception {
        for (Records.Study study : store.studies()) {
            if (!study.status().equals("RUNNING")) {
                continue;
            }
            Records.StateCounts c = store.counts(study.id());
            if (c.finished() >= study.budget()) {
                if (c.running() == 0 && c.queued() == 0) {
                    store.setStudyStatus(study.id(), "DONE");
                }
                continue;
            }
            int inFlight = c.queued() + c.running();
            int want = Math.min(study.parallelism() - c.queued() - c.running(),
                    study.budget() - c.finished() - inFlight);
            if (want <= 0) {
                continue;
            }
            StudyConfig config = config(store, cache, study.id());
            Sampler sampler = SearchPolicy.sampler(config);
            Direction direction = config.direction().equals("minimize") ? Direction.MINIMIZE : Direction.MAXIMIZE;
            for (int i = 0; i < want; i++) {
                List<TrialRecord> history = StudyHistory.load(store, study.id());
                int number = history.size();
                Map<String, Object> params = sampler.ask(config.space(), direction, history, number);
                int[] terms = java.util.stream.IntStream.range(0, 10)
                        .filter(r -> Boolean.TRUE.equals(params.get("f" + r))).toArray();
                double[] theta = new double[10];
                theta[0] = params.containsKey("theta0_init") ? ((Number) params.get("theta0_init")).doubleValue() : 1e-3;
                long seed = org.plasticitysearch.search.Seeds.mix(config.seed() * 1_000_003L + number);
                store.enqueue(study.id(), JSON.writeValueAsString(params), seed, terms.length == 0 ? new int[]{0} : terms,
                        theta);
            }
        }
    }
}
