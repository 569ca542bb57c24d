package org.plasticitysearch.orchestrator.cli;

import org.plasticitysearch.search.Direction;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.RuleRow;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.orchestrator.store.TrialTiming;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.orchestrator.store.TrialStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code plasticity results rules|trials|best|export}. */
@Command(name = "results", mixinStandardHelpOptions = true, description = "Query a study's results.",
        subcommands = {ResultsCommand.Rules.class, TrialsCommand.class, ResultsCommand.Best.class,
                ResultsCommand.Export.class, ResultsCommand.Timing.class})
final class ResultsCommand {

    @Command(name = "best", mixinStandardHelpOptions = true,
            description = "The best finished trial: its learned rule, score, parameters and seed.")
    static final class Best implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "the study's name (see: study list)") String name;

        @Mixin
        FormatOption output;

        @Mixin
        DbOption db;

        @Override
        public Integer call() throws Exception {
            return db.withStudy(name, (database, store, study) -> {
                var rows = store.leaderboard(study.id(), study.direction() == Direction.MAXIMIZE, 1);
                if (rows.isEmpty()) {
                    System.err.println("plasticity: study '" + name + "' has no finished trial yet");
                    return 1;
                }
                RuleRow r = rows.get(0);
                if (!output.table()) {
                    var all = new org.plasticitysearch.orchestrator.store.TrialTable(database.dataSource())
                            .rows(study.id());
                    TrialsCommand.tidy(study, all.stream().filter(x -> x.number() == r.trial()).toList())
                            .write(output.format, System.out);
                    return 0;
                }
                Trial t = store.trial(study.id(), r.trial()).orElseThrow();
                System.out.printf(Locale.ROOT, "trial       %d (%s)%n", r.trial(), r.state());
                System.out.printf(Locale.ROOT, "rule        %s%n", r.theta() == null ? "-"
                        : new org.plasticitysearch.trainer.rule.Rule(r.activeTerms()).formula(r.theta()));
                if (r.theta() != null) {
                    System.out.printf(Locale.ROOT, "in words    %s%n", org.plasticitysearch.orchestrator.ranking
                            .RuleFormula.named(r.activeTerms(), r.theta()));
                }
                System.out.printf(Locale.ROOT, "terms       %s%n", java.util.Arrays.toString(r.activeTerms()));
                System.out.printf(Locale.ROOT, "accuracy    %s%n", r.testAccuracy() == null ? "-" : String.format(
                        Locale.ROOT, "%.4f, 98%% CI [%.4f, %.4f]", r.testAccuracy(), r.ciLow(), r.ciHigh()));
                if (!study.objective().equals("test_accuracy")) { // the value is another number: show it too
                    System.out.printf(Locale.ROOT, "objective   %s %s%n", study.objective(),
                            r.value() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.value()));
                }
                System.out.printf(Locale.ROOT, "params      %s%n", t.paramsJson());
                System.out.printf(Locale.ROOT, "seed        %d%n", t.seed());
                return 0;
            });
        }
    }

    @Command(name = "timing", mixinStandardHelpOptions = true,
            description = "Medians of the claim-to-stored time, the trainer's time and the difference (orchestration"
                    + " overhead: claim, child JVM start, event storage, pruner checks, result transaction).")
    static final class Timing implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "the study's name (see: study list)") String name;

        @Mixin
        DbOption db;

        @Override
        public Integer call() throws Exception {
            return db.withStudy(name, (database, store, study) -> {
                var t = store.timings(study.id());
                if (t.isEmpty()) {
                    System.err.println("plasticity: study '" + name + "' has no finished trial with a result yet");
                    return 1;
                }
                double span = median(t.stream().mapToDouble(TrialTiming::claimToStoredSeconds).toArray());
                double trainer = median(t.stream().mapToDouble(TrialTiming::trainerSeconds).toArray());
                double[] over = t.stream().mapToDouble(TrialTiming::overheadSeconds).toArray();
                double[] share = t.stream().mapToDouble(x -> x.overheadSeconds() / x.claimToStoredSeconds()).toArray();
                System.out.printf(Locale.ROOT, "%d trials; medians: claim to stored %.2f s, trainer %.2f s,"
                        + " overhead %.2f s (%.1f%% of the trial; min %.1f%%, max %.1f%%)%n", t.size(), span, trainer,
                        median(over), 100 * median(share), 100 * java.util.Arrays.stream(share).min().orElse(0),
                        100 * java.util.Arrays.stream(share).max().orElse(0));
                return 0;
            });
        }

        static double median(double[] v) {
            double[] s = v.clone();
            java.util.Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"A whole study in one file: json (config, trials, metrics, ranking), or optuna-journal:"
                    + " Optuna's journal storage, for optuna-dashboard FILE and optuna.load_study(storage="
                    + "JournalStorage(JournalFileStorage(FILE))) (Optuna >= 3.1; times in UTC)."})
    static final class Export implements Callable<Integer> {
        enum Format { json, optuna_journal }

        @Parameters(index = "0", paramLabel = "NAME", description = "the study's name (see: study list)") String name;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "output file, or - for stdout")
        String out;

        @Option(names = "--format", defaultValue = "json", paramLabel = "FORMAT",
                converter = ExportFormat.class, completionCandidates = ExportFormat.class,
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        Format format;

        @Mixin
        DbOption db;

        static final class ExportFormat implements picocli.CommandLine.ITypeConverter<Format>, Iterable<String> {
            @Override
            public java.util.Iterator<String> iterator() {
                return java.util.List.of("json", "optuna-journal").iterator();
            }

            @Override
            public Format convert(String value) {
                try {
                    return Format.valueOf(value.toLowerCase(Locale.ROOT).replace('-', '_'));
                } catch (IllegalArgumentException e) {
                    throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not allowed; use json"
                            + " or optuna-journal");
                }
            }
        }

        @Override
        public Integer call() throws Exception {
            return db.withStudy(name, (database, store, study) -> {
                int[] trials = new int[1];
                OutFile.write("--out", out, w -> {
                    if (format == Format.json) {
                        var doc = org.plasticitysearch.orchestrator.api.StudyExport.of(store, study);
                        w.write(doc.toPrettyString());
                        w.write('\n');
                        trials[0] = doc.get("trials").size();
                    } else {
                        trials[0] = org.plasticitysearch.orchestrator.api.OptunaJournal.write(store, study,
                                org.plasticitysearch.orchestrator.config.StudyConfig.parse(study.configYaml()).space()
                                        .params(), w);
                    }
                });
                if (!out.equals("-")) {
                    System.out.printf("wrote %s: %d trials%s%n", out, trials[0], format == Format.json ? ""
                            : " (optuna-dashboard " + out + ")");
                }
                return 0;
            });
        }
    }

    @Command(name = "rules", mixinStandardHelpOptions = true,
            description = {"The learned rules, best first: trials grouped by rule (the set of active terms), mean"
                    + " meta-test accuracy over its runs with a 98%% bootstrap interval (500 resamples), complexity"
                    + " (effective terms), the Pareto front of accuracy against complexity, and the formula."})
    static final class Rules implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "the study's name (see: study list)") String name;

        @Option(names = "--top", defaultValue = "20", paramLabel = "N",
                description = "rules shown (default: ${DEFAULT-VALUE})") int top;

        @Option(names = "--threshold", defaultValue = "0.05", paramLabel = "SHARE",
                description = "a term is effective when its share of the weight update is at least this"
                        + " (default: ${DEFAULT-VALUE})")
        double threshold;

        @Mixin
        FormatOption output;

        @Mixin
        DbOption db;

        @Override
        public Integer call() throws Exception {
            if (!(threshold > 0 && threshold < 1)) {
                System.err.println("plasticity: --threshold: " + threshold + " is not allowed; use a share in (0, 1)");
                return 2;
            }
            if (top < 1) {
                System.err.println("plasticity: --top: " + top + " is not allowed; use 1 or more");
                return 2;
            }
            return db.withStudy(name, (database, store, study) -> {
                if (output.table()) {
                    RulesTable.print(store, study, top, threshold, System.out);
                } else {
                    var ranked = RulesTable.ranked(store, study, threshold);
                    RulesTable.tidy(ranked.subList(0, Math.min(top, ranked.size()))).write(output.format, System.out);
                }
                return 0;
            });
        }
    }
}
