package org.plasticitysearch.orchestrator.workflow;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Ends a worker that has had nothing to do for a while ({@code worker --exit-when-idle SECONDS}): checked every
 * second; "nothing to do" must hold for the whole period, so the instant between a finished trial and the next
 * proposal does not count. A check that fails (the database blinked) counts as busy.
 */
public final class IdleExit {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IdleExit.class);
    private final Duration period;
    private final BooleanSupplier nothingToDo;
    private final Runnable saying;
    private long idleSince = -1;

    /** {@code saying} runs once, just before the exit (e.g. a line on stdout). */
    public IdleExit(Duration period, BooleanSupplier nothingToDo, Runnable saying) {
        this.period = period;
        this.nothingToDo = nothingToDo;
        this.saying = saying;
    }

    void start(Runnable exit) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "idle-exit");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            if (!idle()) {
                return;
            }
            saying.run();
            timer.shutdown();
            exit.run();
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** True once nothing has been to do for the whole period. */
    boolean idle() {
        boolean none;
        try {
            none = nothingToDo.getAsBoolean();
        } catch (RuntimeException e) {
            LOG.debug("idle check failed: {}", e.getMessage());
            none = false;
        }
        long now = System.nanoTime();
        if (!none) {
            idleSince = -1;
            return false;
        }
        if (idleSince < 0) {
            idleSince = now;
        }
        return now - idleSince >= period.toNanos();
    }
}
