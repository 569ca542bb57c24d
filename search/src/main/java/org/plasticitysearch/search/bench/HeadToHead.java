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
import java.util.function.LongFunction;
import java.util.regex.Pattern;
import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.RandomSampler;
import org.plasticitysearch.search.Sampler;
import org.plasticitysearch.search.TrialRecord;
import org.plasticitysearch.search.gp.GpSampler;
import org.plasticitysearch.search.tpe.TpeSampler;

/**
 * Our TPE (Optuna defaults), our GP sampler and our random sampler against Optuna 3.1's TPESampler on the objectives of
 * docs/TPE_BENCH.md: S seeds x N sequential trials each, best-so-far after every trial, compared at trials
 * 25, 50 and 100 by median, interquartile range and one-sided Mann-Whitney tests.
 *
 * <p>Usage: {@code ops/search-bench [--seeds 30] [--seed-offset 0] [--trials 100] [--optuna PYTHON_SCRIPT |
 * --no-optuna] [--gp-only] [--gp-cap N] [--gp-fit N[:R]] [--ask-times] [--hash]}. Seeds run from the offset;
 * Optuna is run for offset + seeds seeds and the first offset dropped (its script takes no offset).
 * {@code --gp-only} skips our TPE and random rows (a quick check of the GP against Optuna); {@code --gp-cap N}
 * adds the GP conditioned on at most N observations (the best N / 3), {@code --gp-fit N[:R]} the GP whose
 * hyperparameters are fitted first on at most N of them, then R L-BFGS iterations (default 5) on all, each compared
 * with the default GP at every checkpoint up to the trial count; {@code --ask-times} only measures the ask times (the variants' too) at 100 / 1,000 / 10,000
 * trials; {@code --hash} only prints a hash of each default sampler's proposals ({@link ProposalHash}).
 */
public final class HeadToHead {
    private HeadToHead() {
    }

    /** best-so-far[seed][trial], oriented so that smaller is better. */
    static double[][] runOurs(Objective o, int seeds, int trials, TpeSampler.Options tpe) {
        return runOurs(o, 0, seeds, trials, s -> tpe != null ? new TpeSampler(s, tpe) : new RandomSampler(s));
    }

    /** best-so-far[seed - offset][trial] for the sampler made from each seed. */
    static double[][] runOurs(Objective o, int offset, int seeds, int trials, LongFunction<Sampler> make) {
        double[][] best = new double[seeds][trials];
        for (int s = 0; s < seeds; s++) {
            Sampler sampler = make.apply(offset + s);
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
    static Map<String, double[][]> runOptuna(String script, int offset, int seeds, int trials)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/python3", script, "--seeds", Integer.toString(offset + seeds), "--trials",
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
                int seed = Integer.parseInt(m.group(2)) - offset;
                if (seed < 0 || seed >= seeds) {
                    continue;
                }
                double sign = dirs.get(m.group(1)).sign();
                double[] v = Arrays.stream(m.group(3).split(",")).mapToDouble(x -> Double.parseDouble(x.trim())).toArray();
                double[] row = out.get(m.group(1))[seed];
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

    /** args[i] as an integer of at least min, or the usage line and exit status 2. */
    private static int positive(String[] args, int i, int min) {
        try {
            int v = Integer.parseInt(args[i]);
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // the usage line below says what is allowed
        }
        System.err.println("search-bench: '" + (i < args.length ? args[i] : "") + "' is not allowed here: give a"
                + " whole number of at least " + min + " (--gp-cap N, --gp-fit N[:R])");
        System.exit(2);
        return 0;
    }

    public static void main(String[] args) throws Exception {
        int seeds = 30;
        int offset = 0;
        int trials = 100;
        boolean gpOnly = false;
        Map<String, GpSampler.Options> gpVariants = new LinkedHashMap<>();
        boolean askTimes = false;
        String optuna = "ops/bench/optuna_tpe_bench.py";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds": seeds = Integer.parseInt(args[++i]); break;
                case "--seed-offset": offset = Integer.parseInt(args[++i]); break;
                case "--trials": trials = Integer.parseInt(args[++i]); break;
                case "--optuna": optuna = args[++i]; break;
                case "--no-optuna": optuna = null; break;
                case "--gp-only": gpOnly = true; break;
                case "--gp-cap": {
                    int cap = positive(args, ++i, 3);
                    gpVariants.put("gp-cap" + cap, GpSampler.Options.defaults().withObservations(cap, cap / 3));
                    break;
                }
                case "--gp-fit": { // N or N:R, R refinement iterations on all observations (default 5)
                    String[] f = args[++i].split(":", 2);
                    GpSampler.Options o = GpSampler.Options.defaults().withFitObservations(positive(f, 0, 3));
                    gpVariants.put("gp-fit" + args[i], f.length > 1 ? o.withRefitIterations(positive(f, 1, 0)) : o);
                    break;
                }
                case "--ask-times": askTimes = true; break;
                case "--hash":
                    ProposalHash.run();
                    return;
                default:
                    System.err.println("usage: ops/search-bench [--seeds 30] [--seed-offset 0] [--trials 100]"
                            + " [--optuna SCRIPT | --no-optuna] [--gp-only] [--gp-cap N] [--gp-fit N[:R]]"
                            + " [--ask-times] [--hash]");
                    System.exit(2);
            }
        }
        if (askTimes) {
            AskTimes.run(gpVariants);
            return;
        }
        final int off = offset;
        final int trialCount = trials;
        int[] checkpoints = Arrays.stream(new int[]{25, 50, 100, 150, 200, 300, 500, 1000})
                .filter(c -> c <= trialCount).toArray();
        Map<String, double[][]> optunaBest = optuna == null ? Map.of() : runOptuna(optuna, offset, seeds, trials);
        for (Objective o : Objective.all()) {
            Map<String, double[][]> runs = new LinkedHashMap<>();
            if (!gpOnly) {
                runs.put("ours-tpe", runOurs(o, off, seeds, trials,
                        s -> new TpeSampler(s, TpeSampler.Options.optunaDefaults())));
            }
            if (optunaBest.containsKey(o.name())) {
                runs.put("optuna-tpe", optunaBest.get(o.name()));
            }
            if (!gpOnly) {
                runs.put("ours-random", runOurs(o, off, seeds, trials, RandomSampler::new));
                runs.put("ours-tpe-norm", runOurs(o, off, seeds, trials,
                        s -> new TpeSampler(s, TpeSampler.Options.optunaDefaults().withNormalisedKernels())));
            }
            runs.put("ours-gp", runOurs(o, off, seeds, trials, s -> new GpSampler(s, GpSampler.Options.defaults())));
            for (Map.Entry<String, GpSampler.Options> v : gpVariants.entrySet()) {
                runs.put(v.getKey(), runOurs(o, off, seeds, trials, s -> new GpSampler(s, v.getValue())));
            }
            double sign = o.direction().sign();
            System.out.printf(Locale.ROOT, "%n%s (%s), %d seeds (from %d) x %d trials: best-so-far median [IQR]%n",
                    o.name(), o.direction().name().toLowerCase(Locale.ROOT), seeds, offset, trials);
            for (Map.Entry<String, double[][]> e : runs.entrySet()) {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-13s", e.getKey()));
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
                if (c > trials || !runs.containsKey("ours-tpe")) {
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
            for (int c : checkpoints) {
                if (c > trials || !(runs.containsKey("optuna-tpe") || runs.containsKey("ours-tpe"))) {
                    continue;
                }
                double[] gp = column(runs.get("ours-gp"), c);
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  gp @%3d:", c));
                if (runs.containsKey("optuna-tpe")) {
                    double[] ot = column(runs.get("optuna-tpe"), c);
                    sb.append(String.format(Locale.ROOT, " p(gp worse than optuna) = %.3f, p(gp better than optuna)"
                            + " = %.3g;", MannWhitney.pGreater(gp, ot), MannWhitney.pGreater(ot, gp)));
                }
                if (runs.containsKey("ours-tpe")) {
                    double[] tp = column(runs.get("ours-tpe"), c);
                    sb.append(String.format(Locale.ROOT, " p(gp worse than ours-tpe) = %.3f, p(better) = %.3g;",
                            MannWhitney.pGreater(gp, tp), MannWhitney.pGreater(tp, gp)));
                }
                if (runs.containsKey("ours-random")) {
                    double[] rd = column(runs.get("ours-random"), c);
                    sb.append(String.format(Locale.ROOT, " p(gp worse than random) = %.3f, p(gp better than"
                            + " random) = %.2g", MannWhitney.pGreater(gp, rd), MannWhitney.pGreater(rd, gp)));
                }
                System.out.println(sb);
            }
            for (String v : gpVariants.keySet()) {
                for (int c : checkpoints) {
                    double[] gp = column(runs.get("ours-gp"), c);
                    double[] variant = column(runs.get(v), c);
                    System.out.printf(Locale.ROOT, "  %s @%3d: p(worse than the default GP) = %.3f, p(better) = %.3f%n",
                            v, c, MannWhitney.pGreater(variant, gp), MannWhitney.pGreater(gp, variant));
                }
            }
        }
    }
}
