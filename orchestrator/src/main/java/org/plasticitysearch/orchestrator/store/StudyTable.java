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
 * Studies: create or load, list, status, budget, verification links, deletion, and the advisory lock
 * under which one orchestrator at a time fills a study's queue.
 */
final class StudyTable {
    /** First key of the two-key advisory locks taken by study runners (the second is the study id). */
    private static final int STUDY_LOCK_CLASS = 0x504c53; // "PLS"

    private final Transactions db;

    StudyTable(Transactions db) {
        this.db = db;
    }

    Study createOrLoadStudy(StudyDefinition d) {
        return db.tx(c -> {
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

    Optional<Study> study(String name) {
        return db.tx(c -> findStudy(c, name));
    }

    List<Study> studies() {
        return db.tx(c -> {
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

    void setStudyStatus(long studyId, StudyStatus status) {
        db.tx(c -> {
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

    int deleteStudy(long studyId) {
        return db.tx(c -> {
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

    void linkVerification(long studyId, long parentId) {
        db.tx(c -> {
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

    void setStudyBudget(long studyId, int budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget: " + budget + " is not allowed; use 0 or more");
        }
        db.tx(c -> {
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

    boolean withStudyLock(long studyId, Runnable body) {
        try (Connection c = db.dataSource().getConnection()) {
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
}
