package org.plasticitysearch.trainer.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.plasticitysearch.trainer.episode.EpisodeEngine;
import org.plasticitysearch.trainer.episode.EpisodeResult;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.rule.Rule;

/**
 * Runs golden cases and compares with the tolerances of trainer/src/test/resources/golden/README.md: float64 loss and weight sums
 * 1e-9 relative, gradient 1e-6 relative to the largest |component|, accuracy exact; float32 1e-3 on loss and
 * gradient (weight sums and accuracy are reported, not judged, in float32).
 */
public final class GoldenCheck {
    private GoldenCheck() {
    }

    /** The outcome of one case. */
    public record Outcome(String name, boolean pass, double lossErr, double gradErr, double weightErr,
                          boolean accuracyExact, double seconds) {
        public String line() {
            return String.format(Locale.ROOT,
                    "%s %s loss_rel_err=%.2e grad_rel_err=%.2e weights_rel_err=%.2e accuracy_exact=%s time_s=%.2f",
                    pass ? "PASS" : "FAIL", name, lossErr, gradErr, weightErr, accuracyExact, seconds);
        }
    }

    public static List<GoldenCase> load(InputStream in) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        JsonNode cases = root.get("cases");
        if (cases == null || !cases.isArray()) {
            throw new IOException("golden file: no 'cases' array");
        }
        List<GoldenCase> list = new ArrayList<>();
        for (JsonNode c : cases) {
            list.add(GoldenCase.parse(c));
        }
        return list;
    }

    public static Outcome check(GoldenCase c, Precision precision) {
        long t0 = System.nanoTime();
        EpisodeEngine engine = new EpisodeEngine(c.dims(), c.beta(), c.feedback(), precision, new Rule(c.terms()));
        engine.initialise(c.w0(), c.b0());
        EpisodeResult r = engine.run(c.task(), c.theta(), c.lambda(), true, false);
        double seconds = (System.nanoTime() - t0) / 1e9;
        GoldenCase.Expected e = c.expected();
        double lossErr = Math.max(rel(r.queryLoss(), e.queryLoss()), rel(r.metaLoss(), e.metaLoss()));
        double gmax = 0;
        for (double x : e.gradTheta()) {
            gmax = Math.max(gmax, Math.abs(x));
        }
        double gradErr = 0;
        for (int i = 0; i < e.gradTheta().length; i++) {
            gradErr = Math.max(gradErr, Math.abs(r.gradTheta()[i] - e.gradTheta()[i]) / gmax);
        }
        double weightErr = 0;
        for (int l = 0; l < e.finalWeightSums().length; l++) {
            weightErr = Math.max(weightErr, rel(engine.weights(l).sum(), e.finalWeightSums()[l]));
            weightErr = Math.max(weightErr, rel(engine.weights(l).sumOfSquares(), e.finalWeightSqNorms()[l]));
        }
        boolean accExact = r.accuracy() == e.queryAccuracy();
        boolean pass = precision == Precision.FLOAT64
                ? lossErr <= 1e-9 && gradErr <= 1e-6 && weightErr <= 1e-9 && accExact
                : lossErr <= 1e-3 && gradErr <= 1e-3;
        return new Outcome(c.name(), pass, lossErr, gradErr, weightErr, accExact, seconds);
    }

    static double rel(double got, double want) {
        return Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
    }
}
