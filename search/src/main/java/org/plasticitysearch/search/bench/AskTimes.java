package org.plasticitysearch.search.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.plasticitysearch.search.RandomSampler;
import org.plasticitysearch.search.TrialRecord;
import org.plasticitysearch.search.gp.GpSampler;

/**
 * The GP sampler's ask time against the history's length: for each objective, a history of 100 / 1,000 / 10,000
 * COMPLETE random trials, then the median wall time of 5 asks (after 1 warm-up ask), single thread.
 */
public final class AskTimes {
    private AskTimes() {
    }

    public static void main(String[] args) {
        int[] sizes = {100, 1000, 10000};
        System.out.println("GP ask time (median of 5 asks after 1 warm-up, single thread), ms");
        for (Objective o : Objective.all()) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-17s", o.name()));
            for (int n : sizes) {
                RandomSampler random = new RandomSampler(123);
                List<TrialRecord> h = new ArrayList<>();
                for (int t = 0; t < n; t++) {
                    Map<String, Object> p = random.ask(o.space(), o.direction(), h, t);
                    h.add(TrialRecord.complete(t, p, o.evaluate(p)));
                }
                GpSampler gp = new GpSampler(1, GpSampler.Options.defaults());
                gp.ask(o.space(), o.direction(), h, n);
                double[] ms = new double[5];
                for (int r = 0; r < ms.length; r++) {
                    long t0 = System.nanoTime();
                    gp.ask(o.space(), o.direction(), h, n + r);
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                sb.append(String.format(Locale.ROOT, "  n=%d: %.0f", n, ms[2]));
            }
            System.out.println(sb);
        }
    }
}
