package org.plasticitysearch.search.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.RandomSampler;
import org.plasticitysearch.search.SearchSpace;
import org.plasticitysearch.search.TrialRecord;

class AnalysisTest {
    @Test
    void paretoFrontOfAccuracyAgainstComplexity() {
        // (accuracy up, active terms down)
        List<double[]> pts = List.of(new double[]{0.70, 3}, new double[]{0.72, 10}, new double[]{0.60, 1},
                new double[]{0.65, 3}, new double[]{0.70, 4}, new double[]{0.55, 1}, new double[]{Double.NaN, 0});
        assertThat(ParetoFront.front(pts, Direction.MAXIMIZE, Direction.MINIMIZE)).containsExactly(0, 1, 2);
    }

    @Test
    void importanceFindsTheParametersThatMatter() {
        SearchSpace s = SearchSpace.builder().logFloat("lr", 1e-4, 1e-1).floatRange("noise", 0, 1)
                .categorical("f2", List.of(0, 1)).floatRange("tiny", 0, 1).build();
        List<TrialRecord> h = new ArrayList<>();
        RandomSampler r = new RandomSampler(3);
        for (int t = 0; t < 200; t++) {
            Map<String, Object> p = r.ask(s, Direction.MAXIMIZE, h, t);
            double u = Math.log10((Double) p.get("lr"));
            double v = -(u + 2.5) * (u + 2.5) + 0.8 * ((Integer) p.get("f2")) + 0.01 * (Double) p.get("tiny");
            h.add(TrialRecord.complete(t, p, v));
        }
        Map<String, Double> imp = ParameterImportance.compute(s, h, 7);
        assertThat(imp.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(imp.get("lr")).isGreaterThan(imp.get("noise") * 3).isGreaterThan(imp.get("tiny") * 3);
        assertThat(imp.get("f2")).isGreaterThan(imp.get("noise") * 3);
        assertThat(ParameterImportance.compute(s, h, 7)).isEqualTo(imp);
    }
}
