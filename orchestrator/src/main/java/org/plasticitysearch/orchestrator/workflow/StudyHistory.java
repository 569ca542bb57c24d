package org.plasticitysearch.orchestrator.workflow;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.plasticitysearch.orchestrator.store.Records;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.search.TrialRecord;
import org.plasticitysearch.search.TrialState;

/** A study's trials as the search module sees them: params, state, final value and meta-accuracy by episode. */
final class StudyHistory {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private StudyHistory() {
    }

    static List<TrialRecord> load(TrialStore store, long studyId) {
        List<TrialRecord> out = new ArrayList<>();
        int after = -1;
        while (true) {
            List<Records.Trial> page = store.trials(studyId, null, after, 500);
            if (page.isEmpty()) {
                return out;
            }
            for (Records.Trial t : page) {
                out.add(record(store, t));
                after = t.number();
            }
        }
    }

    static TrialRecord record(TrialStore store, Records.Trial t) {
        Map<String, Object> params;
        try {
            params = JSON.readValue(t.paramsJson(), MAP);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("trial " + t.number() + ": stored params are not JSON", e);
        }
        TreeMap<Integer, Double> iv = new TreeMap<>();
        if (t.state() == org.plasticitysearch.orchestrator.store.TrialState.RUNNING
                || t.state() == org.plasticitysearch.orchestrator.store.TrialState.PRUNED
                || t.state() == org.plasticitysearch.orchestrator.store.TrialState.COMPLETE) {
            for (Records.EpisodeMetric m : store.metrics(t.id())) {
                if (m.accuracy() != null) {
                    iv.put(m.episode(), m.accuracy());
                }
            }
        }
        TrialState state = TrialState.valueOf(t.state().name());
        Double value = state == TrialState.COMPLETE ? valueOf(store, t) : null;
        if (state == TrialState.COMPLETE && value == null) {
            state = TrialState.FAILED; // finished without a score: nothing to learn from
        }
        return new TrialRecord(t.number(), state, params, value, iv);
    }

    private static Double valueOf(TrialStore store, Records.Trial t) {
        return store.trialValue(t.id());
    }
}
