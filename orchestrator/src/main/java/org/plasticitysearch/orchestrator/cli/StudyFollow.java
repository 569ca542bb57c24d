package org.plasticitysearch.orchestrator.cli;

import java.util.Locale;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.StateCounts;
import org.plasticitysearch.orchestrator.store.StoreException;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.StudyStatus;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.store.TrialTable;

/**
 * Following a study to its end, wherever its trials run (here for `study run`, in a Slurm job for `slurm submit
 * --wait`): the progress line every second, then the closing line, the ranked rules, the failures and the exit
 * status.
 */
final class StudyFollow {
    private StudyFollow() {
    }

    /** Until the study is no longer RUNNING and none of its trials runs; returns it as it ended. */
    static Study untilEnd(TrialStore store, Study study, long t0, String whatHappensToRunning)
            throws InterruptedException {
        return untilEnd(store, study, t0, whatHappensToRunning, () -> false);
    }

    /** As above, or until {@code workersGone} (asked every 10 s) says nobody runs the study any more. */
    static Study untilEnd(TrialStore store, Study study, long t0, String whatHappensToRunning,
                          java.util.function.BooleanSupplier workersGone) throws InterruptedException {
        Progress progress = new Progress(store, study.id(), study.budget());
        for (int tick = 1; ; tick++) {
            try {
                Study now = store.study(study.name()).orElseThrow();
                progress.print((System.nanoTime() - t0) / 1e9);
                if (now.status() != StudyStatus.RUNNING && store.counts(study.id()).running() == 0) {
                    return now;
                }
                if (tick % 10 == 0 && workersGone.getAsBoolean()) {
                    return store.study(study.name()).orElseThrow();
                }
            } catch (StoreException e) {
                throw new StoreException("lost the database during study " + study.name() + " (" + e.getMessage()
                        + "; nothing finished is lost: run the same command to resume; " + whatHappensToRunning + ")",
                        e);
            }
            Thread.sleep(1000);
        }
    }

    /** The closing line, the ranked rules, the failures; 1 when the study ended with no COMPLETE trial. */
    static int report(Database database, TrialStore store, Study now, long t0) {
        System.out.println();
        if (now.status() == StudyStatus.STOPPED) {
            System.out.printf(Locale.ROOT, "stopped after %.0f s (plasticity study stop); run the same"
                    + " command to resume%n%n", (System.nanoTime() - t0) / 1e9);
        } else {
            System.out.printf(Locale.ROOT, "done in %.0f s%n%n", (System.nanoTime() - t0) / 1e9);
        }
        StateCounts c = store.counts(now.id());
        if (c.complete() > 0) {
            RulesTable.print(store, now, 10, System.out);
        }
        return failures(database, now, c) && c.complete() == 0 && now.status() != StudyStatus.STOPPED ? 1 : 0;
    }

    /**
     * Says how many trials failed and why (the most common reasons, with counts) on stderr; true when any did, or
     * when the study ended with no COMPLETE trial (the caller's exit status then says it failed).
     */
    static boolean failures(Database database, Study study, StateCounts c) {
        if (c.failed() == 0 && c.complete() > 0) {
            return false;
        }
        if (c.failed() == 0) {
            System.err.printf(Locale.ROOT, "plasticity: study %s has no COMPLETE trial (%d pruned)%n", study.name(),
                    c.pruned());
            return true;
        }
        System.err.printf(Locale.ROOT, "plasticity: %d of %d trials of study %s FAILED%s; most common reasons:%n",
                c.failed(), c.finished(), study.name(), c.complete() == 0 ? ", none COMPLETE" : "");
        for (var r : new TrialTable(database.dataSource()).failureReasons(study.id(), 3)) {
            System.err.printf(Locale.ROOT, "  %4d x %s%n", r.trials(), r.error());
        }
        System.err.println("  (all of them: plasticity results trials " + study.name() + " --state FAILED)");
        return true;
    }

    /** One status line, rewritten in place on a terminal. */
    static final class Progress {
        private final TrialStore store;
        private final long studyId;
        private final int budget;
        private String last = "";

        Progress(TrialStore store, long studyId, int budget) {
            this.store = store;
            this.studyId = studyId;
            this.budget = budget;
        }

        void print(double elapsed) {
            StateCounts c = store.counts(studyId);
            var best = store.leaderboard(studyId, true, 1);
            String bestText = best.isEmpty() || best.get(0).testAccuracy() == null ? "-"
                    : String.format(Locale.ROOT, "%.3f", best.get(0).testAccuracy());
            int done = c.finished();
            String eta = done == 0 ? "?" : String.format(Locale.ROOT, "%.0f s", elapsed / done * (budget - done));
            String line = String.format(Locale.ROOT, "done %d/%d (complete %d, pruned %d, failed %d)  running %d"
                    + "  queued %d  best %s  ETA %s", done, budget, c.complete(), c.pruned(), c.failed(), c.running(),
                    c.queued(), bestText, eta);
            if (System.console() != null) {
                System.out.print("\r" + line + "   ");
                System.out.flush();
            } else if (!line.equals(last)) {
                System.out.println(line);
            }
            last = line;
        }
    }
}
