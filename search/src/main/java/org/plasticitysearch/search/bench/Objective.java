package org.plasticitysearch.search.bench;

import java.util.List;
import java.util.Map;
import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.SearchSpace;

/** A deterministic benchmark objective of docs/TPE_BENCH.md. */
public interface Objective {
    String name();

    Direction direction();

    SearchSpace space();

    double evaluate(Map<String, Object> params);

    static List<Objective> all() {
        return List.of(new RuleLandscape(), new Sphere5(), new StyblinskiTang4(), new MixedLog());
    }

    static double num(Map<String, Object> p, String k) {
        return ((Number) p.get(k)).doubleValue();
    }

    /** O1: a stand-in for "which terms and which meta learning rate" (maximise; optimum 0.8765). */
    final class RuleLandscape implements Objective {
        private final SearchSpace space;

        RuleLandscape() {
            SearchSpace.Builder b = SearchSpace.builder();
            for (int r = 1; r <= 9; r++) {
                b.categorical("f" + r, List.of(0, 1));
            }
            space = b.logFloat("lr", 1e-4, 1e-1).logFloat("lam", 1e-3, 10).build();
        }

        @Override public String name() { return "rule_landscape"; }

        @Override public Direction direction() { return Direction.MAXIMIZE; }

        @Override public SearchSpace space() { return space; }

        @Override
        public double evaluate(Map<String, Object> p) {
            double[] f = new double[10];
            int n = 0;
            for (int r = 1; r <= 9; r++) {
                f[r] = num(p, "f" + r);
                n += (int) f[r];
            }
            double u = Math.log10(num(p, "lr"));
            double v = Math.log10(num(p, "lam"));
            return 0.38 + 0.18 * f[2] + 0.14 * f[9] + 0.05 * f[2] * f[9] + 0.02 * f[3]
                    - 0.04 * f[1] - 0.03 * f[4] - 0.02 * f[5] - 0.06 * f[6] - 0.05 * f[7] - 0.05 * f[8]
                    + 0.12 * Math.exp(-(u + 2.5) * (u + 2.5) / (2 * 0.35 * 0.35))
                    - 0.015 * n * (v < -1 ? 1 : 0.3)
                    - 0.05 * Math.pow(Math.max(0, v - 0.3), 2);
        }
    }

    /** O2: sum of squares over [-5, 5]^5 (minimise). */
    final class Sphere5 implements Objective {
        private final SearchSpace space = SearchSpace.builder().floatRange("x1", -5, 5).floatRange("x2", -5, 5)
                .floatRange("x3", -5, 5).floatRange("x4", -5, 5).floatRange("x5", -5, 5).build();

        @Override public String name() { return "sphere5"; }

        @Override public Direction direction() { return Direction.MINIMIZE; }

        @Override public SearchSpace space() { return space; }

        @Override
        public double evaluate(Map<String, Object> p) {
            double s = 0;
            for (int i = 1; i <= 5; i++) {
                double x = num(p, "x" + i);
                s += x * x;
            }
            return s;
        }
    }

    /** O3: Styblinski-Tang in 4 dimensions (minimise; optimum about -156.66). */
    final class StyblinskiTang4 implements Objective {
        private final SearchSpace space = SearchSpace.builder().floatRange("x1", -5, 5).floatRange("x2", -5, 5)
                .floatRange("x3", -5, 5).floatRange("x4", -5, 5).build();

        @Override public String name() { return "styblinski_tang4"; }

        @Override public Direction direction() { return Direction.MINIMIZE; }

        @Override public SearchSpace space() { return space; }

        @Override
        public double evaluate(Map<String, Object> p) {
            double s = 0;
            for (int i = 1; i <= 4; i++) {
                double x = num(p, "x" + i);
                s += x * x * x * x - 16 * x * x + 5 * x;
            }
            return 0.5 * s;
        }
    }

    /** O4: a log-scale float, an integer and a categorical together (minimise; optimum 0). */
    final class MixedLog implements Objective {
        private final SearchSpace space = SearchSpace.builder().logFloat("a", 1e-5, 1).intRange("b", 1, 64)
                .categorical("c", List.of("sgd", "adam", "rms")).build();

        @Override public String name() { return "mixed_log"; }

        @Override public Direction direction() { return Direction.MINIMIZE; }

        @Override public SearchSpace space() { return space; }

        @Override
        public double evaluate(Map<String, Object> p) {
            double a = Math.log10(num(p, "a")) + 3;
            double b = (num(p, "b") - 23) / 8;
            String c = (String) p.get("c");
            double pen = c.equals("sgd") ? 0.5 : c.equals("rms") ? 0.25 : 0.0;
            return a * a + b * b + pen;
        }
    }
}
