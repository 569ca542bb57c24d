package org.plasticitysearch.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Every combination of the space's values, in a seeded shuffled order: trial number t gets combination
 * perm[t mod size], so workers numbering trials densely never evaluate a combination twice before all were tried.
 * Categories, integers and stepped floats enumerate their values; a continuous float cannot be gridded.
 */
public final class GridSampler implements Sampler {
    private final long seed;

    public GridSampler(long seed) {
        this.seed = seed;
    }

    /** Number of combinations of the space. */
    public static long size(SearchSpace space) {
        long n = 1;
        for (Map.Entry<String, Distribution> e : space.params().entrySet()) {
            n = Math.multiplyExact(n, values(e.getKey(), e.getValue()).size());
        }
        return n;
    }

    static List<Object> values(String name, Distribution d) {
        List<Object> v = new ArrayList<>();
        if (d instanceof Distribution.Categorical c) {
            v.addAll(c.choices());
        } else if (d instanceof Distribution.IntRange r) {
            for (long x = r.low(); x <= r.high(); x += r.step()) {
                v.add(x);
            }
        } else if (d instanceof Distribution.FloatRange f && f.step() != null) {
            long k = Math.round((f.high() - f.low()) / f.step());
            for (long i = 0; i <= k; i++) {
                v.add(f.low() + i * f.step());
            }
        } else if (d instanceof Distribution.Fixed f) {
            v.add(f.value());
        } else {
            throw new IllegalArgumentException(name + ": a continuous float range cannot be searched on a grid;"
                    + " give it a step or a list of choices");
        }
        return v;
    }

    @Override
    public Map<String, Object> ask(SearchSpace space, Direction direction, List<TrialRecord> history, int trialNumber) {
        long size = size(space);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("grid: " + size + " combinations are too many to enumerate");
        }
        int n = (int) size;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        long index = perm[Math.floorMod(trialNumber, n)];
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Distribution> e : space.params().entrySet()) {
            List<Object> v = values(e.getKey(), e.getValue());
            out.put(e.getKey(), v.get((int) (index % v.size())));
            index /= v.size();
        }
        return out;
    }

    @Override
    public boolean usesHistory() {
        return false;
    }
}
