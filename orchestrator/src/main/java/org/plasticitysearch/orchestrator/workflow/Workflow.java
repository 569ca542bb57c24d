package org.plasticitysearch.orchestrator.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.worker.TrainerLauncher;

/**
 * The orchestrator: one Camel context whose routes are the workflow, one route builder per concern. Which routes a
 * process runs depends on its role:
 * <ul>
 *   <li>{@code study run}: {@link StudyRunnerRoute} and {@link WorkerRoute} for its study, {@link ReaperRoute};</li>
 *   <li>{@code worker}: {@link WorkerRoute} for any study, {@link ReaperRoute};</li>
 *   <li>{@code serve}: all of those plus the scheduler and the REST API ({@link Part}s from their packages).</li>
 * </ul>
 * {@link #stop()} kills this process's trainers and gives their trials back to the queue first, so stopping a worker
 * loses nothing.
 */
public final class Workflow implements AutoCloseable {
    /** Tunables (timer periods, slots, heartbeat); maxAttempts is the reaper's limit. */
    public record Settings(int slots, String workerId, Duration poll, Duration heartbeatEvery,
                           Duration heartbeatTimeout, int maxAttempts) {
    }

    /** A further set of routes or services (scheduler, REST API) added to the context. */
    public interface Part {
        void addTo(CamelContext camel, TrialStore store) throws Exception;

        /** After the context stopped (e.g. shut a scheduler down). */
        default void afterStop() throws Exception {
        }
    }

    private final CamelContext camel;
    private final TrialRunner runner;
    private final List<Part> parts;
    private final TrialStore store;
    private final String workerId;

    private Workflow(CamelContext camel, TrialRunner runner, List<Part> parts, TrialStore store, String workerId) {
        this.camel = camel;
        this.runner = runner;
        this.parts = List.copyOf(parts);
        this.store = store;
        this.workerId = workerId;
    }

    public static Builder builder(TrialStore store, Settings settings) {
        return new Builder(store, settings);
    }

    /** Study runner for every RUNNING study, workers for any study, reaper: what a single machine needs. */
    public static Workflow create(TrialStore store, TrainerLauncher launcher, Settings s) throws Exception {
        return builder(store, s).studyRunner(null).workers(launcher, null).reaper().build();
    }

    public CamelContext camel() {
        return camel;
    }

    public void start() {
        camel.start();
    }

    /** This machine's name, the host part of every worker id ("host:pid"). */
    public static String localHost() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** Stops everything; returns how many running trials were given back to the queue. */
    public int stop() {
        int given = releaseTrials();
        camel.stop();
        afterStop();
        return given;
    }

    /**
     * Kills this process's trainers and gives their trials back to the queue (before the context stops); returns
     * how many.
     */
    public int releaseTrials() {
        if (runner == null) {
            return 0;
        }
        int given = runner.shutdown();
        try {
            store.workerStopped(workerId);
        } catch (RuntimeException e) {
            // the database is gone: `study show` stops counting this worker once its beats are old
        }
        return given;
    }

    /** Stops what the parts run outside the context (e.g. the Quartz scheduler). */
    public void afterStop() {
        for (Part p : parts) {
            try {
                p.afterStop();
            } catch (Exception e) {
                System.err.println("plasticity: stopping " + p.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Chooses the routes. */
    public static final class Builder {
        private final TrialStore store;
        private final Settings s;
        private final StudyConfigs configs;
        private final List<Part> parts = new ArrayList<>();
        private boolean runStudies;
        private Long runnerStudy;
        private TrainerLauncher launcher;
        private Long workerStudy;
        private boolean proposeWhenEmpty;
        private boolean reaper;

        private Builder(TrialStore store, Settings s) {
            this.store = store;
            this.s = s;
            this.configs = new StudyConfigs(store);
        }

        /** Fill the queues of one study (or of every RUNNING study when null). */
        public Builder studyRunner(Long studyId) {
            runStudies = true;
            runnerStudy = studyId;
            return this;
        }

        /** Run trials of one study (or of any RUNNING study when null) in {@code settings.slots()} slots. */
        public Builder workers(TrainerLauncher launcher, Long studyId) {
            this.launcher = launcher;
            this.workerStudy = studyId;
            return this;
        }

        /**
         * The workers propose their study's next trials themselves when they find its queue empty (under the
         * study's lock, as a study runner): no timer, so a thousand workers do not poll the study a thousand times
         * a second. Needs {@link #workers} with a study.
         */
        public Builder proposeWhenQueueEmpty() {
            proposeWhenEmpty = true;
            return this;
        }

        public Builder reaper() {
            reaper = true;
            return this;
        }

        public Builder with(Part part) {
            parts.add(part);
            return this;
        }

        /** A new context named "plasticity" with the chosen routes (not started). */
        public Workflow build() throws Exception {
            CamelContext camel = new DefaultCamelContext();
            camel.getCamelContextExtension().setName("plasticity");
            return buildInto(camel);
        }

        /** The chosen routes added to a context someone else runs (Camel Main: {@code serve}, {@code worker}). */
        public Workflow buildInto(CamelContext camel) throws Exception {
            long poll = s.poll().toMillis();
            if (runStudies) {
                camel.addRoutes(new StudyRunnerRoute(store, configs, runnerStudy, poll));
            }
            TrialRunner runner = null;
            if (launcher != null && s.slots() > 0) {
                runner = new TrialRunner(store, launcher, s.workerId(), s.heartbeatEvery());
                Runnable refill = proposeWhenEmpty && workerStudy != null
                        ? new StudyRunnerRoute(store, configs, workerStudy, poll)::fillQueues : null;
                camel.addRoutes(new WorkerRoute(store, configs, runner, workerStudy, s.slots(), s.workerId(), poll,
                        refill));
                camel.addRoutes(new WorkerBeatRoute(store, s.workerId(), s.heartbeatEvery()));
            }
            if (reaper) {
                camel.addRoutes(new ReaperRoute(store, s.heartbeatTimeout(), s.maxAttempts(), poll));
            }
            for (Part p : parts) {
                p.addTo(camel, store);
            }
            return new Workflow(camel, runner, parts, store, s.workerId());
        }
    }
}
