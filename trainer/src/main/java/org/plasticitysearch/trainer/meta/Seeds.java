package org.plasticitysearch.trainer.meta;

/** Independent, reproducible seeds per (trial seed, purpose, index) by SplitMix64 mixing. */
public final class Seeds {
    public static final long TASKS = 0x7A5C_0001L;
    public static final long WEIGHTS = 0x3E16_0002L;
    public static final long EVAL_TASKS = 0xE7A1_0003L;
    public static final long EVAL_WEIGHTS = 0xE3E1_0004L;
    public static final long BOOTSTRAP = 0xB007_0005L;

    private Seeds() {
    }

    public static long derive(long seed, long purpose, long index) {
        return mix(mix(seed ^ mix(purpose)) + index);
    }

    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
