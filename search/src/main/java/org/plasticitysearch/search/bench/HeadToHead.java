package org.plasticitysearch.search.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.RandomSampler;
import org.plasticitysearch.search.Sampler;
import org.plasticitysearch.search.TrialRecord;
import org.plasticitysearch.search.tpe.TpeSampler;

/**
 * Our TPE (Optuna defaults) and our random sampler against Optuna 3.1's TPESampler on the objectives of
 * shared/design/TPE_BENCH.md: S seeds x N sequential trials each, best-so-far after every trial, compared at trials
 * 25, 50 and 100 by median, interquartile range and one-sided Mann-Whitney tests.
 *
 * <p>Usage: {@code ops/search-bench [--seeds 30] [--trials 100] [--optuna PYTHON_SCRIPT | --no-optuna]}.
 */
public final class HeadToHead {
    private HeadToHead() {
    }

    /** best-so-far[seed][trial], oriented so that smaller is better. */
    static double[][] runOurs(Objective o, int seeds, int trials, TpeSampler.Options tpe) {
        double[][] best = new double[seeds][trials];
        for (int s = 0; s < seeds; s++) {
            Sampler sampler = tpe != null ? new TpeSampler(s, tpe) : new RandomSampler(s);
            List<TrialRecord> history = new ArrayList<>();
            double b = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                Map<String, Object> p = sampler.ask(o.space(), o.direction(), history, t);
                double v = o.evaluate(p);
                history.add(TrialRecord.complete(t, p, v));
                b = Math.min(b, o.direction().sign() * v);
                best[s][t] = b;
            }
        }
        return best;
    }

    /** Runs the Optuna script; returns objective name → best-so-far[seed][trial] (smaller is better). */
    static Map<String, double[][]> runOptuna(String script, int seeds, int trials) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/python3", script, "--seeds", Integer.toString(seeds), "--trials",
                Integer.toString(trials)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, double[][]> out = new HashMap<>();
        Map<String, Direction> dirs = new HashMap<>();
        for (Objective o : Objective.all()) {
            out.put(o.name(), new double[seeds][trials]);
            dirs.put(o.name(), o.direction());
        }
        Pattern line = Pattern.compile("\"objective\": \"([a-z0-9_]+)\", \"seed\": (\\d+), \"values\": \\[([^\\]]*)\\]");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                Matcher m = line.matcher(l);
                if (!m.find()) {
                    continue;
                }
                double sign = dirs.get(m.group(1)).sign();
                double[] v = Arrays.stream(m.group(3).split(",")).mapToDouble(x -> Double.parseDouble(x.trim())).toArray();
                double[] row = out.get(m.group(1))[Integer.parseInt(m.group(2))];
                double b = Double.POSITIVE_INFINITY;
                for (int t = 0; t < trials; t++) {
                    b = Math.min(b, sign * v[t]);
                    row[t] = b;
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IOException("the Optuna script exited with " + p.exitValue());
        }
        return out;
    }

    static double[] column(double[][] best, int trial) {
        double[] c = new double[best.length];
        for (int s = 0; s < best.length; s++) {
            c[s] = best[s][trial - 1];
        }
        return c;
    }

    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        double h = (s.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (h - lo) * (s[hi] - s[lo]);
    }

    public static void main(String[] args) throws Exception {
        int seeds = 30;
        int trials = 100;
        String optuna = "ops/bench/optuna_tpe_bench.py";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds": seeds = Integer.parseInt(args[++i]); break;
                case "--trials": trials = Integer.parseInt(args[++i]); break;
                case "--optuna": optuna = args[++i]; break;
                case "--no-optuna": optuna = null; break;
                default:
                    System.err.println("usage: ops/search-bench [--seeds 30] [--trials 100] [--optuna SCRIPT | --no-optuna]");
                    System.exit(2);
            }
        }
        int[] checkpoints = Arrays.stream(new int[]{25, 50, 100}).filter(c -> c <= 100).toArray();
        Map<String, double[][]> optunaBest = optuna == null ? Map.of() : runOptuna(optuna, seeds, trials);
        for (Objective o : Objective.all()) {
            Map<String, double[][]> runs = new LinkedHashMap<>();
            runs.put("ours-tpe", runOurs(o, seeds, trials, TpeSampler.Options.optunaDefaults()));
            if (optunaBest.containsKey(o.name())) {
                runs.put("optuna-tpe", optunaBest.get(o.name()));
            }
            runs.put("ours-random", runOurs(o, seeds, trials, null));
            runs.put("ours-tpe-norm", runOurs(o, seeds, trials,
                    TpeSampler.Options.optunaDefaults().withNormalisedKernels()));
            double sign = o.direction().sign();
            System.out.printf(Locale.ROOT, "%n%s (%s), %d seeds x %d trials: best-so-far median [IQR]%n", o.name(),
                    o.direction().name().toLowerCase(Locale.ROOT), seeds, trials);
            for (Map.Entry<String, double[][]> e : runs.entrySet()) {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-12s", e.getKey()));
                for (int c : checkpoints) {
                    if (c > trials) {
                        continue;
                    }
                    double[] col = column(e.getValue(), c);
                    sb.append(String.format(Locale.ROOT, "  @%d %.4f [%.4f, %.4f]", c, sign * quantile(col, 0.5),
                            sign * quantile(col, sign > 0 ? 0.25 : 0.75), sign * quantile(col, sign > 0 ? 0.75 : 0.25)));
                }
                System.out.println(sb);
            }
            for (int c : checkpoints) {
                if (c > trials) {
                    continue;
                }
                double[] ours = column(runs.get("ours-tpe"), c);
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  trial %3d:", c));
                if (runs.containsKey("optuna-tpe")) {
                    sb.append(String.format(Locale.ROOT, " p(ours worse than optuna) = %.3f;",
                            MannWhitney.pGreater(ours, column(runs.get("optuna-tpe"), c))));
                }
                // H1: random's best-so-far is worse (greater loss) than ours; small p = ours clearly better
                sb.append(String.format(Locale.ROOT, " p(ours not better than random) = %.2g",
                        MannWhitney.pGreater(column(runs.get("ours-random"), c), ours)));
                if (runs.containsKey("optuna-tpe")) {
                    sb.append(String.format(Locale.ROOT, "; normalised kernels: p(worse than optuna) = %.3f",
                            MannWhitney.pGreater(column(runs.get("ours-tpe-norm"), c), column(runs.get("optuna-tpe"), c))));
                }
                System.out.println(sb);
            }
        }
    }
}
