package org.plasticitysearch.trainer.process;

import java.io.PrintStream;
import java.util.Locale;
import org.plasticitysearch.trainer.meta.EpisodeReport;
import org.plasticitysearch.trainer.meta.MetaTestResult;
import org.plasticitysearch.trainer.rule.Rule;
import org.plasticitysearch.trainer.rule.TermPool;

/** The human mode of the trial process: a progress bar while training, then a summary table. */
final class ProgressView {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final int episodes;
    private double movingAccuracy = Double.NaN;

    ProgressView(PrintStream out, int episodes) {
        this.out = out;
        this.episodes = episodes;
    }

    void episode(EpisodeReport r) {
        movingAccuracy = Double.isNaN(movingAccuracy) ? r.accuracy() : 0.9 * movingAccuracy + 0.1 * r.accuracy();
        int filled = episodes == 0 ? WIDTH : (int) ((long) WIDTH * r.episode() / episodes);
        double eta = r.episode() == 0 ? 0 : r.elapsedSeconds() / r.episode() * (episodes - r.episode());
        out.printf(Locale.ROOT, "\r[%s%s] %d/%d episodes  acc(ema) %.3f  meta-loss %.3f  %.0f s left   ",
                "#".repeat(filled), " ".repeat(WIDTH - filled), r.episode(), episodes, movingAccuracy,
                r.metaLoss(), eta);
        out.flush();
    }

    void evaluating(int tasks) {
        out.printf(Locale.ROOT, "%nmeta-test on %d fresh tasks...%n", tasks);
    }

    void summary(Rule rule, double[] theta, MetaTestResult test, int done, double wall) {
        out.println();
        out.println("term  name                              active  theta");
        for (int r = 0; r < TermPool.SIZE; r++) {
            out.printf(Locale.ROOT, "F%-4d %-33s %-7s %+.5f%n", r, TermPool.term(r).name(),
                    rule.isActive(r) ? "yes" : "-", theta[r]);
        }
        out.println("rule: " + rule.formula(theta));
        if (test != null) {
            out.printf(Locale.ROOT, "meta-test accuracy: %.4f  (%.0f%% CI %.4f .. %.4f, %d tasks)%n", test.mean(),
                    100 * test.level(), test.ciLow(), test.ciHigh(), test.accuracies().length);
        }
        out.printf(Locale.ROOT, "episodes: %d   wall time: %.1f s%n", done, wall);
    }
}
