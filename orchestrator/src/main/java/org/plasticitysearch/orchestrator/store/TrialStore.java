package org.plasticitysearch.orchestrator.store;

import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.TrialState;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Studies and trials in PostgreSQL, shared by any number of workers on any number of machines. Every statement
 * binds its parameters; every state change is one guarded UPDATE, so the lifecycle holds under concurrency:
 * a trial is claimed by exactly one worker ({@code FOR UPDATE SKIP LOCKED}), finished only by its owner and only
 * once, and a RUNNING trial whose heartbeat stopped is re-queued or failed by the reaper.
 *
 * <p>The API of the store, in parts that each live in their own class: {@link StudyTable} (studies and the study
 * lock), {@link TrialLifecycle} (the trial lifecycle, the reaper), {@link WorkerTable} (workers, Slurm jobs),
 * {@link ResultQueries} (read-only queries), over one {@link Transactions}.
 */
public final class TrialStore {
    /** A dead worker's trial waits this long (three heartbeats) before it is re-queued without the full timeout. */
    public static final Duration DEAD_WORKER_GRACE = Duration.ofSeconds(15);

    private final Transactions db;
    private final StudyTable studies;
    private final TrialLifecycle lifecycle;
    private final ResultQueries results;
    private final WorkerTable workers;

    public TrialStore(DataSource ds) {
        this.db = new Transactions(ds);
        this.studies = new StudyTable(db);
        this.lifecycle = new TrialLifecycle(db);
        this.results = new ResultQueries(db);
        this.workers = new WorkerTable(db);
    }

    public DataSource dataSource() {
        return db.dataSource();
    }

    // ----------------------------------------------------------------------- studies (StudyTable)

    /** Creates the study, or loads the existing study of that name (its stored definition wins). */
    public Study createOrLoadStudy(StudyDefinition d) {
        return studies.createOrLoadStudy(d);
    }

    public Optional<Study> study(String name) {
        return studies.study(name);
    }

    public List<Study> studies() {
        return studies.studies();
    }

    public void setStudyStatus(long studyId, StudyStatus status) {
        studies.setStudyStatus(studyId, status);
    }

    /**
     * Deletes the study with its trials, terms, metrics and results (verification studies of it stay, unlinked).
     * Returns the number of trials deleted.
     */
    public int deleteStudy(long studyId) {
        return studies.deleteStudy(studyId);
    }

    /** Marks a study as the verification study of another (kind 'verification', parent_id). */
    public void linkVerification(long studyId, long parentId) {
        studies.linkVerification(studyId, parentId);
    }

    /** A new global budget (e.g. {@code study run --trials N}); a DONE study below it runs again. */
    public void setStudyBudget(long studyId, int budget) {
        studies.setStudyBudget(studyId, budget);
    }

    /**
     * Runs {@code body} while this process holds the study's PostgreSQL advisory lock, so that of all the
     * orchestrators on a database exactly one asks the sampler for a study at a time (the sampler sees the whole
     * history and numbers trials densely). Returns false, without running it, when another process holds it.
     */
    public boolean withStudyLock(long studyId, Runnable body) {
        return studies.withStudyLock(studyId, body);
    }

    // ------------------------------------------- workers and the trial lifecycle (TrialLifecycle)

    public void registerWorker(String workerId, String host, long pid) {
        workers.register(workerId, host, pid, null, null);
    }

    /** A worker that serves one study (null: any) from inside a Slurm job (null: none). */
    public void registerWorker(String workerId, String host, long pid, Long studyId, String slurmJob) {
        workers.register(workerId, host, pid, studyId, slurmJob);
    }

    /** The worker is alive (busy or idle); `study show` counts workers seen in the last seconds. */
    public void workerSeen(String workerId) {
        workers.seen(workerId);
    }

    /** The worker stopped in order (its trials were given back). */
    public void workerStopped(String workerId) {
        workers.stopped(workerId);
    }

    /** Workers alive (not stopped, seen within {@code within}) that serve the study or run one of its trials. */
    public int aliveWorkers(long studyId, Duration within) {
        return workers.alive(studyId, within);
    }

    public void recordSlurmJob(long studyId, String jobId, int workerCount, int slots) {
        workers.recordSlurmJob(studyId, jobId, workerCount, slots);
    }

    public List<SlurmJob> slurmJobs(long studyId) {
        return workers.slurmJobs(studyId);
    }

    /**
     * Adds a QUEUED trial with the study's next dense number (taken in the same transaction, so numbers are
     * 0, 1, 2, ... without gaps however many processes enqueue) and its rule's initial coefficients.
     */
    public Trial enqueue(long studyId, String paramsJson, long seed, int[] activeTerms, double[] thetaInit) {
        return lifecycle.enqueue(studyId, paramsJson, seed, activeTerms, thetaInit);
    }

    /** As above; in a verification study, sourceTrial is the parent study's trial whose rule this one re-trains. */
    public Trial enqueue(long studyId, String paramsJson, long seed, int[] activeTerms, double[] thetaInit,
                         Integer sourceTrial) {
        return lifecycle.enqueue(studyId, paramsJson, seed, activeTerms, thetaInit, sourceTrial);
    }

    /**
     * Claims the oldest QUEUED trial of the study (or, with {@code studyId == null}, of any study) for the
     * worker: RUNNING, heartbeat now, attempt + 1; only trials of RUNNING studies (a stopped study's queue waits).
     * Concurrent claimers skip each other's locked rows.
     */
    public Optional<Trial> claim(Long studyId, String workerId) {
        return lifecycle.claim(studyId, workerId);
    }

    /** Refreshes the heartbeat (database time); rejected when the trial is no longer this worker's RUNNING trial. */
    public void heartbeat(long trialId, String workerId) {
        lifecycle.heartbeat(trialId, workerId);
    }

    /** Stores a batch of reported episodes of the worker's RUNNING trial (a re-run episode replaces the old row). */
    public void recordMetrics(long trialId, String workerId, List<EpisodeMetric> metrics) {
        lifecycle.recordMetrics(trialId, workerId, metrics);
    }

    /**
     * Ends the worker's RUNNING trial as COMPLETE, PRUNED or FAILED with its learned coefficients and final metrics,
     * in one transaction. Rejected (and nothing written) unless the trial is RUNNING and owned by this worker.
     */
    public void finish(long trialId, String workerId, TrialOutcome o) {
        lifecycle.finish(trialId, workerId, o);
    }

    /**
     * The worker gives its RUNNING trial back after a failure that another attempt may not repeat (the trainer
     * process was killed, or crashed): QUEUED again with the reason, or FAILED once it has had {@code maxAttempts}
     * attempts. Returns the state it ended in.
     */
    public TrialState release(long trialId, String workerId, String reason, int maxAttempts) {
        return lifecycle.release(trialId, workerId, reason, maxAttempts);
    }

    /**
     * The worker is shutting down: its RUNNING trial goes back to QUEUED without using up an attempt, so another
     * worker (or this one after a restart) runs it from the start.
     */
    public void giveBack(long trialId, String workerId, String reason) {
        lifecycle.giveBack(trialId, workerId, reason);
    }

    /**
     * RUNNING trials whose heartbeat (database time) is older than the timeout: back to QUEUED for another attempt,
     * or FAILED, with the reason, once they have had their study's attempts ({@code retries + 1} of its config; for a
     * study without a {@code retries} field, {@code maxAttempts}).
     */
    public ReapResult reap(Duration heartbeatTimeout, int maxAttempts) {
        return lifecycle.reap(heartbeatTimeout, maxAttempts);
    }

    /** The workers of the RUNNING trials. */
    public List<String> runningWorkers() {
        return lifecycle.runningWorkers();
    }

    /**
     * As {@link #reap(Duration, int)}, and also the trials of {@code deadWorkers} (processes known to be gone) whose
     * heartbeat is older than {@link #DEAD_WORKER_GRACE}: they need not wait for the full timeout.
     */
    public ReapResult reap(Duration heartbeatTimeout, int maxAttempts, List<String> deadWorkers) {
        return lifecycle.reap(heartbeatTimeout, maxAttempts, deadWorkers);
    }

    // ---------------------------------------------------------- read-only queries (ResultQueries)

    public StateCounts counts(long studyId) {
        return results.counts(studyId);
    }

    public Optional<Trial> trial(long studyId, int number) {
        return results.trial(studyId, number);
    }

    /** A page of a study's trials in number order, after {@code afterNumber} (keyset paging; -1 for the first). */
    public List<Trial> trials(long studyId, TrialState state, int afterNumber, int limit) {
        return results.trials(studyId, state, afterNumber, limit);
    }

    /** Every trial's reported meta-accuracy by episode, for a whole study in one query: trial id → episode → accuracy. */
    /** The accuracy curves of the trials numbered {@code fromNumber} or higher. */
    public java.util.Map<Long, java.util.TreeMap<Integer, Double>> accuracyCurves(long studyId, int fromNumber) {
        return results.accuracyCurves(studyId, fromNumber);
    }

    public java.util.Map<Long, java.util.TreeMap<Integer, Double>> accuracyCurves(long studyId) {
        return results.accuracyCurves(studyId);
    }

    /** What the meta-training safeguards did in a finished trial (empty: no result, or none reported). */
    public java.util.Optional<SafeguardCounts> safeguardCounts(long trialId) {
        return results.safeguardCounts(trialId);
    }

    /** The stored metrics of a trial, by episode. */
    public List<EpisodeMetric> metrics(long trialId) {
        return results.metrics(trialId);
    }

    /**
     * Where a study's time went, per finished trial with a result: the span from claim to stored result (database
     * clock) and the trainer's own wall time inside its process. Their difference is the orchestration overhead plus
     * the child JVM's start-up.
     */
    public List<TrialTiming> timings(long studyId) {
        return results.timings(studyId);
    }

    /**
     * A value that changes whenever anything a study's plots show changes (a trial starts or ends, an episode is
     * reported); caches of derived views compare it instead of reloading the study.
     */
    public String studyVersion(long studyId) {
        return results.studyVersion(studyId);
    }

    /**
     * Finished trials' learned rules: COMPLETE trials first, best first by the study's direction (their value is the
     * meta-test score), then PRUNED ones (valued by their last report, not comparable with a meta-test score).
     */
    public List<RuleRow> leaderboard(long studyId, boolean maximize, int limit) {
        return results.leaderboard(studyId, maximize, limit);
    }
}
