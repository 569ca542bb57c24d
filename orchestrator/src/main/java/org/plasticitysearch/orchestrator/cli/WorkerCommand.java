package org.plasticitysearch.orchestrator.cli;

import java.util.concurrent.Callable;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.workflow.Workflow;
import org.plasticitysearch.orchestrator.workflow.WorkflowMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code plasticity worker --db URL}: runs trials of any study; start one on every machine that should help. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Claim and run trials of any RUNNING study until stopped (SIGTERM / Ctrl-C gives the running"
                + " trials back to the queue). Studies are started by `study run` or `serve` elsewhere."})
final class WorkerCommand implements Callable<Integer> {
    @Mixin
    WorkerOptions work;

    @Mixin
    DbOption db;

    @Override
    public Integer call() throws Exception {
        int n = work.slots();
        String problem = work.problem(1);
        if (problem != null) {
            System.err.println("plasticity: " + problem);
            return 2;
        }
        Database database = db.open();
        // Camel Main runs until SIGTERM / Ctrl-C and closes the database after the routes stopped
        TrialStore store = new TrialStore(database.dataSource());
        String id = Roles.workerId();
        store.registerWorker(id, id.substring(0, id.lastIndexOf(':')), ProcessHandle.current().pid());
        Workflow.Builder workflow = Workflow.builder(store, Roles.settings(n, id, work.heartbeatTimeout()))
                .workers(Roles.launcher(System.getProperty("java.class.path")), null)
                .reaper();
        WorkflowMain.run(workflow, database, () -> System.out.printf("plasticity worker %s: %d slot(s), database %s%n",
                id, n, org.plasticitysearch.orchestrator.store.Secrets.redact(database.url())));
        return 0;
    }
}
