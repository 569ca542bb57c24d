package org.plasticitysearch.orchestrator.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.StoreException;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.workflow.Workflow;
import org.plasticitysearch.orchestrator.workflow.WorkflowMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plasticity worker --db URL}: runs trials of any study; start one on every machine that should help. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Claim and run trials of any RUNNING study until stopped (SIGTERM / Ctrl-C gives the running"
                + " trials back to the queue). Studies are started by `study run` or `serve` elsewhere."})
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--slots", paramLabel = "N", description = "trainer processes at once (default: half the cores)")
    Integer slots;

    @Option(names = "--heartbeat-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "re-queue a trial whose worker has been silent this long (default: ${DEFAULT-VALUE})")
    int heartbeatTimeout;

    @Mixin
    DbOption db;

    @Override
    public Integer call() throws Exception {
        int n = slots != null ? slots : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        if (n < 1) {
            System.err.println("plasticity: --slots: " + n + " is not allowed; use 1 or more");
            return 2;
        }
        if (heartbeatTimeout < 2) {
            System.err.println("plasticity: --heartbeat-timeout: " + heartbeatTimeout + " is not allowed; use 2 or more");
            return 2;
        }
        Database database;
        try {
            database = db.open();
        } catch (StoreException e) {
            System.err.println("plasticity: " + e.getMessage());
            return 1;
        }
        // Camel Main runs until SIGTERM / Ctrl-C and closes the database after the routes stopped
        TrialStore store = new TrialStore(database.dataSource());
        String id = Roles.workerId();
        store.registerWorker(id, id.substring(0, id.lastIndexOf(':')), ProcessHandle.current().pid());
        Workflow.Builder workflow = Workflow.builder(store, Roles.settings(n, id, Duration.ofSeconds(heartbeatTimeout)))
                .workers(Roles.launcher(System.getProperty("java.class.path")), null)
                .reaper();
        WorkflowMain.run(workflow, database, () -> System.out.printf("plasticity worker %s: %d slot(s), database %s%n",
                id, n, database.url()));
        return 0;
    }
}
