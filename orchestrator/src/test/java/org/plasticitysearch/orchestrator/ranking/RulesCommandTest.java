package org.plasticitysearch.orchestrator.ranking;

import static org.assertj.core.api.Assertions.assertThat;

import org.plasticitysearch.search.Direction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.orchestrator.cli.PlasticityCli;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.StudyDefinition;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.orchestrator.store.TrialOutcome;
import org.plasticitysearch.orchestrator.store.TestDatabases;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.orchestrator.store.TrialStore;

/**
 * {@code results rules} on a stored study of 26 finished trials (5 rules, 1 to 8 runs each): every printed mean,
 * 98% interval, run count, complexity and formula is recomputed here from the database with plain SQL and this
 * test's own bootstrap (same seed, same resampling), not with the ranking code.
 */
class RulesCommandTest {
    static final int[][] RULES = {{0}, {0, 2}, {0, 2, 9}, {0, 9}, {0, 3}};
    static final int[] RUNS = {8, 6, 5, 1, 4};

    @Test
    void printedRankingMatchesAnIndependentRecomputation() throws Exception {
        String url = TestDatabases.fresh("rules");
        try (Database db = Database.open(TestDatabases.config(url))) {
            TrialStore store = new TrialStore(db.dataSource());
            seed(store);
            String out = run("results", "rules", "ranked", "--db", url, "--top", "10");

            Map<String, double[]> expected = recompute(db);
            Pattern row = Pattern.compile("^(\\d+)\\s+(\\d\\.\\d{3}) \\[(\\d\\.\\d{3}), (\\d\\.\\d{3})\\]( \\*)?( ≈)?"
                    + "\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(.*?)\\s+(ΔW = .*)$");
            List<String> seen = new ArrayList<>();
            double previous = Double.MAX_VALUE;
            for (String line : out.split("\n")) {
                Matcher m = row.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                String key = ruleOf(db, Integer.parseInt(m.group(9)));
                double[] e = expected.get(key);
                assertThat(e).as("rule of trial %s", m.group(9)).isNotNull();
                assertThat(Double.parseDouble(m.group(2))).as("mean of %s", key).isCloseTo(e[0], within());
                assertThat(Double.parseDouble(m.group(3))).as("CI low of %s", key).isCloseTo(e[1], within());
                assertThat(Double.parseDouble(m.group(4))).as("CI high of %s", key).isCloseTo(e[2], within());
                assertThat(Integer.parseInt(m.group(7))).as("runs of %s", key).isEqualTo((int) e[3]);
                assertThat(Integer.parseInt(m.group(8))).as("complexity of %s", key).isEqualTo((int) e[4]);
                assertThat(Integer.parseInt(m.group(9))).as("best run of %s", key).isEqualTo((int) e[5]);
                Map<Integer, Double> printed = coefficients(m.group(11));
                Map<Integer, Double> stored = stored(db, Integer.parseInt(m.group(9)));
                assertThat(printed.keySet()).as("terms of %s: %s", key, m.group(11)).isEqualTo(stored.keySet());
                for (int r : stored.keySet()) {
                    assertThat(printed.get(r)).as("θ%d of %s: %s", r, key, m.group(11))
                            .isCloseTo(stored.get(r), org.assertj.core.data.Percentage.withPercentage(0.05));
                }
                assertThat(e[0]).as("ranked by mean").isLessThanOrEqualTo(previous);
                previous = e[0];
                seen.add(key);
            }
            assertThat(seen).as(out).hasSize(RULES.length);
            // weight decay's share is below 5% in every run of {0, 3}: complexity 1, named in the effective terms
            assertThat(out).contains("pseudo-gradient").contains("eHebb").contains("Oja");
        }
    }

    static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(0.0005 + 1e-12);
    }

    /** 26 finished trials: accuracies around a per-rule level, shares that make some terms ineffective. */
    static void seed(TrialStore store) {
        Study s = store.createOrLoadStudy(new StudyDefinition("ranked", "name: ranked\n", "{}",
                "test_accuracy", Direction.MAXIMIZE, 100, 1));
        SplittableRandom rng = new SplittableRandom(42);
        double[] level = {0.40, 0.60, 0.66, 0.52, 0.41};
        for (int g = 0; g < RULES.length; g++) {
            for (int k = 0; k < RUNS[g]; k++) {
                double[] theta0 = new double[10];
                theta0[0] = 1e-3;
                Trial t = store.enqueue(s.id(), "{}", g * 100 + k, RULES[g], theta0);
                Trial claimed = store.claim(s.id(), "w").orElseThrow();
                assertThat(claimed.id()).isEqualTo(t.id());
                double[] theta = new double[10];
                double[] shares = new double[10];
                double total = 0;
                for (int r : RULES[g]) {
                    theta[r] = (r == 2 ? -1 : 1) * (0.005 + 0.02 * rng.nextDouble());
                    // F3's update is tiny next to the pseudo-gradient's; F9's is sizable
                    shares[r] = r == 3 ? 0.01 + 0.02 * rng.nextDouble() : r == 0 ? 1.0 : 0.3 + 0.4 * rng.nextDouble();
                    total += shares[r];
                }
                for (int r = 0; r < 10; r++) {
                    shares[r] /= total;
                }
                double acc = Math.round((level[g] + 0.08 * (rng.nextDouble() - 0.5)) * 1000) / 1000.0;
                store.finish(t.id(), "w", TrialOutcome.scored(TrialState.COMPLETE, acc)
                        .withRule(theta, shares)
                        .withTest(acc, acc - 0.05, acc + 0.05, 0.98, 20)
                        .withRun(100, false, 1.0));
            }
        }
    }

    static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = new picocli.CommandLine(new PlasticityCli()).execute(args);
            assertThat(code).isZero();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** Per rule: mean, CI low, CI high, runs, complexity, best trial — from SQL and this test's own bootstrap. */
    static Map<String, double[]> recompute(Database db) throws Exception {
        Map<String, List<double[]>> byRule = new LinkedHashMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT t.number, r.test_accuracy, r.test_ci_low, r.test_ci_high,"
                     + " (SELECT string_agg(term::text, ',' ORDER BY term) FROM trial_term WHERE trial_id = t.id AND active),"
                     + " (SELECT array_agg(update_share ORDER BY term) FROM trial_term WHERE trial_id = t.id)"
                     + " FROM trial t JOIN trial_result r ON r.trial_id = t.id WHERE t.state = 'COMPLETE' ORDER BY t.number")) {
            while (rs.next()) {
                Object[] sh = (Object[]) rs.getArray(6).getArray();
                double[] v = new double[14];
                v[0] = rs.getInt(1);
                v[1] = rs.getDouble(2);
                v[2] = rs.getDouble(3);
                v[3] = rs.getDouble(4);
                for (int r = 0; r < 10; r++) {
                    v[4 + r] = ((Number) sh[r]).doubleValue();
                }
                byRule.computeIfAbsent(rs.getString(5), k -> new ArrayList<>()).add(v);
            }
        }
        Map<String, double[]> out = new TreeMap<>();
        for (var e : byRule.entrySet()) {
            List<double[]> runs = e.getValue();
            double[] acc = runs.stream().mapToDouble(v -> v[1]).toArray();
            double mean = Arrays.stream(acc).average().orElseThrow();
            double lo;
            double hi;
            if (acc.length == 1) {
                lo = runs.get(0)[2];
                hi = runs.get(0)[3];
            } else {
                SplittableRandom rng = new SplittableRandom(20230328L);
                double[] means = new double[500];
                for (int b = 0; b < 500; b++) {
                    double s = 0;
                    for (int i = 0; i < acc.length; i++) {
                        s += acc[rng.nextInt(acc.length)];
                    }
                    means[b] = s / acc.length;
                }
                Arrays.sort(means);
                lo = percentile(means, 0.01);
                hi = percentile(means, 0.99);
            }
            int complexity = 0;
            for (int r = 0; r < 10; r++) {
                double share = 0;
                for (double[] v : runs) {
                    share += v[4 + r];
                }
                if (share / runs.size() >= 0.05) {
                    complexity++;
                }
            }
            double[] best = runs.stream().max((a, b) -> a[1] != b[1] ? Double.compare(a[1], b[1])
                    : Double.compare(b[0], a[0])).orElseThrow();
            out.put(e.getKey(), new double[]{mean, lo, hi, runs.size(), complexity, best[0]});
        }
        return out;
    }

    static double percentile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        return sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]);
    }

    static String ruleOf(Database db, int trial) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT string_agg(term::text, ',' ORDER BY term) FROM trial_term tt"
                     + " JOIN trial t ON t.id = tt.trial_id WHERE t.number = " + trial + " AND tt.active")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** term -> signed coefficient, read back from a printed formula such as {@code ΔW = 0.0201·F0 − 0.0364·F2}. */
    static Map<Integer, Double> coefficients(String formula) {
        Map<Integer, Double> out = new TreeMap<>();
        Matcher m = Pattern.compile("([+−]?)\\s*([0-9][0-9.eE+-]*)·F(\\d)").matcher(formula.substring(4));
        while (m.find()) {
            out.put(Integer.parseInt(m.group(3)), (m.group(1).equals("−") ? -1 : 1) * Double.parseDouble(m.group(2)));
        }
        return out;
    }

    /** The best run's learned coefficients of its active terms, from trial_term. */
    static Map<Integer, Double> stored(Database db, int trial) throws Exception {
        Map<Integer, Double> out = new TreeMap<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT tt.term, tt.theta_final FROM trial_term tt JOIN trial t"
                     + " ON t.id = tt.trial_id WHERE t.number = " + trial + " AND tt.active ORDER BY tt.term")) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getDouble(2));
            }
        }
        return out;
    }
}
