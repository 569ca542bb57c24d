package org.plasticitysearch.orchestrator.store;

import static org.plasticitysearch.orchestrator.store.Transactions.*;

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
 * The trial lifecycle, every change one guarded UPDATE: enqueue with dense numbers, claim
 * ({@code FOR UPDATE SKIP LOCKED}), heartbeat, metrics, finish by the owner only and only once, release and give
 * back, and the reaper's re-queueing of trials whose worker stopped beating or died.
 */
final class TrialLifecycle {
    private final Transactions db;

    TrialLifecycle(Transactions db) {
        this.db = db;
    }

    Trial enqueue(long studyId, String paramsJson, long seed, int[] activeTerms, double[] thetaInit) {
        return enqueue(studyId, paramsJson, seed, activeTerms, thetaInit, null);
    }

    Trial enqueue(long studyId, String paramsJson, long seed, int[] activeTerms, double[] thetaInit,
                         Integer sourceTrial) {
        if (thetaInit.length != TERMS) {
            throw new IllegalArgumentException("thetaInit: " + thetaInit.length + " entries; expected " + TERMS);
        }
        return db.tx(c -> {
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
                    t = trialRow(rs);
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

    Optional<Trial> claim(Long studyId, String workerId) {
        String pick = studyId != null
                ? "SELECT t.id FROM trial t WHERE t.state = 'QUEUED' AND t.study_id = ? AND EXISTS (SELECT 1 FROM"
                        + " study s WHERE s.id = t.study_id AND s.status = 'RUNNING') ORDER BY t.number LIMIT 1"
                        + " FOR UPDATE OF t SKIP LOCKED"
                : "SELECT t.id FROM trial t WHERE t.state = 'QUEUED' AND EXISTS (SELECT 1 FROM study s"
                        + " WHERE s.id = t.study_id AND s.status = 'RUNNING') ORDER BY t.id LIMIT 1 FOR UPDATE OF t SKIP LOCKED";
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE trial SET state = 'RUNNING', worker_id = ?, heartbeat_at = now(), started_at = now(),"
                            + " attempt = attempt + 1 WHERE id = (" + pick + ") AND state = 'QUEUED'"
                            + " RETURNING " + TRIAL_COLUMNS)) {
                ps.setString(1, workerId);
                if (studyId != null) {
                    ps.setLong(2, studyId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(trialRow(rs)) : Optional.empty();
                }
            }
        });
    }

    void heartbeat(long trialId, String workerId) {
        db.tx(c -> {
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

    void recordMetrics(long trialId, String workerId, List<EpisodeMetric> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        db.tx(c -> {
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

    void finish(long trialId, String workerId, TrialOutcome o) {
        if (!o.state().finished()) {
            throw new IllegalArgumentException("finish: state " + o.state() + " is not allowed; use COMPLETE,"
                    + " PRUNED or FAILED");
        }
        db.tx(c -> {
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

    TrialState release(long trialId, String workerId, String reason, int maxAttempts) {
        return db.tx(c -> {
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

    void giveBack(long trialId, String workerId, String reason) {
        db.tx(c -> {
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

    ReapResult reap(Duration heartbeatTimeout, int maxAttempts) {
        return reap(heartbeatTimeout, maxAttempts, List.of());
    }

    List<String> runningWorkers() {
        return db.tx(c -> {
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

    ReapResult reap(Duration heartbeatTimeout, int maxAttempts, List<String> deadWorkers) {
        // the limit is the study's own (retries + 1, from its stored config), else maxAttempts
        String limit = "COALESCE((SELECT (s.config->>'retries')::int + 1 FROM study s WHERE s.id = trial.study_id"
                + " AND s.config->>'retries' ~ '^[0-9]+$'), ?)";
        return db.tx(c -> {
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
                ps.setDouble(9, TrialStore.DEAD_WORKER_GRACE.toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        (rs.getString(2).equals("FAILED") ? failed : requeued).add(rs.getLong(1));
                    }
                }
            }
            return new ReapResult(requeued, failed);
        });
    }

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
}
