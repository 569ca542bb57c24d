package org.plasticitysearch.trainer.episode;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes that the weight tapes of several engines may hold together ({@link EpisodeEngine#weightTapeLimit}).
 * Engines share {@link #SHARED} (a quarter of the maximum heap) unless given their own: a tape that does not fit
 * what the others hold is not made, and that engine uses checkpoints and replay instead (same numbers, bitwise).
 * An engine gives its bytes back when it drops its tape, or at the latest when it is collected.
 */
public final class TapeBudget {
    /** The JVM's budget: a quarter of the maximum heap. */
    public static final TapeBudget SHARED = new TapeBudget(Runtime.getRuntime().maxMemory() / 4);
    private static final Cleaner CLEANER = Cleaner.create();

    private final long bytes;
    private final AtomicLong used = new AtomicLong();

    public TapeBudget(long bytes) {
        this.bytes = bytes;
    }

    /** Bytes held now by the engines' tapes. */
    public long used() {
        return used.get();
    }

    /** One engine's hold on a budget; released at the latest when {@code owner} is collected. */
    static final class Reservation implements Runnable {
        private TapeBudget budget;
        private long bytes;

        Reservation(Object owner) {
            CLEANER.register(owner, this);
        }

        /** Holds {@code n} bytes of {@code b} (after releasing any earlier hold) if they fit; false otherwise. */
        synchronized boolean reserve(TapeBudget b, long n) {
            release();
            while (true) {
                long u = b.used.get();
                if (u + n > b.bytes) {
                    return false;
                }
                if (b.used.compareAndSet(u, u + n)) {
                    budget = b;
                    bytes = n;
                    return true;
                }
            }
        }

        synchronized void release() {
            if (budget != null) {
                budget.used.addAndGet(-bytes);
            }
            budget = null;
            bytes = 0;
        }

        @Override
        public void run() {
            release();
        }
    }
}
