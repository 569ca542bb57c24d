package org.plasticitysearch.orchestrator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code schedule} table (what users add with {@code plasticity schedule add}) and its audit trail
 * {@code schedule_fire}. Quartz keeps its own trigger state in its QRTZ_ tables; this table is the source of the
 * schedules every {@code serve} turns into Quartz routes.
 */
public final class ScheduleStore {
    private static final String COLUMNS = "id, cron, config_yaml, enabled, created_at, last_fired_at";

    private final DataSource ds;

    public ScheduleStore(DataSource ds) {
        this.ds = ds;
    }

    public Schedule add(String cron, String configYaml) {
        return query("INSERT INTO schedule (cron, config_yaml) VALUES (?, ?) RETURNING " + COLUMNS, ps -> {
            ps.setString(1, cron);
            ps.setString(2, configYaml);
        }).get(0);
    }

    public List<Schedule> list() {
        return query("SELECT " + COLUMNS + " FROM schedule ORDER BY id", ps -> { });
    }

    public Optional<Schedule> find(long id) {
        return query("SELECT " + COLUMNS + " FROM schedule WHERE id = ?", ps -> ps.setLong(1, id)).stream().findFirst();
    }

    /** Deletes the schedule (its fires are kept); false when there was none with that id. */
    public boolean remove(long id) {
        return !query("DELETE FROM schedule WHERE id = ? RETURNING " + COLUMNS, ps -> ps.setLong(1, id)).isEmpty();
    }

    /** Notes one launch and the schedule's last fire time. */
    public void recordFire(long scheduleId, Instant scheduledAt, String instance, String study) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO schedule_fire (schedule_id, scheduled_at,"
                    + " instance, study) VALUES (?, ?, ?, ?)");
                 PreparedStatement upd = c.prepareStatement("UPDATE schedule SET last_fired_at = now() WHERE id = ?")) {
                ins.setLong(1, scheduleId);
                ins.setTimestamp(2, Timestamp.from(scheduledAt));
                ins.setString(3, instance);
                ins.setString(4, study);
                ins.executeUpdate();
                upd.setLong(1, scheduleId);
                upd.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        }
    }

    /** Every fire, oldest first. */
    public List<ScheduleFire> fires() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT schedule_id, scheduled_at, fired_at, instance, study FROM schedule_fire ORDER BY scheduled_at, id");
             ResultSet rs = ps.executeQuery()) {
            List<ScheduleFire> out = new ArrayList<>();
            while (rs.next()) {
                long id = rs.getLong(1);
                out.add(new ScheduleFire(rs.wasNull() ? null : id, rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5)));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<Schedule> query(String sql, Binder binder) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<Schedule> out = new ArrayList<>();
                while (rs.next()) {
                    Timestamp last = rs.getTimestamp(6);
                    out.add(new Schedule(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                            rs.getTimestamp(5).toInstant(), last == null ? null : last.toInstant()));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        }
    }
}
