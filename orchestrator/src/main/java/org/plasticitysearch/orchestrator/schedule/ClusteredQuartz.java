package org.plasticitysearch.orchestrator.schedule;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * A Quartz scheduler on the JDBC job store in the study database (tables from migration V2), clustered: every
 * orchestrator uses the same scheduler name and its own instance id, Quartz's row locks make each trigger fire on
 * exactly one of them, and the triggers survive restarts. Connections come from the orchestrator's own pool.
 */
public final class ClusteredQuartz {
    /** The cluster's name: the same on every machine, and the job group of every schedule. */
    public static final String NAME = "plasticity";
    private static final AtomicInteger DATA_SOURCES = new AtomicInteger();

    private ClusteredQuartz() {
    }

    /** A new, not yet started scheduler; {@code instanceId} must differ between live orchestrators. */
    public static Scheduler create(DataSource ds, String instanceId, int threads) throws SchedulerException {
        String dsName = "plasticity-db-" + DATA_SOURCES.incrementAndGet();
        DBConnectionManager.getInstance().addConnectionProvider(dsName, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return ds.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to the orchestrator's Database
            }

            @Override
            public void initialize() {
                // nothing to do
            }
        });
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", NAME);
        p.setProperty("org.quartz.scheduler.instanceId", instanceId);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dsName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        // a dead orchestrator's in-flight fires are recovered by the others after this long
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
        // a fire missed by less than this (all orchestrators busy or down) still runs, once
        p.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        return new StdSchedulerFactory(p).getScheduler();
    }

    /** The Quartz job of a schedule (camel-quartz names the job after its endpoint's trigger). */
    public static JobKey jobKey(long scheduleId) {
        return JobKey.jobKey(triggerName(scheduleId), NAME);
    }

    static String triggerName(long scheduleId) {
        return "schedule-" + scheduleId;
    }

    /** Deletes a removed schedule's trigger and job from the shared job store (a clustered trigger outlives routes). */
    public static void forget(DataSource ds, long scheduleId) throws SchedulerException {
        Scheduler s = create(ds, "admin-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), 1);
        try {
            s.deleteJob(jobKey(scheduleId));
        } finally {
            s.shutdown(false);
        }
    }
}
