package org.plasticitysearch.orchestrator.schedule;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.store.Schedule;
import org.plasticitysearch.orchestrator.store.ScheduleStore;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.workflow.Workflow;
import org.quartz.Scheduler;

/**
 * The scheduler: route {@code schedule-sync} turns every row of the {@code schedule} table into a camel-quartz route
 * {@code schedule-<id>} (and removes the routes of deleted rows); Quartz, clustered on the study database, fires each
 * cron trigger on one orchestrator only. A fire creates the study of the schedule's config under the name
 * {@code NAME-yyyyMMdd-HHmmss} (the planned fire time, UTC), which the study runners then fill like any other, and
 * notes the fire in {@code schedule_fire}.
 */
public final class ScheduleRoutes implements Workflow.Part {
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final DataSource ds;
    private final String instanceId;
    private final long syncMillis;
    private Scheduler scheduler;

    public ScheduleRoutes(DataSource ds, String instanceId, long syncMillis) {
        this.ds = ds;
        this.instanceId = instanceId;
        this.syncMillis = syncMillis;
    }

    @Override
    public void addTo(CamelContext camel, TrialStore trials) throws Exception {
        scheduler = ClusteredQuartz.create(ds, instanceId, 2);
        QuartzComponent quartz = new QuartzComponent(camel);
        quartz.setScheduler(scheduler);
        camel.addComponent("quartz", quartz);
        ScheduleStore schedules = new ScheduleStore(ds);
        Set<Long> routed = new HashSet<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:schedule-sync?delay=0&period=" + syncMillis).routeId("schedule-sync")
                        .process(ex -> sync(camel, schedules, trials, routed));
            }
        });
    }

    @Override
    public void afterStop() throws Exception {
        if (scheduler != null && !scheduler.isShutdown()) {
            scheduler.shutdown(true);
        }
    }

    private void sync(CamelContext camel, ScheduleStore schedules, TrialStore trials, Set<Long> routed)
            throws Exception {
        Set<Long> wanted = new HashSet<>();
        for (Schedule s : schedules.list()) {
            if (!s.enabled()) {
                continue;
            }
            wanted.add(s.id());
            if (routed.add(s.id())) {
                camel.addRoutes(route(s, schedules, trials));
            }
        }
        for (Long id : new HashSet<>(routed)) {
            if (!wanted.contains(id)) {
                String routeId = ClusteredQuartz.triggerName(id);
                camel.getRouteController().stopRoute(routeId);
                camel.removeRoute(routeId);
                scheduler.deleteJob(ClusteredQuartz.jobKey(id));
                routed.remove(id);
            }
        }
    }

    private RouteBuilder route(Schedule s, ScheduleStore schedules, TrialStore trials) {
        String uri = "quartz://" + ClusteredQuartz.NAME + "/" + ClusteredQuartz.triggerName(s.id()) + "?cron="
                + URLEncoder.encode(s.cron(), StandardCharsets.UTF_8) + "&stateful=true";
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(ClusteredQuartz.triggerName(s.id()))
                        .process(ex -> launch(ex, s, schedules, trials));
            }
        };
    }

    private void launch(Exchange ex, Schedule s, ScheduleStore schedules, TrialStore trials) {
        Date planned = ex.getIn().getHeader("scheduledFireTime", Date.class);
        Instant at = planned != null ? planned.toInstant() : Instant.now();
        StudyConfig base = StudyConfig.parse(s.configYaml());
        String prefix = base.name().length() > 80 ? base.name().substring(0, 80) : base.name();
        StudyConfig config = base.withName(prefix + "-" + SUFFIX.format(at));
        trials.createOrLoadStudy(config.definition());
        schedules.recordFire(s.id(), at, instanceId, config.name());
    }

    /**
     * When Quartz fires the cron expression next after {@code after} (in this JVM's time zone, as the trigger of a
     * `serve` on this machine does), or null when it never fires again.
     */
    public static java.time.Instant nextFire(String cron, java.time.Instant after) {
        try {
            java.util.Date next = new org.quartz.CronExpression(cron).getNextValidTimeAfter(java.util.Date.from(after));
            return next == null ? null : next.toInstant();
        } catch (java.text.ParseException e) {
            return null;
        }
    }

    /** A cron expression Quartz accepts, or the reason it does not. */
    public static String checkCron(String cron) {
        try {
            org.quartz.CronExpression.validateExpression(cron);
            return nextFire(cron, java.time.Instant.now()) == null ? "it never fires (e.g. February 30th)" : null;
        } catch (java.text.ParseException e) {
            return e.getMessage();
        }
    }
}
