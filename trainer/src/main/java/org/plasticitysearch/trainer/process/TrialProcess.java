package org.plasticitysearch.trainer.process;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.plasticitysearch.trainer.data.DataException;
import org.plasticitysearch.trainer.data.Dataset;
import org.plasticitysearch.trainer.data.DatasetRegistry;
import org.plasticitysearch.trainer.data.TaskSampler;
import org.plasticitysearch.trainer.episode.EpisodeEngine;
import org.plasticitysearch.trainer.meta.DivergenceException;
import org.plasticitysearch.trainer.meta.EpisodeReport;
import org.plasticitysearch.trainer.meta.MetaTestResult;
import org.plasticitysearch.trainer.meta.MetaTrainer;
import org.plasticitysearch.trainer.rule.Rule;
import org.plasticitysearch.trainer.rule.TermPool;

/**
 * One trial as its own process: meta-train the spec's rule, meta-test it, and report everything as JSON lines
 * (docs/TRIAL-PROCESS.md). Stops early, after the current episode, when {@link #requestStop()} is called (the CLI
 * wires SIGTERM to it) and then reports a partial result.
 */
public final class TrialProcess {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_BAD_SPEC = 2;
    public static final int EXIT_DIVERGED = 3;
    public static final int EXIT_NO_DATA = 4;

    private final AtomicBoolean stop = new AtomicBoolean();

    public void requestStop() {
        stop.set(true);
    }

    /** The meta-training tasks of a spec, and the meta-test tasks (another data set's for transfer). */
    record Tasks(TaskSampler train, TaskSampler test) {
    }

    /**
     * Loads the spec's data sets and checks them against the network (pixels, labels, images per class), with the
     * messages a trial fails with. Fast for the data sets; it trains nothing.
     *
     * @throws SpecException or {@link DataException} naming the field and what is allowed
     */
    static Tasks tasks(TrialSpec spec) {
        Dataset data = DatasetRegistry.load(spec.dataset(), spec.dataDir(), spec.split(), spec.perClassLimit());
        if (spec.dims()[0] != Dataset.PIXELS) {
            throw new SpecException("dims[0]: " + spec.dims()[0] + " is not allowed; the images of "
                    + data.name() + " have " + Dataset.PIXELS + " pixels");
        }
        int outputs = spec.dims()[spec.dims().length - 1];
        if (outputs < data.numLabels()) {
            throw new SpecException("dims: the last size " + outputs + " is not allowed; " + data.name()
                    + " has " + data.numLabels() + " labels, the output layer needs at least that many units");
        }
        TaskSampler train = sampler(spec, data);
        if (spec.testDataset() == null) {
            return new Tasks(train, train);
        }
        // transfer (test_dataset): the learned rule is meta-tested on tasks of another data set
        Dataset test;
        try {
            test = DatasetRegistry.load(spec.testDataset(), spec.dataDir(), spec.split(), spec.perClassLimit());
        } catch (DataException e) {
            throw new DataException("test_dataset: " + e.getMessage(), e);
        }
        if (outputs < test.numLabels()) {
            throw new SpecException("test_dataset: " + test.name() + " has " + test.numLabels() + " labels, more than"
                    + " the " + outputs + " output units of the network; it is not allowed as the meta-test set");
        }
        return new Tasks(train, sampler(spec, test));
    }

    private static TaskSampler sampler(TrialSpec spec, Dataset data) {
        return new TaskSampler(data, spec.m(), spec.k(), spec.q(), spec.classesWithReplacement(), spec.firstImages());
    }

    /**
     * What a trial of this spec would fail with at once (data set missing or unreadable, network and data set that
     * do not fit), or null when it can start: a study checks its config with it before queuing any trial.
     */
    public static String preflight(TrialSpec spec) {
        try {
            tasks(spec);
            new Rule(spec.terms());
            return null;
        } catch (SpecException | DataException | IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** Runs the trial; events go to {@code sink}, or, in human mode, a progress bar and a table go to {@code human}. */
    public int run(TrialSpec spec, EventSink sink, PrintStream human) {
        long t0 = System.nanoTime();
        Map<String, Object> started = EventSink.event("started");
        started.put("spec", spec.toMap());
        started.put("pid", ProcessHandle.current().pid());
        emit(sink, started);
        int completed = 0;
        try {
            Tasks tasks = tasks(spec);
            TaskSampler sampler = tasks.train();
            Rule rule = new Rule(spec.terms());
            EpisodeEngine engine = new EpisodeEngine(spec.dims(), spec.beta(), spec.feedback(), spec.precision(), rule);
            MetaTrainer trainer = new MetaTrainer(engine, sampler, spec.seed(), spec.thetaInit(), spec.metaLr(),
                    spec.lambda()).withBounds(spec.thetaMin(), spec.thetaMax()).withSafeguards(spec.safeguards());
            ProgressView view = human == null ? null : new ProgressView(human, spec.episodes());
            trainer.train(spec.episodes(), spec.metrics() ? spec.reportEvery() : 0, stop::get, r -> {
                if (view != null) {
                    view.episode(r);
                } else if (r.episode() % spec.reportEvery() == 0 || r.episode() == spec.episodes()) {
                    emit(sink, episodeEvent(r));
                }
            });
            completed = trainer.completedEpisodes();
            boolean partial = completed < spec.episodes();
            double[] theta = trainer.theta();
            MetaTestResult test = null;
            if (!partial && spec.evalTasks() > 0) {
                if (view != null) {
                    view.evaluating(spec.evalTasks());
                }
                test = MetaTrainer.metaTest(engine, tasks.test(), spec.seed(), theta, spec.evalTasks(), spec.ciLevel(),
                        spec.bootstrap());
                Map<String, Object> ev = EventSink.event("evaluation");
                ev.put("tasks", spec.evalTasks());
                ev.put("accuracies", test.accuracies());
                ev.put("test_accuracy", test.mean());
                ev.put("test_ci_low", test.ciLow());
                ev.put("test_ci_high", test.ciHigh());
                ev.put("ci_level", test.level());
                ev.put("term_shares", test.termShares());
                emit(sink, ev);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> result = EventSink.event("result");
            result.put("partial", partial);
            result.put("episodes_completed", completed);
            result.put("terms", rule.activeTerms());
            result.put("theta", theta);
            Map<String, Object> byTerm = new LinkedHashMap<>();
            for (int r = 0; r < TermPool.SIZE; r++) {
                byTerm.put("F" + r, theta[r]);
            }
            result.put("theta_by_term", byTerm);
            result.put("formula", rule.formula(theta));
            result.put("test_accuracy", test == null ? null : test.mean());
            result.put("test_ci_low", test == null ? null : test.ciLow());
            result.put("test_ci_high", test == null ? null : test.ciHigh());
            result.put("ci_level", test == null ? null : test.level());
            result.put("eval_tasks", test == null ? 0 : test.accuracies().length);
            result.put("term_shares", test == null ? null : test.termShares());
            result.put("safeguards", spec.safeguards().toMap());
            result.put("clipped_episodes", trainer.clippedEpisodes());
            result.put("rejected_episodes", trainer.rejectedEpisodes());
            result.put("limited_episodes", trainer.limitedEpisodes());
            result.put("step_scale", trainer.stepScale());
            result.put("wall_s", wall);
            emit(sink, result);
            if (view != null) {
                view.summary(rule, theta, test, completed, wall);
            }
            return EXIT_OK;
        } catch (SpecException e) {
            return error(sink, human, "spec", e.getMessage(), null, EXIT_BAD_SPEC);
        } catch (DataException e) {
            return error(sink, human, "data", e.getMessage(), null, EXIT_NO_DATA);
        } catch (DivergenceException e) {
            return error(sink, human, "divergence", e.getMessage(), e.episode(), EXIT_DIVERGED);
        } catch (IllegalArgumentException e) {
            return error(sink, human, "spec", e.getMessage(), null, EXIT_BAD_SPEC);
        } catch (RuntimeException | OutOfMemoryError e) {
            return error(sink, human, "internal", e.toString(), null, EXIT_INTERNAL);
        }
    }

    private static Map<String, Object> episodeEvent(EpisodeReport r) {
        Map<String, Object> ev = EventSink.event("episode");
        ev.put("episode", r.episode());
        ev.put("meta_loss", r.metaLoss());
        ev.put("query_loss", r.queryLoss());
        ev.put("accuracy", r.accuracy());
        ev.put("theta", r.theta());
        if (r.alignmentDeg() != null) {
            ev.put("alignment_deg", r.alignmentDeg());
            ev.put("ortho_error", r.orthoError());
        }
        ev.put("grad_norm", r.gradNorm());
        ev.put("rejected", r.rejected());
        ev.put("clipped_episodes", r.clipped());
        ev.put("rejected_episodes", r.rejections());
        ev.put("limited_episodes", r.limited());
        ev.put("elapsed_s", r.elapsedSeconds());
        return ev;
    }

    private static void emit(EventSink sink, Map<String, Object> event) {
        if (sink != null) {
            sink.emit(event);
        }
    }

    private static int error(EventSink sink, PrintStream human, String kind, String message, Integer episode, int code) {
        Map<String, Object> ev = EventSink.event("error");
        ev.put("kind", kind);
        ev.put("message", message);
        if (episode != null) {
            ev.put("episode", episode);
        }
        ev.put("exit_code", code);
        emit(sink, ev);
        if (human != null) {
            human.println();
            human.println("error: " + message);
        }
        return code;
    }
}
