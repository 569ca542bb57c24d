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
 * The store's connection to PostgreSQL: one transaction per unit of work, fast failure for a few seconds after a
 * connection attempt timed out, and the JDBC conversions the parts of the store share.
 */
final class Transactions {
    static final String TRIAL_COLUMNS =
            "id, study_id, number, state, params::text, seed, attempt, worker_id, error, value";

    static final int TERMS = org.plasticitysearch.trainer.rule.TermPool.SIZE;

    static final Duration UNREACHABLE_FOR = Duration.ofSeconds(5);

    static Trial trialRow(ResultSet rs) throws SQLException {
        return new Trial(rs.getLong(1), rs.getLong(2), rs.getInt(3), TrialState.valueOf(rs.getString(4)),
                rs.getString(5), rs.getLong(6), rs.getInt(7), rs.getString(8), rs.getString(9), getDouble(rs, 10));
    }

    static Array array(Connection c, double[] v) throws SQLException {
        if (v == null) {
            return null;
        }
        Double[] boxed = new Double[v.length];
        for (int i = 0; i < v.length; i++) {
            boxed[i] = Double.isFinite(v[i]) ? v[i] : null;
        }
        return c.createArrayOf("float8", boxed);
    }

    static double[] doubles(Array a) throws SQLException {
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

    static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null || !Double.isFinite(v)) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    static Double getDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    static Integer getInt(ResultSet rs, int i) throws SQLException {
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

    <T> T tx(Work<T> work) {
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

    private final DataSource ds;

    Transactions(DataSource ds) {
        this.ds = ds;
    }

    DataSource dataSource() {
        return ds;
    }
}
