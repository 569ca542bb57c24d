package org.plasticitysearch.orchestrator.workflow;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * Runs a workflow as a Camel Main application ({@code serve}, {@code worker}): Camel Main owns the context's
 * lifecycle and waits for SIGTERM / Ctrl-C; the workflow's routes and parts are added once the context is
 * configured. On stop, the running trials are given back to the queue before the routes stop, then the parts
 * (the Quartz scheduler) and finally the database are closed.
 */
public final class WorkflowMain {
    private WorkflowMain() {
    }

    public static void run(Workflow.Builder builder, AutoCloseable database, Runnable started) throws Exception {
        Main main = new Main();
        main.configure().withName("plasticity");
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
            }

            @Override
            public void beforeStop(BaseMainSupport m) {
                if (workflow[0] != null) {
                    workflow[0].releaseTrials();
                }
            }

            @Override
            public void afterStop(BaseMainSupport m) {
                if (workflow[0] != null) {
                    workflow[0].afterStop();
                }
                try {
                    database.close();
                } catch (Exception e) {
                    System.err.println("plasticity: closing the database: " + e.getMessage());
                }
            }
        });
        main.run();
    }
}
