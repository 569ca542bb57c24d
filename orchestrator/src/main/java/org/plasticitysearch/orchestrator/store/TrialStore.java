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
import org.plasticitysearch.orchestrator.store.Records.EpisodeMetric;
import org.plasticitysearch.orchestrator.store.Records.ReapResult;
import org.plasticitysearch.orchestrator.store.Records.RuleRow;
import org.plasticitysearch.orchestrator.store.Records.StateCounts;
import org.plasticitysearch.orchestrator.store.Records.Study;
import org.plasticitysearch.orchestrator.store.Records.StudyDefinition;
import org.plasticitysearch.orchestrator.store.Records.Trial;
import org.plasticitysearch.orchestrator.store.Records.TrialOutcome;

/**
 * Studies and trials in PostgreSQL, shared by any number of workers on any number of machines. Every statement
 * binds its parameters; every state change is one guarded UPDATE, so the lifecycle holds under concurrency:
 * a trial is claimed by exactly one worker ({@code FOR UPDATE SKIP LOCKED}), finished only by its owner and only
 * once, and a RUNNING trial whose heartbeat stopped is re-queued or failed by the reaper.
 */
public final class TrialStore {
    private static final String TRIAL_COLUMNS =
            "id, study_id, number, state, params::text, seed, attempt, worker_id, error, value";
    private static final int TERMS = org.plasticitysearch.trainer.rule.TermPool.SIZE;
    private static final Duration UNREACHABLE_FOR = Duration.ofSeconds(5);
    /** A dead worker's trial waits this long (three heartbeats) before it is re-queued without the full timeout. */
    public static final Duration DEAD_WORKER_GRACE = Duration.ofSeconds(15);
    /** First key of the two-key advisory locks taken by study runners (the second is the study id). */
    private static final int STUDY_LOCK_CLASS = 0x504c53; // "PLS"

    private final DataSource ds;

    public TrialStore(DataSource ds) {
        this.ds = ds;
    }

    public DataSource dataSource() {
        return ds;
    }

    // ------------------------------------------------------------------------------------------------ studies

    /** Creates the study, or loads the existing study of that name (its stored definition wins). */
    public Study createOrLoadStudy(StudyDefinition d) {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO study (name, config_yaml, config, objective, direction, budget, parallelism)"
                            + " VALUES (?, ?, ?::jsonb, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, d.name());
                ps.setString(2, d.configYaml());
                ps.setString(3, d.configJson());
                ps.setString(4, d.objective());
                ps.setString(5, d.direction().label());
                ps.setInt(6, d.budget());
                ps.setInt(7, d.parallelism());
                ps.executeUpdate();
            }
            return findStudy(c, d.name()).orElseThrow();
        });
    }

    public Optional<Study> study(String name) {
        return tx(c -> findStudy(c, name));
    }

    public List<Study> studies() {
        return tx(c -> {
            List<Study> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(studySelect() + " ORDER BY created_at, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(study(rs));
                }
            }
            return out;
        });
    }

    public void setStudyStatus(long studyId, StudyStatus status) {
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE study SET status = ?, updated_at = now() WHERE id = ?")) {
                ps.setString(1, status.name());
                ps.setLong(2, studyId);
                if (ps.executeUpdate() != 1) {
                    throw new StoreException("study " + studyId + " does not exist");
                }
            }
            return null;
        });
    }

    /**
     * Deletes the study with its trials, terms, metrics and results (verification studies of it stay, unlinked).
     * Returns the number of trials deleted.
     */
    public int deleteStudy(long studyId) {
        return tx(c -> {
            int trials;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM trial WHERE study_id = ?")) {
                ps.setLong(1, studyId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    trials = rs.getInt(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM study WHERE id = ?")) {
                ps.setLong(1, studyId);
                ps.executeUpdate();
            }
            return trials;
        });
    }

    /** Marks a study as the verification study of another (kind 'verification', parent_id). */
    public void linkVerification(long studyId, long parentId) {
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE study SET kind = 'verification', parent_id = ?, updated_at = now() WHERE id = ?")) {
                ps.setLong(1, parentId);
                ps.setLong(2, studyId);
                if (ps.executeUpdate() != 1) {
                    throw new StoreException("study " + studyId + " does not exist");
                }
            }
            return null;
        });
    }

    /** A new global budget (e.g. {@code study run --trials N}); a DONE study below it runs again. */
    public void setStudyBudget(long studyId, int budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget: " + budget + " is not allowed; use 0 or more");
        }
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE study SET budget = ?, updated_at = now() WHERE id = ?")) {
                ps.setInt(1, budget);
                ps.setLong(2, studyId);
                if (ps.executeUpdate() != 1) {
                    throw new StoreException("study " + studyId + " does not exist");
                }
            }
            return null;
        });
    }

    /**
     * Runs {@code body} while this process holds the study's PostgreSQL advisory lock, so that of all the
     * orchestrators on a database exactly one asks the sampler for a study at a time (the sampler sees the whole
     * history and numbers trials densely). Returns false, without running it, when another process holds it.
     */
    public boolean withStudyLock(long studyId, Runnable body) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                ps.setInt(1, STUDY_LOCK_CLASS);
                ps.setInt(2, Math.toIntExact(studyId));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return false;
                    }
                }
            }
            try {
                body.run();
            } finally {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                    ps.setInt(1, STUDY_LOCK_CLASS);
                    ps.setInt(2, Math.toIntExact(studyId));
                    ps.execute();
                }
            }
            return true;
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        }
    }

    private static String studySelect() {
        return "SELECT id, name, objective, direction, budget, parallelism, status, config_yaml, config::text, kind,"
                + " parent_id FROM study";
    }

    private static Optional<Study> findStudy(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(studySelect() + " WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(study(rs)) : Optional.empty();
            }
        }
    }

    private static Study study(ResultSet rs) throws SQLException {
        long parent = rs.getLong(11);
        Long parentId = rs.wasNull() ? null : parent; // wasNull refers to the last column read
        return new Study(rs.getLong(1), rs.getString(2), rs.getString(3), Direction.of(rs.getString(4)), rs.getInt(5),
                rs.getInt(6), StudyStatus.valueOf(rs.getString(7)), rs.getString(8), rs.getString(9),
                StudyKind.of(rs.getString(10)),
                parentId);
    }

    // ------------------------------------------------------------------------------------------------ workers

    public void registerWorker(String workerId, String host, long pid) {
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO worker (id, host, pid) VALUES (?, ?, ?)"
                            + " ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid, last_seen = now()")) {
                ps.setString(1, workerId);
                ps.setString(2, host);
                ps.setLong(3, pid);
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ------------------------------------------------------------------------------------------------ trials

    /**
     * Adds a QUEUED trial with the study's next dense number (taken in the same transaction, so numbers are
     * 0, 1, 2, ... without gaps however many processes enqueue) and its rule's initial coefficients.
     */
    public Trial enqueue(long studyId, String paramsJson, long seed, int[] activeTerms, double[] thetaInit) {
        return enqueue(studyId, paramsJson, seed, activeTerms, thetaInit, null);
    }

    /** As above; in a verification study, sourceTrial is the parent study's trial whose rule this one re-trains. */
    public Trial enqueue(long studyId, String paramsJson, long seed, int[] activeTerms, double[] thetaInit,
                         Integer sourceTrial) {
        if (thetaInit.length != TERMS) {
            throw new IllegalArgumentException("thetaInit: " + thetaInit.length + " entries; expected " + TERMS);
        }
        return tx(c -> {
            int number;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE study SET next_number = next_number + 1, updated_at = now() WHERE id = ?"
                            + " RETURNING next_number - 1")) {
                ps.setLong(1, studyId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException("study " + studyId + " does not exist");
                    }
                    number = rs.getInt(1);
                }
            }
            Trial t;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO trial (study_id, number, params, seed, source_trial) VALUES (?, ?, ?::jsonb, ?, ?)"
                            + " RETURNING " + TRIAL_COLUMNS)) {
                ps.setLong(1, studyId);
                ps.setInt(2, number);
                ps.setString(3, paramsJson);
                ps.setLong(4, seed);
                setInt(ps, 5, sourceTrial);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    t = trial(rs);
                }
            }
            boolean[] active = new boolean[TERMS];
            for (int r : activeTerms) {
                if (r < 0 || r >= TERMS) {
                    throw new IllegalArgumentException("activeTerms: index " + r + " is not allowed; use 0..9");
                }
                active[r] = true;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO trial_term (trial_id, term, active, theta_init) VALUES (?, ?, ?, ?)")) {
                for (int r = 0; r < TERMS; r++) {
                    ps.setLong(1, t.id());
                    ps.setInt(2, r);
                    ps.setBoolean(3, active[r]);
                    ps.setDouble(4, thetaInit[r]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return t;
        });
    }

    /**
     * Claims the oldest QUEUED trial of the study (or, with {@code studyId == null}, of any study) for the
     * worker: RUNNING, heartbeat now, attempt + 1; only trials of RUNNING studies (a stopped study's queue waits).
     * Concurrent claimers skip each other's locked rows.
     */
    public Optional<Trial> claim(Long studyId, String workerId) {
        String pick = studyId != null
                ? "SELECT t.id FROM trial t WHERE t.state = 'QUEUED' AND t.study_id = ? AND EXISTS (SELECT 1 FROM"
                        + " study s WHERE s.id = t.study_id AND s.status = 'RUNNING') ORDER BY t.number LIMIT 1"
                        + " FOR UPDATE OF t SKIP LOCKED"
                : "SELECT t.id FROM trial t WHERE t.state = 'QUEUED' AND EXISTS (SELECT 1 FROM study s"
                        + " WHERE s.id = t.study_id AND s.status = 'RUNNING') ORDER BY t.id LIMIT 1 FOR UPDATE OF t SKIP LOCKED";
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE trial SET state = 'RUNNING', worker_id = ?, heartbeat_at = now(), started_at = now(),"
                            + " attempt = attempt + 1 WHERE id = (" + pick + ") AND state = 'QUEUED'"
                            + " RETURNING " + TRIAL_COLUMNS)) {
                ps.setString(1, workerId);
                if (studyId != null) {
                    ps.setLong(2, studyId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(trial(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Refreshes the heartbeat (database time); rejected when the trial is no longer this worker's RUNNING trial. */
    public void heartbeat(long trialId, String workerId) {
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE trial SET heartbeat_at = now() WHERE id = ? AND state = 'RUNNING' AND worker_id = ?")) {
                ps.setLong(1, trialId);
                ps.setString(2, workerId);
                if (ps.executeUpdate() != 1) {
                    throw rejection(c, trialId, workerId, "heartbeat");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE worker SET last_seen = now() WHERE id = ?")) {
                ps.setString(1, workerId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Stores a batch of reported episodes of the worker's RUNNING trial (a re-run episode replaces the old row). */
    public void recordMetrics(long trialId, String workerId, List<EpisodeMetric> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        tx(c -> {
            requireOwner(c, trialId, workerId, "record metrics");
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO trial_metric (trial_id, episode, meta_loss, accuracy, theta, alignment_deg, ortho_error,"
                            + " grad_norm, clipped_episodes, rejected_episodes, limited_episodes, rejected)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (trial_id, episode) DO UPDATE SET"
                            + " meta_loss = EXCLUDED.meta_loss, accuracy = EXCLUDED.accuracy, theta = EXCLUDED.theta,"
                            + " alignment_deg = EXCLUDED.alignment_deg, ortho_error = EXCLUDED.ortho_error,"
                            + " grad_norm = EXCLUDED.grad_norm, clipped_episodes = EXCLUDED.clipped_episodes,"
                            + " rejected_episodes = EXCLUDED.rejected_episodes,"
                            + " limited_episodes = EXCLUDED.limited_episodes, rejected = EXCLUDED.rejected,"
                            + " recorded_at = now()")) {
                for (EpisodeMetric m : metrics) {
                    ps.setLong(1, trialId);
                    ps.setInt(2, m.episode());
                    setDouble(ps, 3, m.metaLoss());
                    setDouble(ps, 4, m.accuracy());
                    ps.setArray(5, array(c, m.theta()));
                    ps.setArray(6, array(c, m.alignmentDeg()));
                    ps.setArray(7, array(c, m.orthoError()));
                    setDouble(ps, 8, m.gradNorm());
                    setInt(ps, 9, m.clipped());
                    setInt(ps, 10, m.rejected());
                    setInt(ps, 11, m.limited());
                    if (m.wasRejected() == null) {
                        ps.setNull(12, Types.BOOLEAN);
                    } else {
                        ps.setBoolean(12, m.wasRejected());
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /**
     * Ends the worker's RUNNING trial as COMPLETE, PRUNED or FAILED with its learned coefficients and final metrics,
     * in one transaction. Rejected (and nothing written) unless the trial is RUNNING and owned by this worker.
     */
    public void finish(long trialId, String workerId, TrialOutcome o) {
        if (!o.state().finished()) {
            throw new IllegalArgumentException("finish: state " + o.state() + " is not allowed; use COMPLETE,"
                    + " PRUNED or FAILED");
        }
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE trial SET state = ?, finished_at = now(), value = ?, error = COALESCE(?, error)"
                            + " WHERE id = ? AND state = 'RUNNING' AND worker_id = ?")) {
                ps.setString(1, o.state().name());
                setDouble(ps, 2, o.value());
                ps.setString(3, o.error());
                ps.setLong(4, trialId);
                ps.setString(5, workerId);
                if (ps.executeUpdate() != 1) {
                    throw rejection(c, trialId, workerId, "finish");
                }
            }
            if (o.thetaFinal() != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE trial_term SET theta_final = ?, update_share = ? WHERE trial_id = ? AND term = ?")) {
                    for (int r = 0; r < TERMS; r++) {
                        ps.setDouble(1, o.thetaFinal()[r]);
                        setDouble(ps, 2, o.termShares() == null ? null : o.termShares()[r]);
                        ps.setLong(3, trialId);
                        ps.setInt(4, r);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO trial_result (trial_id, test_accuracy, test_ci_low, test_ci_high, ci_level,"
                            + " eval_tasks, episodes_completed, partial, wall_s, clipped_episodes, rejected_episodes,"
                            + " limited_episodes, safeguards) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
                ps.setLong(1, trialId);
                setDouble(ps, 2, o.testAccuracy());
                setDouble(ps, 3, o.ciLow());
                setDouble(ps, 4, o.ciHigh());
                setDouble(ps, 5, o.ciLevel());
                setInt(ps, 6, o.evalTasks());
                setInt(ps, 7, o.episodesCompleted());
                ps.setBoolean(8, o.partial());
                setDouble(ps, 9, o.wallSeconds());
                setInt(ps, 10, o.safeguards() == null ? null : o.safeguards().clipped());
                setInt(ps, 11, o.safeguards() == null ? null : o.safeguards().rejected());
                setInt(ps, 12, o.safeguards() == null ? null : o.safeguards().limited());
                ps.setString(13, o.safeguards() == null ? null : o.safeguards().settingsJson());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The worker gives its RUNNING trial back after a failure that another attempt may not repeat (the trainer
     * process was killed, or crashed): QUEUED again with the reason, or FAILED once it has had {@code maxAttempts}
     * attempts. Returns the state it ended in.
     */
    public TrialState release(long trialId, String workerId, String reason, int maxAttempts) {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE trial SET"
                            + " state = CASE WHEN attempt >= ? THEN 'FAILED' ELSE 'QUEUED' END,"
                            + " error = ? || ' (attempt ' || attempt || ' of ' || ? || ')',"
                            + " finished_at = CASE WHEN attempt >= ? THEN now() ELSE NULL END,"
                            + " queued_at = CASE WHEN attempt >= ? THEN queued_at ELSE now() END,"
                            + " worker_id = NULL, heartbeat_at = NULL"
                            + " WHERE id = ? AND state = 'RUNNING' AND worker_id = ? RETURNING state")) {
                ps.setInt(1, maxAttempts);
                ps.setString(2, reason);
                ps.setInt(3, maxAttempts);
                ps.setInt(4, maxAttempts);
                ps.setInt(5, maxAttempts);
                ps.setLong(6, trialId);
                ps.setString(7, workerId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw rejection(c, trialId, workerId, "release");
                    }
                    return TrialState.valueOf(rs.getString(1));
                }
            }
        });
    }

    /**
     * The worker is shutting down: its RUNNING trial goes back to QUEUED without using up an attempt, so another
     * worker (or this one after a restart) runs it from the start.
     */
    public void giveBack(long trialId, String workerId, String reason) {
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE trial SET state = 'QUEUED', attempt = attempt - 1, error = ?, queued_at = now(),"
                            + " worker_id = NULL, heartbeat_at = NULL WHERE id = ? AND state = 'RUNNING' AND worker_id = ?")) {
                ps.setString(1, reason);
                ps.setLong(2, trialId);
                ps.setString(3, workerId);
                if (ps.executeUpdate() != 1) {
                    throw rejection(c, trialId, workerId, "give back");
                }
            }
            return null;
        });
    }

    /**
     * RUNNING trials whose heartbeat (database time) is older than the timeout: back to QUEUED for another attempt,
     * or FAILED, with the reason, once they have had their study's attempts ({@code retries + 1} of its config; for a
     * study without a {@code retries} field, {@code maxAttempts}).
     */
    public ReapResult reap(Duration heartbeatTimeout, int maxAttempts) {
        return reap(heartbeatTimeout, maxAttempts, List.of());
    }

    /** The workers of the RUNNING trials. */
    public List<String> runningWorkers() {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT DISTINCT worker_id FROM trial WHERE state = 'RUNNING' AND worker_id IS NOT NULL");
                 ResultSet rs = ps.executeQuery()) {
                List<String> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
                return ids;
            }
        });
    }

    /**
     * As {@link #reap(Duration, int)}, and also the trials of {@code deadWorkers} (processes known to be gone) whose
     * heartbeat is older than {@link #DEAD_WORKER_GRACE}: they need not wait for the full timeout.
     */
    public ReapResult reap(Duration heartbeatTimeout, int maxAttempts, List<String> deadWorkers) {
        // the limit is the study's own (retries + 1, from its stored config), else maxAttempts
        String limit = "COALESCE((SELECT (s.config->>'retries')::int + 1 FROM study s WHERE s.id = trial.study_id"
                + " AND s.config->>'retries' ~ '^[0-9]+$'), ?)";
        return tx(c -> {
            List<Long> requeued = new ArrayList<>();
            List<Long> failed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE trial SET"
                            + " state = CASE WHEN attempt >= " + limit + " THEN 'FAILED' ELSE 'QUEUED' END,"
                            + " error = CASE WHEN worker_id = ANY(?) THEN 'worker ' || worker_id || ' died (its process"
                            + " is gone)' ELSE 'heartbeat lost: worker ' || worker_id || ' silent for more than ' || ?"
                            + " || ' s' END || ' (attempt ' || attempt || ' of ' || " + limit + " || ')',"
                            + " finished_at = CASE WHEN attempt >= " + limit + " THEN now() ELSE NULL END,"
                            + " queued_at = CASE WHEN attempt >= " + limit + " THEN queued_at ELSE now() END,"
                            + " worker_id = NULL, heartbeat_at = NULL"
                            + " WHERE state = 'RUNNING' AND (heartbeat_at < now() - make_interval(secs => ?)"
                            + " OR (worker_id = ANY(?) AND heartbeat_at < now() - make_interval(secs => ?)))"
                            + " RETURNING id, state")) {
                java.sql.Array dead = c.createArrayOf("text", deadWorkers.toArray());
                ps.setInt(1, maxAttempts);
                ps.setArray(2, dead);
                ps.setLong(3, heartbeatTimeout.toSeconds());
                ps.setInt(4, maxAttempts);
                ps.setInt(5, maxAttempts);
                ps.setInt(6, maxAttempts);
                ps.setDouble(7, heartbeatTimeout.toMillis() / 1000.0);
                ps.setArray(8, dead);
                ps.setDouble(9, DEAD_WORKER_GRACE.toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        (rs.getString(2).equals("FAILED") ? failed : requeued).add(rs.getLong(1));
                    }
                }
            }
            return new ReapResult(requeued, failed);
        });
    }

    public StateCounts counts(long studyId) {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FILTER (WHERE state = 'QUEUED'), count(*) FILTER (WHERE state = 'RUNNING'),"
                            + " count(*) FILTER (WHERE state = 'COMPLETE'), count(*) FILTER (WHERE state = 'PRUNED'),"
                            + " count(*) FILTER (WHERE state = 'FAILED') FROM trial WHERE study_id = ?")) {
                ps.setLong(1, studyId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new StateCounts(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5));
                }
            }
        });
    }

    public Optional<Trial> trial(long studyId, int number) {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + TRIAL_COLUMNS + " FROM trial WHERE study_id = ? AND number = ?")) {
                ps.setLong(1, studyId);
                ps.setInt(2, number);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(trial(rs)) : Optional.empty();
                }
            }
        });
    }

    /** A page of a study's trials in number order, after {@code afterNumber} (keyset paging; -1 for the first). */
    public List<Trial> trials(long studyId, TrialState state, int afterNumber, int limit) {
        return tx(c -> {
            String sql = "SELECT " + TRIAL_COLUMNS + " FROM trial WHERE study_id = ? AND number > ?"
                    + (state != null ? " AND state = ?" : "") + " ORDER BY number LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setLong(i++, studyId);
                ps.setInt(i++, afterNumber);
                if (state != null) {
                    ps.setString(i++, state.name());
                }
                ps.setInt(i, limit);
                List<Trial> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(trial(rs));
                    }
                }
                return out;
            }
        });
    }

    /** Every trial's reported meta-accuracy by episode, for a whole study in one query: trial id → episode → accuracy. */
    public java.util.Map<Long, java.util.TreeMap<Integer, Double>> accuracyCurves(long studyId) {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT m.trial_id, m.episode, m.accuracy FROM trial_metric m JOIN trial t ON t.id = m.trial_id"
                            + " WHERE t.study_id = ? AND m.accuracy IS NOT NULL AND m.rejected IS NOT TRUE")) {
                ps.setLong(1, studyId);
                java.util.Map<Long, java.util.TreeMap<Integer, Double>> out = new java.util.HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getLong(1), k -> new java.util.TreeMap<>()).put(rs.getInt(2), rs.getDouble(3));
                    }
                }
                return out;
            }
        });
    }

    /** What the meta-training safeguards did in a finished trial (empty: no result, or none reported). */
    public java.util.Optional<Records.SafeguardCounts> safeguardCounts(long trialId) {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT clipped_episodes, rejected_episodes,"
                    + " limited_episodes, safeguards::text FROM trial_result WHERE trial_id = ?"
                    + " AND clipped_episodes IS NOT NULL")) {
                ps.setLong(1, trialId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? java.util.Optional.of(new Records.SafeguardCounts(rs.getInt(1), rs.getInt(2),
                            rs.getInt(3), rs.getString(4))) : java.util.Optional.<Records.SafeguardCounts>empty();
                }
            }
        });
    }

    /** The stored metrics of a trial, by episode. */
    public List<EpisodeMetric> metrics(long trialId) {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT episode, meta_loss, accuracy, theta, alignment_deg, ortho_error, grad_norm,"
                            + " clipped_episodes, rejected_episodes, limited_episodes, rejected FROM trial_metric WHERE trial_id = ? ORDER BY episode")) {
                ps.setLong(1, trialId);
                List<EpisodeMetric> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new EpisodeMetric(rs.getInt(1), getDouble(rs, 2), getDouble(rs, 3),
                                doubles(rs.getArray(4)), doubles(rs.getArray(5)), doubles(rs.getArray(6)),
                                getDouble(rs, 7), getInt(rs, 8), getInt(rs, 9), getInt(rs, 10),
                                (Boolean) rs.getObject(11)));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Where a study's time went, per finished trial with a result: the span from claim to stored result (database
     * clock) and the trainer's own wall time inside its process. Their difference is the orchestration overhead plus
     * the child JVM's start-up.
     */
    public List<Records.TrialTiming> timings(long studyId) {
        return tx(c -> {
            List<Records.TrialTiming> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT t.number, EXTRACT(EPOCH FROM (t.finished_at - t.started_at)), r.wall_s FROM trial t"
                            + " JOIN trial_result r ON r.trial_id = t.id WHERE t.study_id = ? AND r.wall_s IS NOT NULL"
                            + " AND t.state IN ('COMPLETE', 'PRUNED') ORDER BY t.number")) {
                ps.setLong(1, studyId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Records.TrialTiming(rs.getInt(1), rs.getDouble(2), rs.getDouble(3)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * A value that changes whenever anything a study's plots show changes (a trial starts or ends, an episode is
     * reported); caches of derived views compare it instead of reloading the study.
     */
    public String studyVersion(long studyId) {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*), count(finished_at), max(finished_at)::text, max(started_at)::text,"
                            + " (SELECT max(m.recorded_at)::text FROM trial_metric m JOIN trial u ON u.id = m.trial_id"
                            + " WHERE u.study_id = ?) FROM trial WHERE study_id = ?")) {
                ps.setLong(1, studyId);
                ps.setLong(2, studyId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getString(3) + "/" + rs.getString(4) + "/"
                            + rs.getString(5);
                }
            }
        });
    }

    /**
     * Finished trials' learned rules: COMPLETE trials first, best first by the study's direction (their value is the
     * meta-test score), then PRUNED ones (valued by their last report, not comparable with a meta-test score).
     */
    public List<RuleRow> leaderboard(long studyId, boolean maximize, int limit) {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT trial, state, active_terms, theta, test_accuracy, test_ci_low, test_ci_high, value,"
                            + " update_share FROM learned_rule WHERE study = (SELECT name FROM study WHERE id = ?)"
                            + " ORDER BY (state = 'COMPLETE') DESC, value " + (maximize ? "DESC" : "ASC")
                            + " NULLS LAST, trial LIMIT ?")) {
                ps.setLong(1, studyId);
                ps.setInt(2, limit);
                List<RuleRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Array terms = rs.getArray(3);
                        int[] active = new int[0];
                        if (terms != null) {
                            Object[] a = (Object[]) terms.getArray();
                            active = new int[a.length];
                            for (int i = 0; i < a.length; i++) {
                                active[i] = ((Number) a[i]).intValue();
                            }
                        }
                        out.add(new RuleRow(rs.getInt(1), TrialState.valueOf(rs.getString(2)), active,
                                doubles(rs.getArray(4)), getDouble(rs, 5), getDouble(rs, 6), getDouble(rs, 7),
                                getDouble(rs, 8), doubles(rs.getArray(9))));
                    }
                }
                return out;
            }
        });
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void requireOwner(Connection c, long trialId, String workerId, String action) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM trial WHERE id = ? AND state = 'RUNNING' AND worker_id = ? FOR SHARE")) {
            ps.setLong(1, trialId);
            ps.setString(2, workerId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw rejection(c, trialId, workerId, action);
                }
            }
        }
    }

    /** Why a guarded change did not apply, in one line. */
    private static TransitionRejectedException rejection(Connection c, long trialId, String workerId, String action)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state, worker_id FROM trial WHERE id = ?")) {
            ps.setLong(1, trialId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new TransitionRejectedException(action + ": trial " + trialId + " does not exist");
                }
                String state = rs.getString(1);
                String owner = rs.getString(2);
                if (!state.equals("RUNNING")) {
                    return new TransitionRejectedException(action + ": trial " + trialId + " is " + state
                            + ", not RUNNING");
                }
                return new TransitionRejectedException(action + ": trial " + trialId + " is RUNNING on worker "
                        + owner + ", not on " + workerId);
            }
        }
    }

    private static Trial trial(ResultSet rs) throws SQLException {
        return new Trial(rs.getLong(1), rs.getLong(2), rs.getInt(3), TrialState.valueOf(rs.getString(4)),
                rs.getString(5), rs.getLong(6), rs.getInt(7), rs.getString(8), rs.getString(9), getDouble(rs, 10));
    }

    private static Array array(Connection c, double[] v) throws SQLException {
        if (v == null) {
            return null;
        }
        Double[] boxed = new Double[v.length];
        for (int i = 0; i < v.length; i++) {
            boxed[i] = Double.isFinite(v[i]) ? v[i] : null;
        }
        return c.createArrayOf("float8", boxed);
    }

    private static double[] doubles(Array a) throws SQLException {
        if (a == null) {
            return null;
        }
        Object[] o = (Object[]) a.getArray();
        double[] d = new double[o.length];
        for (int i = 0; i < o.length; i++) {
            d[i] = o[i] == null ? Double.NaN : ((Number) o[i]).doubleValue();
        }
        return d;
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null || !Double.isFinite(v)) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    private static Double getDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    private static Integer getInt(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    /** A unit of work in one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Until when the database counts as unreachable: after one connection attempt timed out (3 s), the calls of the
     * next seconds fail at once instead of waiting 3 s each (a worker whose database is gone stops in seconds).
     */
    private volatile long unreachableUntil;

    private <T> T tx(Work<T> work) {
        if (System.nanoTime() - unreachableUntil < 0) {
            throw new StoreException("database error: unreachable (a connection attempt timed out just before)");
        }
        Connection open;
        try {
            open = ds.getConnection();
        } catch (java.sql.SQLTransientConnectionException e) {
            unreachableUntil = System.nanoTime() + UNREACHABLE_FOR.toNanos();
            throw new StoreException("database error: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        }
        try (Connection c = open) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        }
    }
}
