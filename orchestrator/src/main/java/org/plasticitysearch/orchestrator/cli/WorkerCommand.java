package org.plasticitysearch.orchestrator.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.StateCounts;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.StudyStatus;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.workflow.IdleExit;
import org.plasticitysearch.orchestrator.workflow.Workflow;
import org.plasticitysearch.orchestrator.workflow.WorkflowMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plasticity worker --db URL}: runs trials of any study (or of one); start one on every machine that helps. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Claim and run trials of any RUNNING study (or of one, --study) until stopped (SIGTERM / Ctrl-C"
                + " gives the running trials back to the queue), or until idle (--exit-when-idle). Studies are"
                + " started by `study run`, `serve` or `slurm submit`."})
final class WorkerCommand implements Callable<Integer> {
    @Mixin
    WorkerOptions work;

    @Mixin
    DbOption db;

    @Option(names = "--study", paramLabel = "NAME", description = "only this study's trials; a worker that finds"
            + " its queue empty also proposes its next trials (one at a time, under the study's lock)")
    String study;

    @Option(names = "--exit-when-idle", paramLabel = "SECONDS", description = "leave once the study (with --study)"
            + " or every RUNNING study has had nothing queued or running for this long")
    Integer exitWhenIdle;

    @Override
    public Integer call() throws Exception {
        int n = work.slots();
        String problem = work.problem(1);
        if (problem == null && exitWhenIdle != null && exitWhenIdle < 1) {
            problem = "--exit-when-idle: " + exitWhenIdle + " is not allowed; use 1 or more seconds";
        }
        if (problem != null) {
            System.err.println("plasticity: " + problem);
            return 2;
        }
        Database database = db.open();
        // Camel Main runs until SIGTERM / Ctrl-C (or idle) and closes the database after the routes stopped
        TrialStore store = new TrialStore(database.dataSource());
        Long studyId = null;
        if (study != null) {
            Study s = store.study(study).orElse(null);
            if (s == null) {
                database.close();
                throw new UsageException("--study: no study named '" + study + "' (see: plasticity study list)");
            }
            studyId = s.id();
        }
        String id = Roles.workerId();
        store.registerWorker(id, id.substring(0, id.lastIndexOf(':')), ProcessHandle.current().pid(), studyId,
                slurmJob());
        Workflow.Builder workflow = Workflow.builder(store, Roles.settings(n, id, work.heartbeatTimeout()))
                .workers(Roles.launcher(System.getProperty("java.class.path")), studyId)
                .reaper();
        if (studyId != null) {
            workflow.proposeWhenQueueEmpty();
        }
        Long only = studyId;
        IdleExit idle = exitWhenIdle == null ? null : new IdleExit(Duration.ofSeconds(exitWhenIdle),
                () -> nothingToDo(store, only), () -> System.out.printf("plasticity worker %s: nothing queued or"
                + " running for %d s, leaving%n", id, exitWhenIdle));
        WorkflowMain.run(workflow, database, () -> System.out.printf("plasticity worker %s: %d slot(s), %s,"
                + " database %s%n", id, n, study != null ? "study " + study : "any study",
                org.plasticitysearch.orchestrator.store.Secrets.redact(database.url())), idle);
        return 0;
    }

    /**
     * No trial RUNNING, and none QUEUED in a RUNNING study (a stopped study's queue waits for `study run`), in the
     * study or in any RUNNING study.
     */
    static boolean nothingToDo(TrialStore store, Long studyId) {
        for (Study s : store.studies()) {
            if (studyId != null ? s.id() == studyId : s.status() == StudyStatus.RUNNING) {
                StateCounts c = store.counts(s.id());
                if (c.running() > 0 || (s.status() == StudyStatus.RUNNING && c.queued() > 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The Slurm job (array task) this process runs in, from Slurm's environment, or null. */
    static String slurmJob() {
        String array = System.getenv("SLURM_ARRAY_JOB_ID");
        String task = System.getenv("SLURM_ARRAY_TASK_ID");
        if (array != null && task != null) {
            return array + "_" + task;
        }
        return System.getenv("SLURM_JOB_ID");
    }
}
