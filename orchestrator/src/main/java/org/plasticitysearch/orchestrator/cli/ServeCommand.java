package org.plasticitysearch.orchestrator.cli;

import java.util.concurrent.Callable;
import org.plasticitysearch.orchestrator.api.RestApi;
import org.plasticitysearch.orchestrator.schedule.ScheduleRoutes;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.workflow.Workflow;
import org.plasticitysearch.orchestrator.workflow.WorkflowMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plasticity serve}: scheduler, study runners, workers, reaper and the REST API in one process. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the orchestrator until stopped (SIGTERM / Ctrl-C): fires the schedules, fills every"
                + " RUNNING study's queue, runs trials in --slots trainer processes, re-queues trials of dead workers,"
                + " and answers the REST API. Any number of `serve` and `worker` processes may share one database."})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    WorkerOptions work;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "address the REST API binds to (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes it)")
    String host;

    @Option(names = "--port", defaultValue = "8750", paramLabel = "PORT",
            description = "REST API port (default: ${DEFAULT-VALUE})")
    int port;

    @Mixin
    DbOption db;

    @Override
    public Integer call() throws Exception {
        int n = work.slots(); // 0: a serve that only schedules, fills queues and answers the API
        String problem = port < 0 || port > 65535 ? "--port: " + port + " is not allowed; use 0..65535"
                : work.problem(0);
        if (problem != null) {
            System.err.println("plasticity: " + problem);
            return 2;
        }
        checkPortFree(host, port);
        Database database = db.open();
        // Camel Main runs until SIGTERM / Ctrl-C and closes the database after the routes stopped
        TrialStore store = new TrialStore(database.dataSource());
        String id = Roles.workerId();
        // beyond loopback the API answers only with the token (read-only data, but a study's rules are the work)
        org.plasticitysearch.orchestrator.api.ApiToken token = loopback(host) ? null
                : org.plasticitysearch.orchestrator.api.ApiToken.loadOrCreate(
                        org.plasticitysearch.orchestrator.store.DatabaseConfig.defaultHome().resolve("api-token"));
        RestApi api = new RestApi(host, port, token);
        Workflow.Builder workflow = Workflow.builder(store, Roles.settings(n, id, work.heartbeatTimeout()))
                .studyRunner(null)
                .workers(Roles.launcher(System.getProperty("java.class.path")), null)
                .reaper()
                .with(new ScheduleRoutes(database.dataSource(), id, 2000))
                .with(api);
        WorkflowMain.run(workflow, database, () -> {
            System.out.printf("plasticity serve %s: %d slot(s), scheduler on, API http://%s:%d/ (dashboard) and"
                    + " /api/studies, database %s%s%n", id, n, host, api.port(),
                    org.plasticitysearch.orchestrator.store.Secrets.redact(database.url()), database.isEmbedded()
                            ? " (embedded: it keeps running after serve stops; plasticity db stop stops it)" : "");
            if (token != null) {
                System.out.println("the API listens beyond loopback and needs its token (Authorization: Bearer"
                        + " TOKEN; the dashboard: open it as /#token=TOKEN); the token is in "
                        + org.plasticitysearch.orchestrator.store.DatabaseConfig.defaultHome().resolve("api-token")
                        + (token.created() ? "; new token, shown this once: " + token.value() : ""));
            }
        });
        return 0;
    }

    static boolean loopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            throw new UsageException("--host", host, "give an address or a name of this machine, e.g. 127.0.0.1");
        }
    }

    /**
     * Refuses a port another process listens on before anything starts (the HTTP server binds asynchronously and
     * would only log its failure while the rest kept running).
     */
    static void checkPortFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.net.BindException e) {
            throw new UsageException("--port: " + port + " is in use on " + host + " (another serve?); choose a free"
                    + " port, e.g. --port " + (port == 65535 ? 8750 : port + 1) + ", or --port 0 for any");
        } catch (java.io.IOException e) {
            throw new UsageException("--host", host, "give an address of this machine, e.g. 127.0.0.1 ("
                    + e.getMessage() + ")");
        }
    }
}
