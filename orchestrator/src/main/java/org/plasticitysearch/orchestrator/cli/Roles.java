package org.plasticitysearch.orchestrator.cli;

import java.time.Duration;
import org.plasticitysearch.orchestrator.worker.TrainerLauncher;
import org.plasticitysearch.orchestrator.workflow.Workflow;

/** What `study run`, `worker` and `serve` share: the worker's identity, its timings, its trainer launcher. */
final class Roles {
    /** Default heap of a trainer process; every study's config sets its own ({@code heap:}). */
    static final String DEFAULT_HEAP = "1g";

    private Roles() {
    }

    /** host:pid, unique per process on a database. */
    static String workerId() {
        return Workflow.localHost() + ":" + ProcessHandle.current().pid();
    }

    static Workflow.Settings settings(int slots, String workerId) {
        return settings(slots, workerId, Duration.ofSeconds(60));
    }

    /** Heartbeat every 5 s; a trial whose heartbeat is older than the timeout is re-queued by any reaper. */
    static Workflow.Settings settings(int slots, String workerId, Duration heartbeatTimeout) {
        return new Workflow.Settings(slots, workerId, Duration.ofMillis(500),
                Duration.ofSeconds(Math.max(1, Math.min(5, heartbeatTimeout.toSeconds() / 3))), heartbeatTimeout, 2);
    }

    /**
     * Warm trainer child JVMs ({@code trainer loop}, kept between trials) on this process's own class path (the
     * packaged lib/ folder, or a test's).
     */
    static TrainerLauncher launcher(String classPath) {
        return TrainerLauncher.fromClassPath(classPath, DEFAULT_HEAP).warm();
    }
}
