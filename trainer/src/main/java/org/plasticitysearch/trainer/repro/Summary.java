package org.plasticitysearch.trainer.repro;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.plasticitysearch.trainer.meta.Bootstrap;
import org.plasticitysearch.trainer.meta.EpisodeReport;
import org.plasticitysearch.trainer.rule.Rule;
import org.plasticitysearch.trainer.rule.TermPool;

/**
 * What a reproduction found, per rule: the mean meta-accuracy over an episode window with its 98% bootstrap
 * interval over seeds (the paper's convention: 500 resamples), the meta-test accuracy, the diverged seeds, what the
 * safeguards did, and the mean learned rule. Written as {@code summary.md} (a table) and {@code summary.json}.
 */
public final class Summary {
    public static final double LEVEL = 0.98;
    public static final int RESAMPLES = 500;

    /** One rule's statistics over the seeds that finished (NaN where none did). */
    public record RuleSummary(Reproduction.RuleRun rule, int seeds, int from, int to, double[] perSeedWindow,
                              double windowMean, double windowLow, double windowHigh, double testMean,
                              double testLow, double testHigh, List<int[]> diverged, int clipped, int rejected, int limited,
                              double[] meanTheta, double[] meanShares) {
        public String formula() {
            return perSeedWindow.length == 0 ? "-" : new Rule(rule.terms()).formula(meanTheta);
        }
    }

    private Summary() {
    }

    public static List<RuleSummary> of(List<Reproduction.Run> runs, List<Reproduction.RuleRun> rules, int from,
                                       int to) {
        List<RuleSummary> out = new ArrayList<>();
        for (Reproduction.RuleRun rule : rules) {
            List<Reproduction.Run> mine = runs.stream().filter(r -> r.rule().name().equals(rule.name())).toList();
            List<Reproduction.Run> ok = mine.stream().filter(r -> !r.diverged()).toList();
            double[] window = ok.stream().mapToDouble(r -> r.episodes().stream()
                    .filter(e -> e.episode() > from && e.episode() <= to).mapToDouble(EpisodeReport::accuracy)
                    .average().orElse(Double.NaN)).toArray();
            double[] tests = ok.stream().filter(r -> r.test() != null).mapToDouble(r -> r.test().mean()).toArray();
            double[] w = Bootstrap.meanInterval(window, LEVEL, RESAMPLES, 1);
            double[] t = Bootstrap.meanInterval(tests, LEVEL, RESAMPLES, 2);
            List<int[]> diverged = mine.stream().filter(Reproduction.Run::diverged)
                    .map(r -> new int[]{r.seed(), r.divergedAt()}).toList();
            double[] theta = new double[TermPool.SIZE];
            double[] shares = new double[TermPool.SIZE];
            int clipped = 0;
            int rejected = 0;
            int limited = 0;
            for (Reproduction.Run r : mine) {
                if (!r.episodes().isEmpty()) {
                    EpisodeReport last = r.episodes().get(r.episodes().size() - 1);
                    clipped += last.clipped();
                    rejected += last.rejections();
                    limited += last.limited();
                }
            }
            for (Reproduction.Run r : ok) {
                double[] th = r.episodes().get(r.episodes().size() - 1).theta();
                for (int i = 0; i < TermPool.SIZE; i++) {
                    theta[i] += th[i] / ok.size();
                    shares[i] += r.test() == null ? Double.NaN : r.test().termShares()[i] / ok.size();
                }
            }
            if (ok.isEmpty()) {
                java.util.Arrays.fill(theta, Double.NaN);
                java.util.Arrays.fill(shares, Double.NaN);
            }
            out.add(new RuleSummary(rule, mine.size(), from, to, window, w[0], w[1], w[2], t[0], t[1], t[2], diverged,
                    clipped, rejected, limited, theta, shares));
        }
        return out;
    }

    /** A Markdown table: window accuracy with its interval, meta-test accuracy, mean learned rule, safeguards. */
    public static String markdown(List<RuleSummary> rows) {
        StringBuilder sb = new StringBuilder();
        RuleSummary any = rows.isEmpty() ? null : rows.get(0);
        sb.append(String.format(Locale.ROOT, "| rule | feedback | λ | meta-accuracy, episodes %d–%d: mean [98%% CI over"
                + " seeds] | meta-test accuracy | learned rule (mean θ over seeds) | clipped / rejected /"
                + " trust-limited episodes (all seeds) | diverged seeds |%n", any == null ? 0 : any.from() + 1, any == null ? 0 : any.to()));
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (RuleSummary r : rows) {
            StringBuilder div = new StringBuilder();
            for (int[] d : r.diverged()) {
                div.append(div.length() == 0 ? "" : ", ").append("seed ").append(d[0]).append(" at episode ").append(d[1]);
            }
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f [%.3f, %.3f] (%d of %d seeds) | %.3f | %s | %d / %d / %d"
                            + " | %s |%n", r.rule().name(), r.rule().feedback().label(), r.rule().lambda(), r.windowMean(),
                    r.windowLow(), r.windowHigh(), r.perSeedWindow().length, r.seeds(), r.testMean(), r.formula(),
                    r.clipped(), r.rejected(), r.limited(), div.length() == 0 ? "none" : div));
        }
        return sb.toString();
    }

    /** summary.json: the settings and, per rule, every number of the table plus per-seed values. */
    public static void writeJson(List<RuleSummary> rows, Map<String, Object> settings, Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("settings", settings);
        root.put("ci_level", LEVEL);
        root.put("bootstrap_resamples", RESAMPLES);
        List<Map<String, Object>> rules = new ArrayList<>();
        for (RuleSummary r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", r.rule().name());
            m.put("terms", r.rule().terms());
            m.put("feedback", r.rule().feedback().label());
            m.put("lambda", r.rule().lambda());
            m.put("seeds", r.seeds());
            m.put("finished_seeds", r.perSeedWindow().length);
            m.put("window", new int[]{r.from() + 1, r.to()});
            m.put("window_accuracy_per_seed", finite(r.perSeedWindow()));
            m.put("window_accuracy", finite(r.windowMean()));
            m.put("window_accuracy_ci", new Double[]{finite(r.windowLow()), finite(r.windowHigh())});
            m.put("test_accuracy", finite(r.testMean()));
            m.put("test_accuracy_ci", new Double[]{finite(r.testLow()), finite(r.testHigh())});
            List<Map<String, Integer>> div = new ArrayList<>();
            for (int[] d : r.diverged()) {
                div.add(Map.of("seed", d[0], "episode", d[1]));
            }
            m.put("diverged", div);
            m.put("clipped_episodes", r.clipped());
            m.put("rejected_episodes", r.rejected());
            m.put("limited_episodes", r.limited());
            m.put("theta", finite(r.meanTheta()));
            m.put("term_shares", finite(r.meanShares()));
            m.put("formula", r.formula());
            rules.add(m);
        }
        root.put("rules", rules);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Double[] finite(double[] v) {
        Double[] r = new Double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = finite(v[i]);
        }
        return r;
    }
}
