package org.plasticitysearch.trainer.cli;

import java.util.concurrent.Callable;
import org.plasticitysearch.trainer.bench.EpisodeBenchmark;
import org.plasticitysearch.trainer.episode.Feedback;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.process.TrialSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trainer bench --rule fa|bio|pool}: median ms per meta-training episode, one thread. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time meta-training episodes (inner loop + exact meta-gradient + Adam) of the paper network;"
                + " prints the median last as ms_per_episode=<median>.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--rule", defaultValue = "pool", description = "fa, ehebb, oja, bio or pool (default pool)")
    String rule;

    @Option(names = "--episodes", defaultValue = "20", description = "timed episodes (default 20)")
    int episodes;

    @Option(names = "--warmup", defaultValue = "5", description = "untimed warm-up episodes (default 5)")
    int warmup;

    @Option(names = "--precision", defaultValue = "float32", description = "float32 (default) or float64")
    String precision;

    @Option(names = "--feedback", defaultValue = "fa", description = "fa (default) or bp")
    String feedback;

    @Option(names = "--safeguards", description = "instead: time meta-training with the default safeguards against"
            + " plain Adam, episode by episode in alternation, on the built-in data")
    boolean safeguards;

    @Option(names = "--roofline", description = "instead: multiply-adds, bytes and time of one episode per phase"
            + " (primal, query, replay, adjoint, Adam) and their fraction of a streaming FMA and a rank-1 update"
            + " measured here (roofline_fraction=)")
    boolean roofline;

    @Option(names = "--kernels", description = "instead: time ND4J against the Java kernels on one 170x784 layer (build with -Pnd4j)")
    boolean kernels;

    @Override
    public Integer call() {
        if (kernels) {
            // ND4J (126 MB of native libraries) is only in the build made with -Pnd4j
            try {
                Class.forName("org.plasticitysearch.trainer.bench.KernelBenchmark")
                        .getMethod("report", java.io.PrintStream.class).invoke(null, System.out);
                return 0;
            } catch (ClassNotFoundException e) {
                System.err.println("trainer: bench --kernels: ND4J is not in this build; build with"
                        + " 'mvn -Pnd4j -DskipTests package' (BENCHMARKS.md has the measured comparison)");
                return 2;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("bench --kernels: " + e, e);
            }
        }
        if (safeguards) {
            try {
                System.out.println(org.plasticitysearch.trainer.bench.SafeguardBenchmark.run(rule, TrialSpec.PAPER_DIMS,
                        Math.max(episodes, 2)));
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return 2;
            }
            return 0;
        }
        if (roofline) {
            try {
                System.out.print(org.plasticitysearch.trainer.bench.RooflineBenchmark.run(rule,
                        Feedback.parse(feedback), Precision.parse(precision), TrialSpec.PAPER_DIMS, Math.max(warmup, 0),
                        Math.max(episodes, 1)));
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return 2;
            }
            return 0;
        }
        if (episodes < 1 || warmup < 0) {
            System.err.println("error: --episodes must be >= 1 and --warmup >= 0");
            return 2;
        }
        EpisodeBenchmark.Result r;
        try {
            r = EpisodeBenchmark.run(rule, Feedback.parse(feedback), Precision.parse(precision), TrialSpec.PAPER_DIMS,
                    5, 50, 10, warmup, episodes);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        System.out.println(r.summary());
        System.out.printf(java.util.Locale.ROOT, "ms_per_episode=%.1f%n", r.medianMs());
        return 0;
    }
}
