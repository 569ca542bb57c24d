package org.plasticitysearch.orchestrator.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.Records;
import org.plasticitysearch.orchestrator.store.TrialState;
import org.plasticitysearch.orchestrator.store.TrialStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code plasticity results rules|trials}. */
@Command(name = "results", mixinStandardHelpOptions = true, description = "Query a study's results.",
        subcommands = {ResultsCommand.Rules.class, ResultsCommand.Trials.class})
final class ResultsCommand {

    @Command(name = "rules", mixinStandardHelpOptions = true, description = "The learned rules, best first.")
    static final class Rules implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Option(names = "--top", defaultValue = "20") int top;

        @Mixin
        DbOption db;

        @Override
        public Integer call() {
            try (Database database = db.open()) {
                TrialStore store = new TrialStore(database.dataSource());
                var study = DbOption.study(store, name);
                if (study.isEmpty()) {
                    return 1;
                }
                RulesTable.print(store, study.get(), top, System.out);
                return 0;
            }
        }
    }

    @Command(name = "trials", mixinStandardHelpOptions = true, description = "A study's trials.")
    static final class Trials implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Option(names = "--state", description = "QUEUED, RUNNING, COMPLETE, PRUNED or FAILED") String state;

        @Option(names = "--format", defaultValue = "table", description = "table, csv or json") String format;

        @Mixin
        DbOption db;

        @Override
        public Integer call() {
            TrialState st = null;
            if (state != null) {
                try {
                    st = TrialState.valueOf(state.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    System.err.println("plasticity: --state " + state + " is not allowed; use QUEUED, RUNNING,"
                            + " COMPLETE, PRUNED or FAILED");
                    return 2;
                }
            }
            if (!format.matches("table|csv|json")) {
                System.err.println("plasticity: --format " + format + " is not allowed; use table, csv or json");
                return 2;
            }
            try (Database database = db.open()) {
                TrialStore store = new TrialStore(database.dataSource());
                var study = DbOption.study(store, name);
                if (study.isEmpty()) {
                    return 1;
                }
                var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
                if (format.equals("csv")) {
                    System.out.println("number,state,attempt,value,params,error");
                } else if (format.equals("table")) {
                    System.out.printf("%-6s %-9s %-7s %-10s %s%n", "trial", "state", "attempt", "value", "params");
                }
                int after = -1;
                while (true) {
                    var page = store.trials(study.get().id(), st, after, 500);
                    if (page.isEmpty()) {
                        return 0;
                    }
                    for (Records.Trial t : page) {
                        Double v = t.value();
                        switch (format) {
                            case "csv":
                                System.out.printf(Locale.ROOT, "%d,%s,%d,%s,\"%s\",\"%s\"%n", t.number(), t.state(),
                                        t.attempt(), v == null ? "" : v, t.paramsJson().replace("\"", "\"\""),
                                        t.error() == null ? "" : t.error().replace("\"", "\"\""));
                                break;
                            case "json":
                                var node = mapper.createObjectNode().put("number", t.number())
                                        .put("state", t.state().name()).put("attempt", t.attempt());
                                node.put("value", v);
                                try {
                                    node.set("params", mapper.readTree(t.paramsJson()));
                                } catch (java.io.IOException e) {
                                    node.put("params", t.paramsJson());
                                }
                                node.put("error", t.error());
                                System.out.println(node);
                                break;
                            default:
                                System.out.printf(Locale.ROOT, "%-6d %-9s %-7d %-10s %s%n", t.number(), t.state(),
                                        t.attempt(), v == null ? "-" : String.format(Locale.ROOT, "%.4f", v),
                                        t.paramsJson());
                        }
                        after = t.number();
                    }
                }
            }
        }
    }
}
