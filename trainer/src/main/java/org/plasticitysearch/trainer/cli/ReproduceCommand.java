package org.plasticitysearch.trainer.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.plasticitysearch.trainer.data.DataException;
import org.plasticitysearch.trainer.data.Dataset;
import org.plasticitysearch.trainer.data.DatasetRegistry;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.meta.Safeguards;
import org.plasticitysearch.trainer.meta.TermScaling;
import org.plasticitysearch.trainer.process.TrialSpec;
import org.plasticitysearch.trainer.repro.Plots;
import org.plasticitysearch.trainer.repro.Reproduction;
import org.plasticitysearch.trainer.repro.Summary;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trainer reproduce}: the paper's rule comparison, to a CSV, two PNG plots and a Markdown table. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Meta-train FA, BP, eHebb, Oja, bio and the pool for N episodes and S seeds; write"
                + " episodes.csv, accuracy.png, theta.png, summary.md and summary.json into --out.")
final class ReproduceCommand implements Callable<Integer> {
    @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "data set (default fashion-mnist)")
    String dataset;

    @Option(names = "--data-dir", description = "folder holding the IDX files")
    String dataDir;

    @Option(names = "--protocol", defaultValue = "authors",
            description = "authors: test split, 400 images per class, classes drawn with replacement, always the"
                    + " first K (train) and next Q (query) images of a class, as the authors' code (default);"
                    + " default: train split, all images, classes without replacement, images at random")
    String protocol;

    @Option(names = "--rules", defaultValue = "fa,bp,ehebb,oja,bio,pool", split = ",", description = "rules to run")
    List<String> rules;

    @Option(names = "--episodes", defaultValue = "300") int episodes;

    @Option(names = "--seeds", defaultValue = "3") int seeds;

    @Option(names = "--first-seed", defaultValue = "1", description = "seeds are FIRST, FIRST+1, ... (default 1)")
    int firstSeed;

    @Option(names = "--meta-lr", defaultValue = "0.001", description = "Adam's learning rate on theta (default 1e-3)")
    double metaLr;

    @Option(names = "--pool-lambda", defaultValue = "0.0", description = "L1 weight for the pool (default 0)")
    double poolLambda;

    @Option(names = "--eval-tasks", defaultValue = "20", description = "meta-test tasks per run (default 20)")
    int evalTasks;

    @Option(names = "--window", split = ",",
            description = "episodes (from,to] averaged in the table (default: the second half, N/2,N)")
    int[] window;

    @Option(names = "--threads", description = "parallel runs (default: available processors)")
    Integer threads;

    @Option(names = "--precision", defaultValue = "float32") String precision;

    @Option(names = "--theta-min", split = ",", paramLabel = "R=VALUE",
            description = "lower bounds on coefficients (projected Adam), e.g. 9=0 keeps Oja's term non-negative")
    java.util.Map<Integer, Double> thetaMinOption;

    @Option(names = "--unconstrained", description = "meta-train with Adam alone, as the paper (no gradient clipping,"
            + " no rejected episodes, no term scaling, no trust region)")
    boolean unconstrained;

    @Option(names = "--grad-clip", description = "clip factor (x running median meta-gradient norm; 0 off)")
    Double gradClip;

    @Option(names = "--term-scaling", description = "none or norm (per-term Adam step scaling)")
    String termScaling;

    @Option(names = "--reject-factor", description = "reject an episode whose meta-gradient norm exceeds this"
            + " many times the running median (0 off)")
    Double rejectFactor;

    @Option(names = "--trust-region", arity = "1", description = "true or false: limit the terms' combined step")
    Boolean trustRegion;

    @Option(names = "--reject-shrink", description = "meta learning rate factor after a rejected episode")
    Double rejectShrink;

    @Option(names = "--reject-limit", description = "rejected episodes in a row before a run counts as diverged")
    Integer rejectLimit;

    @Option(names = "--out", required = true, description = "output folder") Path out;

    private double[] lowerBounds() {
        if (thetaMinOption == null || thetaMinOption.isEmpty()) {
            return null;
        }
        double[] b = new double[10];
        java.util.Arrays.fill(b, Double.NEGATIVE_INFINITY);
        thetaMinOption.forEach((r, v) -> b[r] = v);
        return b;
    }

    private Safeguards safeguards() {
        Safeguards b = unconstrained ? Safeguards.OFF : Safeguards.DEFAULTS;
        return new Safeguards(gradClip != null ? gradClip : b.gradClip(), b.clipWindow(),
                rejectFactor != null ? rejectFactor : b.rejectFactor(),
                rejectLimit != null ? rejectLimit : b.rejectLimit(), rejectShrink != null ? rejectShrink : b.rejectShrink(),
                termScaling != null ? TermScaling.parse(termScaling) : b.termScaling(),
                trustRegion != null ? trustRegion : b.trustRegion());
    }

    @Override
    public Integer call() throws Exception {
        boolean authors;
        switch (protocol.toLowerCase(Locale.ROOT)) {
            case "authors": authors = true; break;
            case "default": authors = false; break;
            default:
                System.err.println("error: --protocol: '" + protocol + "' is not allowed; use authors or default");
                return 2;
        }
        Safeguards safeguards;
        try {
            safeguards = safeguards();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        if (window == null) {
            window = new int[]{episodes / 2, episodes};
        }
        if (episodes < 1 || seeds < 1 || window.length != 2 || window[0] >= window[1] || !(metaLr > 0)) {
            System.err.println("error: --episodes and --seeds must be >= 1, --meta-lr > 0 and --window FROM,TO with FROM < TO");
            return 2;
        }
        Dataset data;
        try {
            data = DatasetRegistry.load(dataset, dataDir,
                    authors ? DatasetRegistry.Split.TEST : DatasetRegistry.Split.TRAIN, authors ? 400 : 0);
        } catch (DataException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 4;
        }
        if (thetaMinOption != null) {
            for (Integer r : thetaMinOption.keySet()) {
                double initial = r == 0 ? 1e-3 : 0.0;
                if (r < 0 || r > 9 || thetaMinOption.get(r) > initial) {
                    System.err.println("error: --theta-min: " + r + "=" + thetaMinOption.get(r) + " is not allowed;"
                            + " use R=VALUE with R in 0..9 and VALUE at most the initial theta_R (1e-3 for R=0, else 0)");
                    return 2;
                }
            }
        }
        List<Reproduction.RuleRun> ruleRuns = new ArrayList<>();
        try {
            for (String r : rules) {
                ruleRuns.add(Reproduction.named(r.trim(), poolLambda));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: --rules: " + e.getMessage());
            return 2;
        }
        Files.createDirectories(out);
        Reproduction.Settings s = new Reproduction.Settings(TrialSpec.PAPER_DIMS, 5, 50, 10, authors, authors, episodes, metaLr,
                Precision.parse(precision), evalTasks, 10, lowerBounds(), safeguards);
        int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "%s, %s protocol: %d rules x %d seeds x %d episodes on %d threads%n",
                data.name(), protocol, ruleRuns.size(), seeds, episodes, nThreads);
        List<Reproduction.Run> runs = Reproduction.runAll(data, s, ruleRuns, firstSeed, seeds, nThreads, System.out);
        Reproduction.writeCsv(runs, out.resolve("episodes.csv"));
        Plots.accuracyCurves(runs, ruleRuns, 10, data.name() + " (" + protocol + " protocol), " + seeds
                + " seeds: mean and 98% bootstrap band over seeds; FA and BP dashed", out.resolve("accuracy.png"));
        Plots.thetaTrajectories(runs, ruleRuns, out.resolve("theta.png"));
        int from = Math.min(window[0], episodes - 1);
        int to = Math.min(window[1], episodes);
        List<Summary.RuleSummary> summary = Summary.of(runs, ruleRuns, from, to);
        String table = Summary.markdown(summary);
        Files.writeString(out.resolve("summary.md"), table, StandardCharsets.UTF_8);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("dataset", data.name());
        settings.put("protocol", protocol);
        settings.put("episodes", episodes);
        settings.put("seeds", seeds);
        settings.put("first_seed", firstSeed);
        settings.put("meta_lr", metaLr);
        settings.put("pool_lambda", poolLambda);
        settings.put("precision", precision);
        settings.put("eval_tasks", evalTasks);
        settings.put("safeguards", s.safeguards().toMap());
        Summary.writeJson(summary, settings, out.resolve("summary.json"));
        System.out.println();
        System.out.print(table);
        System.out.println("wrote " + out.resolve("episodes.csv") + ", accuracy.png, theta.png, summary.md, summary.json");
        return 0;
    }
}
