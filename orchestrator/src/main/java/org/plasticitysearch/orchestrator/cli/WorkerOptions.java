package org.plasticitysearch.orchestrator.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --slots} and {@code --heartbeat-timeout}, shared by {@code serve} and {@code worker}. */
final class WorkerOptions {
    @Option(names = "--slots", paramLabel = "N", description = "trainer processes at once here (default: half the cores)")
    Integer slots;

    @Option(names = "--heartbeat-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "re-queue a trial whose worker has been silent this long (default: ${DEFAULT-VALUE})")
    int heartbeatTimeout;

    int slots() {
        return slots != null ? slots : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    Duration heartbeatTimeout() {
        return Duration.ofSeconds(heartbeatTimeout);
    }

    /** The message for a value that is not allowed, or null. */
    String problem(int minSlots) {
        if (slots() < minSlots) {
            return "--slots: " + slots() + " is not allowed; use " + minSlots + " or more";
        }
        if (heartbeatTimeout < 2) {
            return "--heartbeat-timeout: " + heartbeatTimeout + " is not allowed; use 2 or more";
        }
        return null;
    }
}
