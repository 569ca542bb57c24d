package org.plasticitysearch.trainer.repro;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.plasticitysearch.trainer.data.Dataset;
import org.plasticitysearch.trainer.data.TaskSampler;
import org.plasticitysearch.trainer.episode.EpisodeEngine;
import org.plasticitysearch.trainer.episode.Feedback;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.meta.DivergenceException;
import org.plasticitysearch.trainer.meta.EpisodeReport;
import org.plasticitysearch.trainer.meta.MetaTestResult;
import org.plasticitysearch.trainer.meta.MetaTrainer;
import org.plasticitysearch.trainer.meta.Safeguards;
import org.plasticitysearch.trainer.rule.Rule;

/**
 * The paper's comparison of named rules (FA, BP, eHebb, Oja, bio, pool): each meta-trained for N episodes with
 * S seeds, then meta-tested; writes every episode to a CSV and draws the curves.
 */
public final class Reproduction {
    /** One named rule as run: its terms, feedback mode and L1 weight. */
    public record RuleRun(String name, int[] terms, Feedback feedback, double lambda) {
    }

    /** The outcome of one (rule, seed); divergedAt is the episode whose loss or weights blew up, or 0. */
    public record Run(RuleRun rule, int seed, List<EpisodeReport> episodes, MetaTestResult test, int divergedAt) {
        public boolean diverged() {
            return divergedAt > 0;
        }
    }

    /** Settings shared by every run. */
    public record Settings(int[] dims, int m, int k, int q, boolean classesWithReplacement, boolean firstImages,
                           int episodes, double metaLr, Precision precision, int evalTasks, int metricsEvery,
                           double[] thetaMin, Safeguards safeguards) {
    }

    private Reproduction() {
    }

    /** The paper's named rules; every rule learns with FA except "bp". */
    public static RuleRun named(String name, double poolLambda) {
        String n = name.toLowerCase(Locale.ROOT);
        return new RuleRun(n, Rule.named(n), n.equals("bp") ? Feedback.BP : Feedback.FA,
                n.equals("pool") ? poolLambda : 0.0);
    }

    public static List<Run> runAll(Dataset data, Settings s, List<RuleRun> rules, int seeds, int threads,
                                   java.io.PrintStream progress) throws InterruptedException {
        return runAll(data, s, rules, 1, seeds, threads, progress);
    }

    /** As above with the seeds firstSeed, firstSeed + 1, ... (other seeds than a published table's). */
    public static List<Run> runAll(Dataset data, Settings s, List<RuleRun> rules, int firstSeed, int seeds,
                                   int threads, java.io.PrintStream progress) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        List<Future<Run>> futures = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        int total = rules.size() * seeds;
        long t0 = System.nanoTime();
        for (RuleRun rule : rules) {
            for (int seed = firstSeed; seed < firstSeed + seeds; seed++) {
                int sd = seed;
                futures.add(pool.submit(() -> {
                    Run r = runOne(data, s, rule, sd, threads);
                    int d = done.incrementAndGet();
                    if (progress != null) {
                        double el = (System.nanoTime() - t0) / 1e9;
                        String outcome = r.diverged() ? "DIVERGED at episode " + r.divergedAt()
                                : String.format(Locale.ROOT, "meta-test %.3f", r.test() == null ? Double.NaN : r.test().mean());
                        progress.printf(Locale.ROOT, "[%d/%d] %-6s seed %d  %s  (%.0f s elapsed, ~%.0f s left)%n",
                                d, total, rule.name(), sd, outcome, el, el / d * (total - d));
                    }
                    return r;
                }));
            }
        }
        pool.shutdown();
        List<Run> runs = new ArrayList<>();
        for (Future<Run> f : futures) {
            try {
                runs.add(f.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("a reproduction run failed: " + e.getCause(), e.getCause());
            }
        }
        return runs;
    }

    static Run runOne(Dataset data, Settings s, RuleRun rule, int seed, int threads) {
        TaskSampler sampler = new TaskSampler(data, s.m(), s.k(), s.q(), s.classesWithReplacement(),
                s.firstImages());
        EpisodeEngine engine = new EpisodeEngine(s.dims(), 10.0, rule.feedback(), s.precision(), new Rule(rule.terms()));
        // runs side by side each get a share of the heap's tape budget: many threads replay instead of taping
        engine.weightTapeLimit(Runtime.getRuntime().maxMemory() / 4 / Math.max(1, threads));
        double[] theta = new double[10];
        theta[0] = 1e-3;
        MetaTrainer trainer = new MetaTrainer(engine, sampler, seed, theta, s.metaLr(), rule.lambda())
                .withBounds(s.thetaMin(), null).withSafeguards(s.safeguards());
        List<EpisodeReport> eps = new ArrayList<>();
        try {
            trainer.train(s.episodes(), s.metricsEvery(), () -> false, eps::add);
        } catch (DivergenceException e) {
            return new Run(rule, seed, eps, null, e.episode());
        } finally {
            engine.releaseWeightTape(); // the runs in parallel share the heap's tape budget
        }
        MetaTestResult test = s.evalTasks() > 0
                ? MetaTrainer.metaTest(engine, sampler, seed, trainer.theta(), s.evalTasks(), 0.98, 500) : null;
        return new Run(rule, seed, eps, test, 0);
    }

    public static void writeCsv(List<Run> runs, Path file) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            StringBuilder h = new StringBuilder("rule,feedback,lambda,seed,episode,meta_loss,query_loss,accuracy");
            for (int r = 0; r < 10; r++) {
                h.append(",theta_").append(r);
            }
            h.append(",alignment_deg,ortho_error,grad_norm,rejected,clipped_total,rejected_total,limited_total");
            w.println(h);
            for (Run run : runs) {
                for (EpisodeReport e : run.episodes()) {
                    StringBuilder sb = new StringBuilder();
                    sb.append(run.rule().name()).append(',').append(run.rule().feedback().label()).append(',')
                            .append(run.rule().lambda()).append(',').append(run.seed()).append(',')
                            .append(e.episode()).append(',').append(e.metaLoss()).append(',')
                            .append(e.queryLoss()).append(',').append(e.accuracy());
                    for (double t : e.theta()) {
                        sb.append(',').append(t);
                    }
                    sb.append(',').append(join(e.alignmentDeg())).append(',').append(join(e.orthoError()))
                            .append(',').append(e.gradNorm()).append(',').append(e.rejected()).append(',')
                            .append(e.clipped()).append(',').append(e.rejections()).append(',').append(e.limited());
                    w.println(sb);
                }
            }
        }
    }

    private static String join(double[] v) {
        if (v == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ";").append(String.format(Locale.ROOT, "%.4g", v[i]));
        }
        return sb.toString();
    }

}
