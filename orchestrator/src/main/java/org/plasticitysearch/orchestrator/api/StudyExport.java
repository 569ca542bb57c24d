package org.plasticitysearch.orchestrator.api;

import org.plasticitysearch.search.Direction;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.orchestrator.store.TrialStore;

/** A whole study as one JSON document ({@code results export}): config, every trial with its metrics, the ranking. */
public final class StudyExport {
    private StudyExport() {
    }

    public static ObjectNode of(TrialStore store, Study study) throws IOException {
        ObjectNode doc = JsonViews.study(store, study);
        doc.put("config_yaml", study.configYaml());
        ArrayNode trials = doc.putArray("trials");
        int after = -1;
        while (true) {
            var page = store.trials(study.id(), null, after, 500);
            if (page.isEmpty()) {
                break;
            }
            for (Trial t : page) {
                ObjectNode n = JsonViews.trial(t);
                n.set("metrics", JsonViews.metrics(store.metrics(t.id())));
                trials.add(n);
                after = t.number();
            }
        }
        doc.set("leaderboard", JsonViews.leaderboard(store.leaderboard(study.id(),
                study.direction() == Direction.MAXIMIZE, Integer.MAX_VALUE)));
        return doc;
    }
}
