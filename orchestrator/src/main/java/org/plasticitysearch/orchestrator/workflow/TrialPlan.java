package org.plasticitysearch.orchestrator.workflow;

import java.util.Map;
import java.util.stream.IntStream;
import org.plasticitysearch.search.Seeds;

/** How a trial's params become the stored rule: active terms, initial coefficients, and the trial's seed. */
public final class TrialPlan {
    private TrialPlan() {
    }

    /** The terms switched on by {@code f0}..{@code f9}; the pseudo-gradient alone when none is. */
    public static int[] terms(Map<String, Object> params) {
        int[] terms = IntStream.range(0, 10).filter(r -> Boolean.TRUE.equals(params.get("f" + r))).toArray();
        return terms.length == 0 ? new int[]{0} : terms;
    }

    /** theta_0 from {@code theta0_init} (default 1e-3), every other coefficient 0 (paper). */
    public static double[] thetaInit(Map<String, Object> params) {
        double[] theta = new double[10];
        theta[0] = params.containsKey("theta0_init") ? ((Number) params.get("theta0_init")).doubleValue() : 1e-3;
        return theta;
    }

    /** Trial number n's seed in a study seeded s: SplitMix64 of (s, n), independent of which process asks. */
    public static long seed(long studySeed, int number) {
        return Seeds.mix(studySeed * 1_000_003L + number);
    }
}
