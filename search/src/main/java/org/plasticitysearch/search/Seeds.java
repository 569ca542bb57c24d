package org.plasticitysearch.search;

import java.util.SplittableRandom;

/** Reproducible random streams per (study seed, trial number, purpose): SplitMix64 mixing. */
public final class Seeds {
    private Seeds() {
    }

    public static SplittableRandom rng(long seed, int trialNumber, long purpose) {
        return new SplittableRandom(mix(mix(seed ^ mix(purpose)) + trialNumber));
    }

    /** SplitMix64's finaliser. */
    public static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
