package org.plasticitysearch.orchestrator.store;

import org.plasticitysearch.search.TrialState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A worker loop for the concurrency tests: claim the next QUEUED trial of the study and finish it, until none is
 * left. Run in threads, or as its own JVM with {@link #main} (args: JDBC URL, user, study id, worker id); the JVM
 * prints the ids it finished on one line, "finished: 12 57 ...".
 */
final class ClaimLoad {
    private ClaimLoad() {
    }

    static List<Long> drain(TrialStore store, long studyId, String workerId) {
        List<Long> done = new ArrayList<>();
        while (true) {
            Optional<Trial> t = store.claim(studyId, workerId);
            if (t.isEmpty()) {
                return done;
            }
            double[] theta = new double[10];
            theta[0] = t.get().number() * 1e-4;
            store.finish(t.get().id(), workerId, TrialOutcome.scored(TrialState.COMPLETE, 0.5)
                    .withRule(theta, null)
                    .withTest(0.5, 0.4, 0.6, 0.98, 20)
                    .withRun(10, false, 0.1));
            done.add(t.get().id());
        }
    }

    public static void main(String[] args) {
        DatabaseConfig cfg = new DatabaseConfig(args[0], args[1].isEmpty() ? null : args[1],
                System.getenv("PGPASSWORD"), null, 2);
        try (Database db = Database.open(cfg)) {
            DataSource ds = db.dataSource();
            List<Long> done = drain(new TrialStore(ds), Long.parseLong(args[2]), args[3]);
            StringBuilder sb = new StringBuilder("finished:");
            for (long id : done) {
                sb.append(' ').append(id);
            }
            System.out.println(sb);
        }
    }
}
