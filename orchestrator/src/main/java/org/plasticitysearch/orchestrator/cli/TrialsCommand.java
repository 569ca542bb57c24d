package org.plasticitysearch.orchestrator.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.orchestrator.store.TrialTable;
import org.plasticitysearch.trainer.rule.TermPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code results trials NAME}: one row per trial, as Optuna's {@code trials_dataframe()} (number, state, value,
 * datetime_start, datetime_complete, duration in seconds, one params_* column per parameter) plus the meta-test
 * interval, the learned coefficients theta_F0..F9, each term's share of the update share_F0..F9, attempts and the
 * failure reason. The table format shows the essentials and cuts the error to the terminal's width.
 */
@Command(name = "trials", mixinStandardHelpOptions = true,
        description = {"A study's trials, one row each: as Optuna's trials_dataframe() (number, state, value,"
                + " datetime_start, datetime_complete, duration [s], params_*) plus test CI, theta_F0..F9,"
                + " share_F0..F9, attempts and error. pandas: pd.read_csv(...) on --format csv."})
final class TrialsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "the study's name (see: study list)") String name;

    @Option(names = "--state", paramLabel = "STATE", description = "only these: ${COMPLETION-CANDIDATES}")
    TrialState state;

    @Mixin
    FormatOption output;

    @Mixin
    DbOption db;

    @Override
    public Integer call() throws Exception {
        return db.withStudy(name, (database, store, study) -> {
            List<TrialTable.Row> rows = new TrialTable(database.dataSource()).rows(study.id()).stream()
                    .filter(r -> state == null || r.state() == state).toList();
            (output.table() ? brief(rows) : tidy(study, rows)).write(output.format, System.out);
            return 0;
        });
    }

    /** Every column, for programs. */
    static TableOutput tidy(Study study, List<TrialTable.Row> rows) {
        List<String> params = paramNames(study, rows);
        List<String> columns = new ArrayList<>(List.of("number", "state", "value", "datetime_start",
                "datetime_complete", "duration"));
        params.forEach(p -> columns.add("params_" + p));
        columns.addAll(List.of("test_accuracy", "test_ci_low", "test_ci_high"));
        for (String prefix : List.of("theta_F", "share_F")) {
            for (int r = 0; r < TermPool.SIZE; r++) {
                columns.add(prefix + r);
            }
        }
        columns.addAll(List.of("seed", "attempts", "error"));
        TableOutput table = new TableOutput(columns);
        for (TrialTable.Row r : rows) {
            List<Object> v = new ArrayList<>(List.of(r.number(), r.state()));
            v.add(r.value());
            v.add(r.start());
            v.add(r.complete());
            v.add(r.durationSeconds());
            params.forEach(p -> v.add(r.params().get(p)));
            v.add(r.testAccuracy());
            v.add(r.ciLow());
            v.add(r.ciHigh());
            for (Double[] a : new Double[][]{r.theta(), r.share()}) {
                for (int t = 0; t < TermPool.SIZE; t++) {
                    v.add(a == null ? null : a[t]);
                }
            }
            v.add(r.seed());
            v.add(r.attempts());
            v.add(r.error());
            table.row(v);
        }
        return table;
    }

    /** The essentials for a terminal: the error last, cut to its width. */
    static TableOutput brief(List<TrialTable.Row> rows) {
        TableOutput table = new TableOutput(List.of("trial", "state", "value", "duration", "attempts", "params",
                "error"));
        for (TrialTable.Row r : rows) {
            table.row(java.util.Arrays.asList(r.number(), r.state(), r.value(), r.durationSeconds() == null ? null
                    : String.format(Locale.ROOT, "%.1f s", r.durationSeconds()), r.attempts(), compact(r), r.error()));
        }
        return table;
    }

    /** "F0 F2 F9 meta_lr=0.00241": the chosen terms, then the other parameters. */
    static String compact(TrialTable.Row r) {
        StringBuilder terms = new StringBuilder();
        StringBuilder rest = new StringBuilder();
        r.params().forEach((k, v) -> {
            if (k.matches("f\\d") && v instanceof Boolean b) {
                if (b) {
                    terms.append(terms.isEmpty() ? "" : " ").append('F').append(k.substring(1));
                }
            } else {
                rest.append(rest.isEmpty() ? "" : " ").append(k).append('=').append(v instanceof Double d
                        ? String.format(Locale.ROOT, "%.3g", d) : v);
            }
        });
        return (terms + (terms.isEmpty() || rest.isEmpty() ? "" : " ") + rest).strip();
    }

    /** The search space's parameters in the config's order, then any other a trial has (enqueued by hand). */
    static List<String> paramNames(Study study, List<TrialTable.Row> rows) {
        Set<String> names = new LinkedHashSet<>(StudyConfig.parse(study.configYaml()).space().params().keySet());
        rows.forEach(r -> names.addAll(r.params().keySet()));
        return new ArrayList<>(names);
    }
}
