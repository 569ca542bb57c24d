package org.plasticitysearch.orchestrator.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.store.EpisodeMetric;
import org.plasticitysearch.orchestrator.store.SafeguardCounts;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.orchestrator.store.TrialOutcome;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.store.TransitionRejectedException;
import org.plasticitysearch.orchestrator.worker.TrainerLauncher;
import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.LaggedHistory;
import org.plasticitysearch.search.Pruner;
import org.plasticitysearch.search.TrialRecord;

/**
 * Runs one claimed trial to its end: builds the trainer spec from the trial's params, starts the trainer process,
 * stores each reported episode, heart-beats, asks the pruner at each report (SIGTERM when it says prune), and
 * finishes the trial COMPLETE, PRUNED or FAILED with the reason. If the trial stops being ours (the reaper gave it
 * to another worker), the process is killed and nothing more is written.
 */
final class TrialRunner {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrialRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrialStore store;
    private final TrainerLauncher launcher;
    private final String workerId;
    private final Duration heartbeatEvery;
    /** Running trials by trial id. */
    private final Map<Long, TrainerLauncher.Running> active = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean stopping;
    /** Each study's finished trials, read once (the pruner reads the history at every report). */
    private final Map<Long, StudyHistory.Cache> histories = new java.util.concurrent.ConcurrentHashMap<>();

    TrialRunner(TrialStore store, TrainerLauncher launcher, String workerId, Duration heartbeatEvery) {
        this.store = store;
        this.launcher = launcher;
        this.workerId = workerId;
        this.heartbeatEvery = heartbeatEvery;
    }

    /**
     * The worker is stopping: every running trainer is killed and its trial given back to the queue (no attempt
     * used), so a restarted or another worker runs it.
     */
    /**
     * Kills the running trainers and gives their trials back; returns how many were running (each goes back to the
     * queue here or, if it noticed first, in its own thread).
     */
    int shutdown() {
        stopping = true;
        int running = active.size();
        // synchronously, in the caller's thread (a shutdown hook): the database may close right after this returns
        active.forEach((trialId, trainer) -> {
            trainer.kill();
            try {
                giveBack(trialId, "worker " + workerId + " stopped during the trial");
            } catch (RuntimeException e) {
                // the database is gone: the reaper re-queues the trial once this process is (DEAD_WORKER_GRACE)
                LOG.warn("trial {} could not be given back: {}", trialId, e.getMessage());
            }
        });
        launcher.closeIdle();
        return running;
    }

    /** True once the worker is stopping (no new trial starts). */
    boolean stopping() {
        return stopping;
    }

    private void giveBack(long trialId, String reason) {
        try {
            store.giveBack(trialId, workerId, reason);
        } catch (TransitionRejectedException e) {
            // already given back (by shutdown or by the trial's own thread) or finished: nothing to do
        }
    }

    void run(Trial trial, StudyConfig config) throws Exception {
        if (stopping) {
            giveBack(trial.id(), "worker " + workerId + " stopped before starting it");
            return;
        }
        Map<String, Object> params = JSON.readValue(trial.paramsJson(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        String spec = JSON.writeValueAsString(config.trialSpec(params, trial.seed()));
        Pruner pruner = SearchPolicy.pruner(config);
        TreeMap<Integer, Double> intermediate = new TreeMap<>();
        AtomicBoolean pruned = new AtomicBoolean();
        AtomicBoolean lost = new AtomicBoolean();
        TrainerLauncher.Running[] running = new TrainerLauncher.Running[1];
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-" + trial.id());
            t.setDaemon(true);
            return t;
        });
        try {
            running[0] = launcher.withHeap(config.heap()).start(spec, ev -> {
                if (lost.get() || pruned.get() || !ev.path("type").asText().equals("episode")) {
                    return; // once pruned, the trial's curve and value end at the report the pruner judged
                }
                int episode = ev.get("episode").asInt();
                Double acc = number(ev, "accuracy");
                boolean rejected = ev.path("rejected").asBoolean(false);
                try {
                    store.recordMetrics(trial.id(), workerId, List.of(new EpisodeMetric(episode,
                            number(ev, "meta_loss"), acc, doubles(ev.get("theta")), doubles(ev.get("alignment_deg")),
                            doubles(ev.get("ortho_error")), number(ev, "grad_norm"), integer(ev, "clipped_episodes"),
                            integer(ev, "rejected_episodes"), integer(ev, "limited_episodes"), rejected)));
                } catch (TransitionRejectedException e) {
                    lost.set(true);
                    running[0].kill();
                    return;
                } catch (org.plasticitysearch.orchestrator.store.StoreException e) {
                    // the database is unreachable (3 s): stop here rather than wait 3 s per event; the trial stays
                    // RUNNING and the reaper re-queues it once the database is back
                    LOG.warn("trial {}: the database is unreachable, the trial stops: {}", trial.number(),
                            e.getMessage());
                    lost.set(true);
                    running[0].kill();
                    return;
                }
                if (rejected || acc == null) {
                    return; // a rejected episode's inner loop blew up: not what the rule learned, not for the pruner
                }
                intermediate.put(episode, acc);
                if (pruner != Pruner.NONE) {
                    List<TrialRecord> history = histories.computeIfAbsent(trial.studyId(),
                            id -> new StudyHistory.Cache()).load(store, trial.studyId());
                    if (config.reproducible()) {
                        history = LaggedHistory.forPruner(history, trial.number(), config.parallelism());
                    }
                    if (pruner.shouldPrune(config.direction(), history, trial.number(), intermediate)) {
                        pruned.set(true);
                        running[0].terminate();
                    }
                }
            });
            beat.scheduleAtFixedRate(() -> {
                try {
                    store.heartbeat(trial.id(), workerId);
                } catch (TransitionRejectedException e) {
                    lost.set(true);
                    running[0].kill();
                } catch (RuntimeException e) {
                    // the database blinked; the next beat retries, the reaper's timeout is the safety net
                }
            }, heartbeatEvery.toMillis(), heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
            active.put(trial.id(), running[0]);
            if (stopping) {
                running[0].kill();
            }
            TrainerLauncher.Exit exit = running[0].await(config.trialTimeout());
            beat.shutdownNow();
            if (lost.get()) {
                return;
            }
            // a partial result nobody here asked for: the trainer was stopped from outside (Slurm's scancel, time
            // limit or preemption signal every process of the job at once): not the rule's result, run it again
            // (or the trainer ended by SIGTERM before it could say anything: 128 + 15; a crash or the OOM killer's
            // SIGKILL stays a retry that counts)
            boolean stoppedOutside = !pruned.get() && !exit.timedOut() && (exit.result() != null
                    ? exit.result().path("partial").asBoolean() : exit.error() == null && exit.exitCode() == 143);
            if ((stopping && !exit.succeeded()) || stoppedOutside) {
                giveBack(trial.id(), stoppedOutside ? "the trainer was stopped from outside (SIGTERM) during the"
                        + " trial" : "worker " + workerId + " stopped during the trial");
            } else if (exit.retryable() && !pruned.get()) {
                // killed or crashed without a word: the retry policy decides (QUEUED again, or FAILED at the limit)
                store.release(trial.id(), workerId, exit.reason(), config.retries() + 1);
            } else {
                TrialOutcome o = outcome(exit, pruned.get(), intermediate);
                if (exit.timedOut()) { // the study's setting, by its name in the config
                    o = TrialOutcome.failed("trial_timeout: stopped after " + config.trialTimeout().toString()
                            .substring(2).toLowerCase(java.util.Locale.ROOT) + " (" + exit.reason() + "); raise"
                            + " trial_timeout in the study config if trials need longer");
                }
                store.finish(trial.id(), workerId, o);
            }
        } finally {
            beat.shutdownNow();
            if (running[0] != null) {
                active.remove(trial.id());
            }
        }
    }

    static TrialOutcome outcome(TrainerLauncher.Exit exit, boolean pruned, TreeMap<Integer, Double> iv) {
        JsonNode r = exit.result();
        if (exit.succeeded() && r != null) {
            double[] theta = doubles(r.get("theta"));
            boolean partial = r.path("partial").asBoolean();
            Double test = number(r, "test_accuracy");
            TrialState state = pruned || partial ? TrialState.PRUNED : TrialState.COMPLETE;
            Double value = state == TrialState.COMPLETE ? test : (iv.isEmpty() ? null : iv.lastEntry().getValue());
            return TrialOutcome.scored(state, value).withRule(theta, doubles(r.get("term_shares")))
                    .withTest(test, number(r, "test_ci_low"), number(r, "test_ci_high"), number(r, "ci_level"),
                            r.path("eval_tasks").asInt())
                    .withRun(r.path("episodes_completed").asInt(), partial, number(r, "wall_s"))
                    .withSafeguards(r.hasNonNull("clipped_episodes") ? new SafeguardCounts(
                            r.get("clipped_episodes").asInt(), r.path("rejected_episodes").asInt(),
                            r.path("limited_episodes").asInt(), r.hasNonNull("safeguards")
                            ? r.get("safeguards").toString() : null) : null);
        }
        return TrialOutcome.failed(exit.reason());
    }

    static Double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asDouble();
    }

    static Integer integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asInt();
    }

    static double[] doubles(JsonNode a) {
        if (a == null || a.isNull()) {
            return null;
        }
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).isNull() ? Double.NaN : a.get(i).asDouble();
        }
        return d;
    }
}
