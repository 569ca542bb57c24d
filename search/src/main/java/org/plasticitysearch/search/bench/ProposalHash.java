package org.plasticitysearch.search.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.plasticitysearch.search.RandomSampler;
import org.plasticitysearch.search.Sampler;
import org.plasticitysearch.search.TrialRecord;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.search.gp.GpSampler;
import org.plasticitysearch.search.tpe.TpeSampler;

/**
 * One hash of many proposals per sampler ({@code ops/search-bench --hash}): a change meant to keep every proposal
 * bitwise (a faster kernel, a reordered loop) must print the same hashes as the build before it. On each benchmark
 * objective: a 60-trial study from scratch, then 5 asks from a 700-trial random history with 3 trials in flight,
 * then 3 asks from a 10,000-trial random history. Every proposal enters the hash through its params' text (Java's
 * shortest round-trip form of each double).
 */
final class ProposalHash {
    private ProposalHash() {
    }

    static void run() {
        print("gp", s -> new GpSampler(s, GpSampler.Options.defaults()));
        print("tpe", s -> new TpeSampler(s, TpeSampler.Options.optunaDefaults().withConstantLiar(true)));
    }

    private static void print(String name, java.util.function.LongFunction<Sampler> make) {
        long t0 = System.nanoTime();
        long hash = 17;
        for (Objective o : Objective.all()) {
            Sampler study = make.apply(3);
            List<TrialRecord> h = new ArrayList<>();
            for (int t = 0; t < 60; t++) {
                Map<String, Object> p = study.ask(o.space(), o.direction(), h, t);
                h.add(TrialRecord.complete(t, p, o.evaluate(p)));
                hash = hash * 31 + p.toString().hashCode();
            }
            RandomSampler random = new RandomSampler(7);
            List<TrialRecord> r = new ArrayList<>();
            for (int t = 0; t < 10_000; t++) {
                Map<String, Object> p = random.ask(o.space(), o.direction(), r, t);
                r.add(TrialRecord.complete(t, p, o.evaluate(p)));
            }
            List<TrialRecord> flight = new ArrayList<>(r.subList(0, 700));
            for (int t = 700; t < 703; t++) {
                flight.add(new TrialRecord(t, TrialState.RUNNING, random.ask(o.space(), o.direction(), flight, t),
                        null, new TreeMap<>()));
            }
            Sampler asker = make.apply(5);
            for (int k = 0; k < 5; k++) {
                hash = hash * 31 + asker.ask(o.space(), o.direction(), flight, 703 + k).toString().hashCode();
            }
            for (int k = 0; k < 3; k++) {
                hash = hash * 31 + asker.ask(o.space(), o.direction(), r, 10_000 + k).toString().hashCode();
            }
        }
        System.out.printf(java.util.Locale.ROOT, "%s proposals hash %016x (%.1f s)%n", name, hash,
                (System.nanoTime() - t0) / 1e9);
    }
}
