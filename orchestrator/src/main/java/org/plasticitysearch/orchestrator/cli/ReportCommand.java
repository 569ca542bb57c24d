package org.plasticitysearch.orchestrator.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.plasticitysearch.orchestrator.report.HtmlReport;
import org.plasticitysearch.orchestrator.store.Database;
import org.plasticitysearch.orchestrator.store.TrialStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code plasticity report NAME --out DIR}. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a self-contained HTML report of a study (DIR/index.html and its PNG plots; opens"
                + " offline): ranked rules, optimisation history, Pareto front, importance, curves, coefficients.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "the study's name (see: study list)") String name;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "folder for index.html and its PNG plots (created if needed)") Path out;

    @Mixin
    DbOption db;

    @Override
    public Integer call() throws Exception {
        return db.withStudy(name, (database, store, study) -> {
            java.util.List<Path> files;
            try {
                files = HtmlReport.write(store, study, out);
            } catch (java.io.IOException e) {
                throw OutFile.problem("--out", out.toString(), e, "a folder");
            }
            System.out.printf("wrote %s (%d plots)%n", files.get(0), files.size() - 1);
            return 0;
        });
    }
}
