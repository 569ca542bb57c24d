package org.plasticitysearch.trainer.rule;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A plasticity rule: the set of active terms and the shared coefficient vector theta (all 10 entries; inactive
 * entries take no part in the update, only in the L1 sum). F(theta) = sum over active r of theta_r F_r.
 */
public final class Rule {
    /** The paper's named rules (PLASTICITY.md). */
    public static final Map<String, int[]> NAMED = Map.of(
            "fa", new int[]{0}, "bp", new int[]{0}, "ehebb", new int[]{0, 2}, "oja", new int[]{0, 9},
            "bio", new int[]{0, 2, 9}, "pool", new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});

    private final BitSet active;

    public Rule(int... terms) {
        active = new BitSet(TermPool.SIZE);
        for (int r : terms) {
            TermPool.term(r);
            active.set(r);
        }
    }

    public static int[] named(String name) {
        int[] t = NAMED.get(name.toLowerCase(Locale.ROOT));
        if (t == null) {
            throw new IllegalArgumentException("rule: '" + name + "' is not allowed; use one of " + NAMED.keySet());
        }
        return t.clone();
    }

    public boolean isActive(int r) {
        return active.get(r);
    }

    public int[] activeTerms() {
        return active.stream().toArray();
    }

    /** theta with inactive entries zeroed: the coefficients the update really uses. */
    public double[] effective(double[] theta) {
        double[] t = new double[TermPool.SIZE];
        for (int r = active.nextSetBit(0); r >= 0; r = active.nextSetBit(r + 1)) {
            t[r] = theta[r];
        }
        return t;
    }

    /** "ΔW = 0.0103·F0 − 0.0129·F2 + 0.0031·F9". */
    public String formula(double[] theta) {
        StringBuilder sb = new StringBuilder("ΔW =");
        boolean first = true;
        for (int r : activeTerms()) {
            double c = theta[r];
            String mag = String.format(Locale.ROOT, "%.4g", Math.abs(c));
            if (first) {
                sb.append(c < 0 ? " −" : " ").append(mag);
            } else {
                sb.append(c < 0 ? " − " : " + ").append(mag);
            }
            sb.append("·F").append(r);
            first = false;
        }
        return first ? "ΔW = 0" : sb.toString();
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(",", "{", "}");
        for (int r : activeTerms()) {
            j.add(Integer.toString(r));
        }
        return j.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rule && ((Rule) o).active.equals(active);
    }

    @Override
    public int hashCode() {
        return active.hashCode();
    }

    public static double l1(double[] theta) {
        return Arrays.stream(theta).map(Math::abs).sum();
    }
}
