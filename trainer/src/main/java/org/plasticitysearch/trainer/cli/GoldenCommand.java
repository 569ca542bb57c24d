package org.plasticitysearch.trainer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.Callable;
import org.plasticitysearch.trainer.golden.GoldenCase;
import org.plasticitysearch.trainer.golden.GoldenCheck;
import org.plasticitysearch.trainer.linalg.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trainer golden FILE}: one PASS/FAIL line per case; exit 0 only if all pass. */
@Command(name = "golden", mixinStandardHelpOptions = true,
        description = "Check every case of a golden file (the format of trainer/src/test/resources/golden/README.md) against this implementation.")
final class GoldenCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "golden cases JSON")
    String file;

    @Option(names = "--precision", defaultValue = "float64", description = "float64 (default) or float32")
    String precision;

    @Override
    public Integer call() throws IOException {
        Precision p;
        try {
            p = Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        List<GoldenCase> cases;
        try (InputStream in = Files.newInputStream(Paths.get(file))) {
            cases = GoldenCheck.load(in);
        } catch (IOException e) {
            System.err.println("error: cannot read golden file " + file + ": " + e.getMessage());
            return 2;
        }
        boolean all = true;
        for (GoldenCase c : cases) {
            GoldenCheck.Outcome o = GoldenCheck.check(c, p);
            System.out.println(o.line());
            all &= o.pass();
        }
        System.out.println((all ? "all " : "NOT all ") + cases.size() + " cases pass (" + p.label() + ")");
        return all ? 0 : 1;
    }
}
