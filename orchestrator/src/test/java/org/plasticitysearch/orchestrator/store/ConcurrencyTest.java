package org.plasticitysearch.orchestrator.store;

import org.plasticitysearch.search.Direction;
import org.plasticitysearch.search.TrialState;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many real concurrent workers on one real PostgreSQL: every trial is claimed exactly once and none is lost. */
class ConcurrencyTest {
    static final int TRIALS = 1000;

    private static Study prepare(TrialStore store, String name, int threads) throws Exception {
        Study s = store.createOrLoadStudy(new StudyDefinition(name, "x", "{}", "test_accuracy", Direction.MAXIMIZE, TRIALS, 8));
        // enqueue concurrently too: numbers must still come out dense
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < TRIALS; i++) {
            int seed = i;
            fs.add(pool.submit(() -> store.enqueue(s.id(), "{\"i\":" + seed + "}", seed, new int[]{0}, new double[10])));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return s;
    }

    private static void assertAllDoneOnce(TrialStore store, Study s, List<Long> finishedIds) {
        Set<Long> unique = new HashSet<>(finishedIds);
        assertThat(finishedIds).as("finished ids").hasSize(TRIALS);
        assertThat(unique).as("no trial claimed twice").hasSize(TRIALS);
        List<Trial> all = store.trials(s.id(), null, -1, TRIALS + 10);
        assertThat(all).hasSize(TRIALS).allMatch(t -> t.state() == TrialState.COMPLETE && t.attempt() == 1);
        for (int i = 0; i < TRIALS; i++) {
            assertThat(all.get(i).number()).as("dense numbers").isEqualTo(i);
        }
        assertThat(store.counts(s.id()).finished()).isEqualTo(TRIALS);
    }

    @Test
    void eightThreadsClaimAndFinishAThousandTrials() throws Exception {
        try (Database db = Database.open(TestDatabases.config(TestDatabases.fresh("threads")))) {
            double opsPerSecond = eightThreads(new TrialStore(db.dataSource()), "threads");
            System.out.printf(Locale.ROOT, "store throughput, 8 threads: %.0f ops/s%n", opsPerSecond);
        }
    }

    /**
     * The price of durability, measured (printed, not asserted): 8 threads on the test server (zonky's defaults:
     * fsync and synchronous_commit off, as the embedded server had before issue 12) against the embedded server of a
     * home (both on, password authentication), interleaved three times, medians.
     */
    @Test
    void durableEmbeddedServerThroughput(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home) throws Exception {
        EmbeddedServer durable = new EmbeddedServer(home);
        double[] off = new double[3];
        double[] on = new double[3];
        try (Database fast = Database.open(TestDatabases.config(TestDatabases.fresh("nofsync")));
             Database safe = Database.open(new DatabaseConfig(null, null, null, home, 16))) {
            for (int round = 0; round < 3; round++) {
                off[round] = eightThreads(new TrialStore(fast.dataSource()), "off" + round);
                on[round] = eightThreads(new TrialStore(safe.dataSource()), "on" + round);
            }
        } finally {
            durable.stop();
        }
        java.util.Arrays.sort(off);
        java.util.Arrays.sort(on);
        System.out.printf(Locale.ROOT, "store throughput, 8 threads, median of 3: fsync off %.0f ops/s, embedded server"
                + " with fsync and synchronous_commit on %.0f ops/s (ratio %.2f)%n", off[1], on[1], on[1] / off[1]);
    }

    /** 1,000 trials claimed and finished by 8 threads; every one exactly once. Returns claims+finishes per second. */
    private static double eightThreads(TrialStore store, String name) throws Exception {
        {
            Study s = prepare(store, name, 8);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<List<Long>>> fs = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int w = 0; w < 8; w++) {
                String worker = "thread-" + w;
                fs.add(pool.submit(() -> ClaimLoad.drain(store, s.id(), worker)));
            }
            List<Long> ids = new ArrayList<>();
            List<Integer> perWorker = new ArrayList<>();
            for (Future<List<Long>> f : fs) {
                List<Long> got = f.get(5, TimeUnit.MINUTES);
                ids.addAll(got);
                perWorker.add(got.size());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            assertAllDoneOnce(store, s, ids);
            assertThat(perWorker).as("the work was shared").filteredOn(n -> n > 0).hasSizeGreaterThan(1);
            return 2 * TRIALS / seconds;
        }
    }

    @Test
    void fourWorkerProcessesClaimAndFinishAThousandTrials() throws Exception {
        String url = TestDatabases.fresh("processes");
        try (Database db = Database.open(TestDatabases.config(url))) {
            TrialStore store = new TrialStore(db.dataSource());
            Study s = prepare(store, "processes", 8);
            String java = ProcessHandle.current().info().command().orElse("java");
            List<Process> procs = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int w = 0; w < 4; w++) {
                ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                        ClaimLoad.class.getName(), url, TestDatabases.user() == null ? "" : TestDatabases.user(),
                        Long.toString(s.id()), "process-" + w);
                pb.redirectError(ProcessBuilder.Redirect.INHERIT);
                procs.add(pb.start());
            }
            List<Long> ids = new ArrayList<>();
            List<Integer> perWorker = new ArrayList<>();
            for (Process p : procs) {
                String line;
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    line = r.readLine();
                }
                assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
                assertThat(p.exitValue()).isZero();
                assertThat(line).startsWith("finished:");
                String[] parts = line.substring("finished:".length()).trim().split(" ");
                int n = 0;
                for (String part : parts) {
                    if (!part.isEmpty()) {
                        ids.add(Long.parseLong(part));
                        n++;
                    }
                }
                perWorker.add(n);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "store throughput, 4 JVMs: %d claims + %d finishes in %.2f s = %.0f ops/s"
                    + " including JVM start-up (per process: %s)%n", TRIALS, TRIALS, seconds, 2 * TRIALS / seconds,
                    perWorker);
            assertAllDoneOnce(store, s, ids);
        }
    }
}
