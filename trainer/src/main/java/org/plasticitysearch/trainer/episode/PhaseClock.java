package org.plasticitysearch.trainer.episode;

import org.plasticitysearch.trainer.linalg.OpCount;

/**
 * Wall time, multiply-adds and matrix bytes of an episode's phases ({@code bench --roofline}): the engine enters a
 * phase at each boundary when a clock is set (a few dozen times per episode), and the time and the
 * {@link OpCount} difference since the last boundary go to the phase that ends.
 */
public final class PhaseClock {
    /** INIT: Xavier weights; the others as in the engine and the meta-step. */
    public enum Phase { INIT, PRIMAL, QUERY, REPLAY, ADJOINT, ADAM }

    private final long[] nanos = new long[Phase.values().length];
    private final long[] macs = new long[nanos.length];
    private final long[] bytes = new long[nanos.length];
    private Phase current;
    private long t0;
    private long m0;
    private long b0;

    public void enter(Phase p) {
        close();
        current = p;
        m0 = OpCount.macs();
        b0 = OpCount.bytes();
        t0 = System.nanoTime();
    }

    public void close() {
        if (current == null) {
            return;
        }
        long t = System.nanoTime();
        int i = current.ordinal();
        nanos[i] += t - t0;
        macs[i] += OpCount.macs() - m0;
        bytes[i] += OpCount.bytes() - b0;
        current = null;
    }

    public long nanos(Phase p) {
        return nanos[p.ordinal()];
    }

    public long macs(Phase p) {
        return macs[p.ordinal()];
    }

    public long bytes(Phase p) {
        return bytes[p.ordinal()];
    }
}
