package org.plasticitysearch.orchestrator.workflow;

import org.plasticitysearch.orchestrator.store.StoreException;
import org.plasticitysearch.orchestrator.store.StudyStatus;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.builder.RouteBuilder;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.config.TrialPlan;
import org.plasticitysearch.orchestrator.store.StateCounts;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.LaggedHistory;
import org.plasticitysearch.search.Sampler;
import org.plasticitysearch.search.TrialRecord;
import org.plasticitysearch.search.TrialState;

/**
 * Route {@code study-runner}: for every RUNNING study (or only one, for {@code study run}), keeps QUEUED + RUNNING
 * trials at the study's parallelism by asking its sampler, never past its global budget, and marks the study DONE
 * when the budget is spent. The trials proposed earlier in a fill are in flight for the next proposal. A
 * reproducible study's trial n waits until the trials numbered {@code <= n - parallelism} are finished
 * ({@link LaggedHistory}). Each study is filled under its advisory lock, so any number of orchestrators may run
 * this route against one database.
 */
final class StudyRunnerRoute extends RouteBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StudyRunnerRoute.class);
    private final java.util.Set<Long> broken = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<Long, StudyHistory.Cache> histories = new java.util.concurrent.ConcurrentHashMap<>();
    private final TrialStore store;
    private final StudyConfigs configs;
    private final Long onlyStudy;
    private final long pollMillis;

    StudyRunnerRoute(TrialStore store, StudyConfigs configs, Long onlyStudy, long pollMillis) {
        this.store = store;
        this.configs = configs;
        this.onlyStudy = onlyStudy;
        this.pollMillis = pollMillis;
    }

    @Override
    public void configure() {
        from("timer:study-runner?period=" + pollMillis).routeId("study-runner")
                .process(ex -> fillQueues());
    }

    void fillQueues() {
        for (Study study : store.studies()) {
            if (study.status() == StudyStatus.RUNNING && (onlyStudy == null || onlyStudy == study.id())) {
                try {
                    store.withStudyLock(study.id(), () -> fill(study));
                    broken.remove(study.id());
                } catch (StoreException e) {
                    throw e; // the database: every study alike, the route's error handling
                } catch (RuntimeException e) {
                    // this study cannot propose (its stored config no longer works with this version, ...):
                    // said once, the other studies go on
                    if (broken.add(study.id())) {
                        LOG.error("study {} cannot propose trials; the other studies go on: {}", study.name(),
                                e.getMessage(), e);
                    }
                }
            }
        }
    }

    private void fill(Study study) {
        StateCounts c = store.counts(study.id());
        if (c.finished() >= study.budget()) {
            if (c.running() == 0 && c.queued() == 0) {
                store.setStudyStatus(study.id(), StudyStatus.DONE);
            }
            return;
        }
        int inFlight = c.queued() + c.running();
        int want = Math.min(study.parallelism() - inFlight, study.budget() - c.finished() - inFlight);
        if (want <= 0) {
            return;
        }
        StudyConfig config = configs.of(study.id());
        Sampler sampler = SearchPolicy.sampler(config);
        List<TrialRecord> history = new ArrayList<>(histories.computeIfAbsent(study.id(),
                id -> new StudyHistory.Cache()).load(store, study.id()));
        for (int i = 0; i < want; i++) {
            int number = history.size(); // the store's next number: we hold the study's lock
            List<TrialRecord> seen = history;
            if (config.reproducible() && sampler.usesHistory()) { // random and grid: nothing to wait for
                Optional<List<TrialRecord>> lagged = LaggedHistory.forProposal(history, number, config.parallelism());
                if (lagged.isEmpty()) {
                    return; // trial number - L is not finished yet: the next fill proposes this trial
                }
                seen = lagged.get();
            }
            Map<String, Object> params = sampler.ask(config.space(), config.direction(), seen, number);
            long seed = TrialPlan.seed(config.seed(), number);
            try {
                store.enqueue(study.id(), JSON.writeValueAsString(params), seed, TrialPlan.terms(params),
                        TrialPlan.thetaInit(params));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("params of trial " + number + " are not JSON: " + e.getMessage(), e);
            }
            // in flight for the next proposal of this fill (the constant liar, duplicate avoidance)
            history.add(new TrialRecord(number, TrialState.QUEUED, params, null, null));
        }
    }
}
