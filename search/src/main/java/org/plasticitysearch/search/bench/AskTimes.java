package org.plasticitysearch.search.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import org.plasticitysearch.search.RandomSampler;
import org.plasticitysearch.search.Sampler;
import org.plasticitysearch.search.TrialRecord;
import org.plasticitysearch.search.gp.GpSampler;
import org.plasticitysearch.search.tpe.TpeSampler;

/**
 * The GP's and the TPE's ask time (and any GP variant's) against the history's length: for each objective, a
 * history of 100 / 1,000 / 10,000 COMPLETE random trials, then the median wall time of 5 asks (after 1 warm-up
 * ask), single thread.
 */
public final class AskTimes {
    private AskTimes() {
    }

    public static void main(String[] args) {
        run(Map.of());
    }

    /** The default GP's, the TPE's and each named GP variant's ask times. */
    static void run(Map<String, GpSampler.Options> gpVariants) {
        System.out.println("ask time (median of 5 asks after 1 warm-up, single thread), ms");
        Map<String, LongFunction<Sampler>> kinds = new LinkedHashMap<>();
        kinds.put("gp", s -> new GpSampler(s, GpSampler.Options.defaults()));
        kinds.put("tpe", s -> new TpeSampler(s, TpeSampler.Options.optunaDefaults()));
        gpVariants.forEach((name, options) -> kinds.put(name, s -> new GpSampler(s, options)));
        for (Objective o : Objective.all()) {
            for (Map.Entry<String, LongFunction<Sampler>> k : kinds.entrySet()) {
                System.out.println(line(o, k.getKey(), k.getValue(), new int[]{100, 1000, 10000}));
            }
        }
    }

    static String line(Objective o, String kind, LongFunction<Sampler> make, int[] sizes) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-17s %-12s", o.name(), kind));
        for (int n : sizes) {
            RandomSampler random = new RandomSampler(123);
            List<TrialRecord> h = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                Map<String, Object> p = random.ask(o.space(), o.direction(), h, t);
                h.add(TrialRecord.complete(t, p, o.evaluate(p)));
            }
            Sampler sampler = make.apply(1);
            sampler.ask(o.space(), o.direction(), h, n);
            double[] ms = new double[5];
            for (int r = 0; r < ms.length; r++) {
                long t0 = System.nanoTime();
                sampler.ask(o.space(), o.direction(), h, n + r);
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            sb.append(String.format(Locale.ROOT, "  n=%d: %.1f", n, ms[2]));
        }
        return sb.toString();
    }
}
