package org.plasticitysearch.orchestrator.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.plasticitysearch.orchestrator.config.ConfigException;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.schedule.ClusteredQuartz;
import org.plasticitysearch.orchestrator.schedule.ScheduleRoutes;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.Schedule;
import org.plasticitysearch.orchestrator.store.ScheduleStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code plasticity schedule add|list|remove}: cron schedules that `serve` fires. */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Cron schedules that launch a study; `serve` fires them (once across all serve processes).",
        subcommands = {ScheduleCommand.Add.class, ScheduleCommand.ListSchedules.class, ScheduleCommand.Remove.class})
final class ScheduleCommand {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Launch CONFIG's study at every fire of a Quartz cron expression (seconds minutes hours"
                    + " day-of-month month day-of-week, in the serve machine's time zone), e.g. '0 0 22 ? * MON-FRI'"
                    + " for 22:00 on weekdays. Each fire starts a new study named NAME-yyyyMMdd-HHmmss (UTC)."})
    static final class Add implements Callable<Integer> {
        @Option(names = "--cron", required = true, paramLabel = "EXPR",
                description = "Quartz cron: seconds minutes hours day-of-month month day-of-week [year], e.g."
                        + " '0 0 22 ? * MON-FRI' (22:00 on weekdays, this machine's time zone)") String cron;

        @Parameters(index = "0", paramLabel = "CONFIG", description = "study config (YAML) each fire launches")
        Path config;

        @Mixin
        DbOption db;

        @Override
        public Integer call() {
            String bad = ScheduleRoutes.checkCron(cron);
            if (bad != null) {
                System.err.println("plasticity: --cron: '" + cron + "' is not a Quartz cron expression (" + bad
                        + "); use 6 or 7 fields: seconds minutes hours day-of-month month day-of-week [year]");
                return 2;
            }
            String yaml;
            try {
                yaml = ConfigFile.read(config);
                org.plasticitysearch.orchestrator.workflow.Preflight.check(StudyConfig.parse(yaml));
            } catch (ConfigException e) {
                System.err.println("plasticity: " + e.in(config));
                return 2;
            }
            try (Database database = db.open()) {
                Schedule s = new ScheduleStore(database.dataSource()).add(cron, yaml);
                System.out.printf("schedule %d added: '%s' launches %s (a running `plasticity serve` fires it)%n",
                        s.id(), cron, config);
                return 0;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The schedules: cron, the studies they launch, the next and the last fire (UTC), fires.")
    static final class ListSchedules implements Callable<Integer> {
        @Mixin
        FormatOption output;

        @Mixin
        DbOption db;

        @Override
        public Integer call() {
            try (Database database = db.open()) {
                var store = new ScheduleStore(database.dataSource());
                var fires = store.fires();
                TableOutput t = new TableOutput(java.util.List.of("id", "cron", "study", "next_fire", "last_fire",
                        "fires"));
                for (Schedule s : store.list()) {
                    long n = fires.stream().filter(f -> Long.valueOf(s.id()).equals(f.scheduleId())).count();
                    t.row(java.util.Arrays.asList(s.id(), s.cron(), StudyConfig.parse(s.configYaml()).name() + "-*",
                            ScheduleRoutes.nextFire(s.cron(), java.time.Instant.now()), s.lastFiredAt(), n));
                }
                t.write(output.format, System.out);
                return 0;
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a schedule (studies it launched and its fire history stay).")
    static final class Remove implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "the schedule's id (see: schedule list)") long id;

        @Mixin
        DbOption db;

        @Override
        public Integer call() throws Exception {
            try (Database database = db.open()) {
                if (!new ScheduleStore(database.dataSource()).remove(id)) {
                    System.err.println("plasticity: no schedule with id " + id + " (see `plasticity schedule list`)");
                    return 1;
                }
                ClusteredQuartz.forget(database.dataSource(), id);
                System.out.println("schedule " + id + " removed");
                return 0;
            }
        }
    }
}
