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
 * Read-only queries over a study's trials and results: counts, trials by state, accuracy curves,
 * metrics, timings, the change marker of the dashboard, and the leaderboard of learned rules.
 */
final class ResultQueries {
    private final Transactions db;

    ResultQueries(Transactions db) {
        this.db = db;
    }

    StateCounts counts(long studyId) {
        return db.tx(c -> {
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

    Optional<Trial> trial(long studyId, int number) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + TRIAL_COLUMNS + " FROM trial WHERE study_id = ? AND number = ?")) {
                ps.setLong(1, studyId);
                ps.setInt(2, number);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(trialRow(rs)) : Optional.empty();
                }
            }
        });
    }

    List<Trial> trials(long studyId, TrialState state, int afterNumber, int limit) {
        return db.tx(c -> {
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
                        out.add(trialRow(rs));
                    }
                }
                return out;
            }
        });
    }

    java.util.Map<Long, java.util.TreeMap<Integer, Double>> accuracyCurves(long studyId) {
        return accuracyCurves(studyId, 0);
    }

    /** The curves of the trials numbered fromNumber or higher. */
    java.util.Map<Long, java.util.TreeMap<Integer, Double>> accuracyCurves(long studyId, int fromNumber) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    // the trials first (their index), then their metrics (trial_metric's key): a few trials' rows,
                    // not a join over every metric of the study
                    "SELECT m.trial_id, m.episode, m.accuracy FROM trial_metric m WHERE m.trial_id = ANY(ARRAY("
                            + "SELECT id FROM trial WHERE study_id = ? AND number >= ?)) AND m.accuracy IS NOT NULL"
                            + " AND m.rejected IS NOT TRUE")) {
                ps.setLong(1, studyId);
                ps.setInt(2, fromNumber);
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

    java.util.Optional<SafeguardCounts> safeguardCounts(long trialId) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT clipped_episodes, rejected_episodes,"
                    + " limited_episodes, safeguards::text FROM trial_result WHERE trial_id = ?"
                    + " AND clipped_episodes IS NOT NULL")) {
                ps.setLong(1, trialId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? java.util.Optional.of(new SafeguardCounts(rs.getInt(1), rs.getInt(2),
                            rs.getInt(3), rs.getString(4))) : java.util.Optional.<SafeguardCounts>empty();
                }
            }
        });
    }

    List<EpisodeMetric> metrics(long trialId) {
        return db.tx(c -> {
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

    List<TrialTiming> timings(long studyId) {
        return db.tx(c -> {
            List<TrialTiming> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT t.number, EXTRACT(EPOCH FROM (t.finished_at - t.started_at)), r.wall_s FROM trial t"
                            + " JOIN trial_result r ON r.trial_id = t.id WHERE t.study_id = ? AND r.wall_s IS NOT NULL"
                            + " AND t.state IN ('COMPLETE', 'PRUNED') ORDER BY t.number")) {
                ps.setLong(1, studyId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TrialTiming(rs.getInt(1), rs.getDouble(2), rs.getDouble(3)));
                    }
                }
            }
            return out;
        });
    }

    String studyVersion(long studyId) {
        return db.tx(c -> {
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

    List<RuleRow> leaderboard(long studyId, boolean maximize, int limit) {
        return db.tx(c -> {
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
}
