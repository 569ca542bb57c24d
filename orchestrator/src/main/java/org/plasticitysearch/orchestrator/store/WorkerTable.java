package org.plasticitysearch.orchestrator.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The workers of the cluster: who they are (host:pid), which study they serve, the Slurm job they run in, that they
 * are alive (a beat every few seconds, busy or not) or stopped; and the Slurm jobs submitted for a study.
 */
final class WorkerTable {
    private final Transactions db;

    WorkerTable(Transactions db) {
        this.db = db;
    }

    void register(String workerId, String host, long pid, Long studyId, String slurmJob) {
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO worker (id, host, pid, study_id, slurm_job) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid,"
                            + " study_id = EXCLUDED.study_id, slurm_job = EXCLUDED.slurm_job, last_seen = now(),"
                            + " stopped_at = NULL")) {
                ps.setString(1, workerId);
                ps.setString(2, host);
                ps.setLong(3, pid);
                if (studyId == null) {
                    ps.setNull(4, Types.BIGINT);
                } else {
                    ps.setLong(4, studyId);
                }
                ps.setString(5, slurmJob);
                ps.executeUpdate();
            }
            return null;
        });
    }

    void seen(String workerId) {
        update("UPDATE worker SET last_seen = now() WHERE id = ?", workerId);
    }

    void stopped(String workerId) {
        update("UPDATE worker SET stopped_at = now() WHERE id = ?", workerId);
    }

    /** Workers not stopped and seen within {@code within} that serve the study or run one of its trials. */
    int alive(long studyId, Duration within) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM worker w WHERE w.stopped_at IS NULL"
                    + " AND w.last_seen > now() - make_interval(secs => ?) AND (w.study_id = ? OR EXISTS (SELECT 1"
                    + " FROM trial t WHERE t.study_id = ? AND t.state = 'RUNNING' AND t.worker_id = w.id))")) {
                ps.setDouble(1, within.toMillis() / 1000.0);
                ps.setLong(2, studyId);
                ps.setLong(3, studyId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    void recordSlurmJob(long studyId, String jobId, int workers, int slots) {
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO slurm_job (study_id, job_id, workers, slots)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setLong(1, studyId);
                ps.setString(2, jobId);
                ps.setInt(3, workers);
                ps.setInt(4, slots);
                ps.executeUpdate();
            }
            return null;
        });
    }

    List<SlurmJob> slurmJobs(long studyId) {
        return db.tx(c -> {
            List<SlurmJob> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT job_id, workers, slots, submitted_at FROM slurm_job"
                    + " WHERE study_id = ? ORDER BY submitted_at, job_id")) {
                ps.setLong(1, studyId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SlurmJob(rs.getString(1), rs.getInt(2), rs.getInt(3),
                                rs.getTimestamp(4).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    private void update(String sql, String workerId) {
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, workerId);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
