package org.plasticitysearch.orchestrator.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.plasticitysearch.search.Seeds;
import org.plasticitysearch.trainer.process.TrialSpec;
import org.plasticitysearch.trainer.rule.TermPool;

/**
 * The one mapping from a trial's params to what it runs: the active terms, the initial coefficients, the trial's
 * seed and the trainer spec (the config's fixed fields, then the searched ones). Used by the study runner (the
 * stored rule), the trial runner (the spec) and verification. Defaults not set by the config or the params are the
 * trainer's ({@link TrialSpec#DEFAULTS}).
 *
 * <p>Search parameters: {@code f0}..{@code f9} (bool: term r active), {@code theta0_init}, {@code meta_lr},
 * {@code lambda}, {@code episodes}, and the meta-training safeguards ({@link StudyConfig#SAFEGUARDS}), passed on
 * as they are.
 */
public final class TrialPlan {
    private TrialPlan() {
    }

    /** The terms switched on by {@code f0}..{@code f9}; the pseudo-gradient alone when none is. */
    public static int[] terms(Map<String, Object> params) {
        int[] terms = IntStream.range(0, TermPool.SIZE).filter(r -> Boolean.TRUE.equals(params.get("f" + r)))
                .toArray();
        return terms.length == 0 ? new int[]{0} : terms; // a rule needs a term: the paper's baseline
    }

    /** theta_0 from {@code theta0_init} (default: the trainer's), every other coefficient 0 (paper). */
    public static double[] thetaInit(Map<String, Object> params) {
        double[] theta = new double[TermPool.SIZE];
        theta[0] = params.containsKey("theta0_init") ? ((Number) params.get("theta0_init")).doubleValue()
                : TrialSpec.DEFAULTS.thetaInit()[0];
        return theta;
    }

    /** Trial number n's seed in a study seeded s: SplitMix64 of (s, n), independent of which process asks. */
    public static long seed(long studySeed, int number) {
        return Seeds.mix(studySeed * 1_000_003L + number);
    }

    /** The trainer spec (a JSON object) of one trial of a study. */
    public static Map<String, Object> spec(StudyConfig c, Map<String, Object> params, long trialSeed) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("dataset", c.dataset());
        if (c.dataDir() != null) {
            s.put("data_dir", c.dataDir());
        }
        s.put("split", c.split());
        s.put("per_class_limit", c.perClassLimit());
        s.put("dims", c.network());
        s.put("feedback", c.feedback());
        s.put("terms", Arrays.stream(terms(params)).boxed().toList());
        s.put("theta_init", thetaInit(params));
        for (String p : new String[]{"meta_lr", "lambda"}) {
            if (params.containsKey(p)) {
                s.put(p, ((Number) params.get(p)).doubleValue());
            }
        }
        s.put("episodes", params.containsKey("episodes") ? ((Number) params.get("episodes")).intValue()
                : c.episodes());
        s.put("M", c.m());
        s.put("K", c.k());
        s.put("Q", c.q());
        s.put("seed", trialSeed);
        s.put("eval_tasks", c.evalTasks());
        s.put("report_every", c.reportEvery());
        s.put("precision", c.precision());
        if (c.testDataset() != null) {
            s.put("test_dataset", c.testDataset());
        }
        for (String g : StudyConfig.SAFEGUARDS) {
            if (params.containsKey(g)) {
                s.put(g, params.get(g)); // checked by the trainer's spec parser (StudyConfig.checkTrialSpecs)
            }
        }
        return s;
    }
}
