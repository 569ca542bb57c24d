package org.plasticitysearch.orchestrator.workflow;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.plasticitysearch.orchestrator.store.Database;

/**
 * Runs a workflow as a Camel Main application ({@code serve}, {@code worker}): Camel Main owns the context's
 * lifecycle and waits for SIGTERM / Ctrl-C; the workflow's routes and parts are added once the context is
 * configured. On stop, the running trials are given back to the queue before the routes stop, then the parts
 * (the Quartz scheduler) and finally the database are closed.
 */
public final class WorkflowMain {
    private WorkflowMain() {
    }

    public static void run(Workflow.Builder builder, Database database, Runnable started) throws Exception {
        run(builder, database, started, null);
    }

    /**
     * As above; with an {@link IdleExit}, the application also ends by itself once there has been nothing to do
     * for its period (a worker in a batch job gives its allocation back).
     */
    public static void run(Workflow.Builder builder, Database database, Runnable started, IdleExit idle)
            throws Exception {
        Main main = new Main();
        // SIGTERM: Camel Main stops the routes (giving the trials back) in this thread, while the JVM's shutdown
        // hooks run; the database's hook waits for that before it closes
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        database.atShutdown(() -> {
            try {
                stopped.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        main.configure().withName("plasticity").withShutdownTimeout(5); // the trials were given back already
        Workflow[] workflow = new Workflow[1];
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                try {
                    workflow[0] = builder.buildInto(m.getCamelContext());
                } catch (Exception e) {
                    throw new IllegalStateException("the workflow's routes could not be added: " + e.getMessage(), e);
                }
            }

            @Override
            public void afterStart(BaseMainSupport m) {
                started.run();
                System.out.flush();
                if (idle != null) {
                    idle.start(main::completed);
                }
            }

            @Override
            public void beforeStop(BaseMainSupport m) {
                database.impatient();
                if (workflow[0] != null) {
                    int given = workflow[0].releaseTrials();
                    if (given > 0) {
                        System.out.printf("plasticity: stopping: %d running trial(s) given back to the queue%n",
                                given);
                    }
                }
            }

            @Override
            public void afterStop(BaseMainSupport m) {
                if (workflow[0] != null) {
                    workflow[0].afterStop();
                }
            }
        });
        try {
            main.run();
        } finally {
            database.close();
            stopped.countDown();
        }
    }
}
