package org.plasticitysearch.orchestrator.store;

import org.plasticitysearch.search.TrialState;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Read queries for people: every trial of a study as one tidy row (what Optuna's {@code trials_dataframe()} gives,
 * plus the learned coefficients and each term's share of the update), and the most common failure reasons.
 */
public final class TrialTable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DataSource ds;

    public TrialTable(DataSource ds) {
        this.ds = ds;
    }

    /**
     * One trial. Times are null while they have not happened; theta and share are indexed by term (F0..F9) and
     * null when not stored (a queued, running or failed trial has no final theta; shares need a meta-test).
     */
    public record Row(long id, int number, TrialState state, Double value, Instant start, Instant complete,
                      Map<String, Object> params, Double testAccuracy, Double ciLow, Double ciHigh, Double[] theta,
                      Double[] share, int attempts, String error, Integer sourceTrial, long seed) {
        /** Seconds from start to completion, or null. */
        public Double durationSeconds() {
            return start == null || complete == null ? null
                    : java.time.Duration.between(start, complete).toNanos() / 1e9;
        }
    }

    /** A failure reason and how many trials failed with it. */
    public record Reason(String error, int trials) {
    }

    /** Every trial of the study, by number. */
    public List<Row> rows(long studyId) {
        String sql = "SELECT t.number, t.state, t.value, t.started_at, t.finished_at, t.params::text, t.attempt,"
                + " t.error, t.source_trial, r.test_accuracy, r.test_ci_low, r.test_ci_high,"
                + " (SELECT array_agg(tt.theta_final ORDER BY tt.term) FROM trial_term tt WHERE tt.trial_id = t.id),"
                + " (SELECT array_agg(tt.update_share ORDER BY tt.term) FROM trial_term tt WHERE tt.trial_id = t.id)"
                + ", t.id, t.seed FROM trial t LEFT JOIN trial_result r ON r.trial_id = t.id WHERE t.study_id = ? ORDER BY t.number";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, studyId);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(15), rs.getInt(1), TrialState.valueOf(rs.getString(2)), (Double) rs.getObject(3),
                            instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)), params(rs.getString(6)),
                            (Double) rs.getObject(10), (Double) rs.getObject(11), (Double) rs.getObject(12),
                            doubles(rs.getArray(13)), doubles(rs.getArray(14)), rs.getInt(7), rs.getString(8),
                            (Integer) rs.getObject(9), rs.getLong(16)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException("cannot read the trials: " + e.getMessage(), e);
        }
    }

    /** The most common reasons of the study's FAILED trials, most frequent first. */
    public List<Reason> failureReasons(long studyId, int limit) {
        String sql = "SELECT coalesce(error, 'no reason stored'), count(*) FROM trial WHERE study_id = ?"
                + " AND state = 'FAILED' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, studyId);
            ps.setInt(2, limit);
            List<Reason> reasons = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reasons.add(new Reason(rs.getString(1), rs.getInt(2)));
                }
            }
            return reasons;
        } catch (SQLException e) {
            throw new StoreException("cannot read the failure reasons: " + e.getMessage(), e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Map<String, Object> params(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (java.io.IOException e) {
            throw new StoreException("a trial's params are not JSON: " + e.getMessage(), e);
        }
    }

    private static Double[] doubles(Array a) throws SQLException {
        if (a == null) {
            return null;
        }
        Object[] raw = (Object[]) a.getArray();
        Double[] d = new Double[raw.length];
        boolean any = false;
        for (int i = 0; i < raw.length; i++) {
            d[i] = raw[i] == null ? null : ((Number) raw[i]).doubleValue();
            any |= d[i] != null;
        }
        return any ? d : null;
    }
}
