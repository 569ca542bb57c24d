package org.plasticitysearch.orchestrator.ranking;

import org.plasticitysearch.search.Direction;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.plasticitysearch.orchestrator.config.ConfigException;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.config.TrialPlan;

/**
 * {@code study verify}: the K best distinct rules of a study, re-meta-trained with S fresh seeds each, as the trials
 * of a linked verification study (kind 'verification', parent_id; each trial's source_trial names the run whose
 * rule and parameters it repeats). As the paper did with 20 runs per rule: the ranking of the verification study
 * is the verified one. Optionally the learned rules are meta-tested on another data set (transfer).
 */
public final class Verification {
    /** Added to the parent's seed: the verification trials' seeds differ from every seed of the parent study. */
    static final long SEED_OFFSET = 0x5EED_F00DL;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Verification() {
    }

    /** What to verify, and how. */
    public record Plan(String name, int top, int seeds, String onDataset, Integer parallelism) {
    }

    /**
     * Creates the verification study with its K x S trials, or loads it when it exists (nothing is added then).
     *
     * @throws ConfigException when the parent has no COMPLETE rule, or an option is not allowed
     */
    public static Study create(TrialStore store, Study parent, Plan plan) {
        if (plan.top() < 1 || plan.seeds() < 1) {
            throw new ConfigException((plan.top() < 1 ? "--top: " + plan.top() : "--seeds: " + plan.seeds())
                    + " is not allowed; use 1 or more");
        }
        var existing = store.study(plan.name());
        if (existing.isPresent()) {
            if (existing.get().parentId() == null || existing.get().parentId() != parent.id()) {
                throw new ConfigException("--name: a study named '" + plan.name() + "' exists and does not verify '"
                        + parent.name() + "'; choose another name");
            }
        }
        List<RankedRule> ranked = RuleRanking.rank(store.leaderboard(parent.id(),
                parent.direction() == Direction.MAXIMIZE, Integer.MAX_VALUE), RuleRanking.DEFAULT_THRESHOLD);
        if (ranked.isEmpty()) {
            throw new ConfigException("study '" + parent.name() + "' has no COMPLETE trial yet: nothing to verify");
        }
        List<RankedRule> top = ranked.subList(0, Math.min(plan.top(), ranked.size()));
        if (existing.isPresent()) {
            requireSamePlan(store, existing.get(), plan, top.size());
            return existing.get();
        }
        StudyConfig base = StudyConfig.parse(parent.configYaml());
        int budget = top.size() * plan.seeds();
        StudyConfig config = base.derive(n -> {
            n.put("name", plan.name());
            n.put("seed", base.seed() + SEED_OFFSET);
            n.put("budget", budget);
            n.put("parallelism", plan.parallelism() != null ? plan.parallelism() : base.parallelism());
            n.remove("enqueue");
            n.remove("pruner"); // every verification run goes to the end
            n.remove("reproducible"); // every trial is queued now, fixed and seeded: nothing to wait for
            n.putObject("sampler").put("type", "random");
            if (plan.onDataset() != null) {
                n.put("test_dataset", plan.onDataset());
            }
        });
        org.plasticitysearch.orchestrator.workflow.Preflight.check(config); // before any trial is queued
        Study study = store.createOrLoadStudy(config.definition());
        store.linkVerification(study.id(), parent.id());
        // seed-major order: the first S trials cover every rule once, so a stopped verification is still balanced
        int number = 0;
        for (int s = 0; s < plan.seeds(); s++) {
            for (RankedRule rule : top) {
                int source = rule.runs().get(0);
                String params = store.trial(parent.id(), source).orElseThrow().paramsJson();
                Map<String, Object> p = parse(params);
                store.enqueue(study.id(), params, TrialPlan.seed(config.seed(), number), TrialPlan.terms(p),
                        TrialPlan.thetaInit(p), source);
                number++;
            }
        }
        return store.study(plan.name()).orElseThrow();
    }

    /**
     * Resuming is only for the same verification: other --top, --seeds or --on would silently show the old study,
     * so they are refused with the options it was made with.
     */
    private static void requireSamePlan(TrialStore store, Study v, Plan plan, int rules) {
        var rows = new org.plasticitysearch.orchestrator.store.TrialTable(store.dataSource()).rows(v.id());
        long had = rows.stream().map(org.plasticitysearch.orchestrator.store.TrialTable.Row::sourceTrial).distinct()
                .count();
        int seeds = had == 0 ? 0 : (int) (v.budget() / had);
        var on = StudyConfig.parse(v.configYaml()).testDataset();
        if (had != rules || seeds != plan.seeds() || !java.util.Objects.equals(on, plan.onDataset())) {
            throw new ConfigException("study '" + v.name() + "' exists as a verification with " + had + " rule(s) x "
                    + seeds + " seed(s)" + (on == null ? "" : " on " + on) + "; run `study verify` with --top " + had
                    + " --seeds " + seeds + (on == null ? "" : " --on " + on) + " to resume it, or give --name for"
                    + " a new verification");
        }
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
