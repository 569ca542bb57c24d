package org.plasticitysearch.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Independent uniform draws (log-uniform on log scales, uniform over steps and choices). */
public final class RandomSampler implements Sampler {
    private static final long PURPOSE = 0xA11CE;
    private final long seed;

    public RandomSampler(long seed) {
        this.seed = seed;
    }

    @Override
    public Map<String, Object> ask(SearchSpace space, Direction direction, List<TrialRecord> history, int trialNumber) {
        SplittableRandom rng = Seeds.rng(seed, trialNumber, PURPOSE);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Distribution> e : space.params().entrySet()) {
            out.put(e.getKey(), sample(e.getValue(), rng));
        }
        return out;
    }

    static Object sample(Distribution d, SplittableRandom rng) {
        if (d instanceof Distribution.FloatRange f) {
            if (f.log()) {
                return Math.exp(Math.log(f.low()) + rng.nextDouble() * (Math.log(f.high()) - Math.log(f.low())));
            }
            if (f.step() != null) {
                long k = Math.round((f.high() - f.low()) / f.step());
                return f.low() + rng.nextLong(k + 1) * f.step();
            }
            return f.low() + rng.nextDouble() * (f.high() - f.low());
        }
        if (d instanceof Distribution.IntRange i) {
            if (i.log()) {
                double x = Math.exp(Math.log(i.low() - 0.5) + rng.nextDouble()
                        * (Math.log(i.high() + 0.5) - Math.log(i.low() - 0.5)));
                return Math.max(i.low(), Math.min(i.high(), Math.round(x)));
            }
            long k = (i.high() - i.low()) / i.step();
            return i.low() + rng.nextLong(k + 1) * i.step();
        }
        if (d instanceof Distribution.Categorical c) {
            return c.choices().get(rng.nextInt(c.choices().size()));
        }
        return ((Distribution.Fixed) d).value();
    }

    @Override
    public boolean usesHistory() {
        return false;
    }
}
