package org.plasticitysearch.orchestrator.workflow;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.plasticitysearch.orchestrator.store.Trial;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.search.TrialRecord;
import org.plasticitysearch.search.TrialState;

/** A study's trials as the search module sees them: params, state, final value and meta-accuracy by episode. */
public final class StudyHistory {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private StudyHistory() {
    }

    /** Two queries whatever the study's size: the trials (paged) and every trial's accuracy curve. */
    public static List<TrialRecord> load(TrialStore store, long studyId) {
        Map<Long, TreeMap<Integer, Double>> curves = store.accuracyCurves(studyId);
        List<TrialRecord> out = new ArrayList<>();
        int after = -1;
        while (true) {
            List<Trial> page = store.trials(studyId, null, after, 500);
            if (page.isEmpty()) {
                return out;
            }
            for (Trial t : page) {
                out.add(record(t, curves.getOrDefault(t.id(), new TreeMap<>())));
                after = t.number();
            }
        }
    }

    /**
     * The history of one study read incrementally: finished trials never change, so the unbroken run of finished
     * trials from number 0 is kept, and each load reads only the trials after it (a few, the ones in flight) and
     * their curves. At 10,000 finished trials a load costs milliseconds instead of reading 200,000 metric rows.
     */
    public static final class Cache {
        private final List<TrialRecord> finishedPrefix = new ArrayList<>();

        public synchronized List<TrialRecord> load(TrialStore store, long studyId) {
            int from = finishedPrefix.size();
            Map<Long, TreeMap<Integer, Double>> curves = store.accuracyCurves(studyId, from);
            List<TrialRecord> out = new ArrayList<>(finishedPrefix);
            boolean extend = true;
            int after = from - 1;
            while (true) {
                List<Trial> page = store.trials(studyId, null, after, 500);
                if (page.isEmpty()) {
                    return out;
                }
                for (Trial t : page) {
                    TrialRecord r = record(t, curves.getOrDefault(t.id(), new TreeMap<>()));
                    out.add(r);
                    extend = extend && t.state().finished() && t.number() == finishedPrefix.size();
                    if (extend) {
                        finishedPrefix.add(r);
                    }
                    after = t.number();
                }
            }
        }
    }

    static TrialRecord record(Trial t, TreeMap<Integer, Double> curve) {
        Map<String, Object> params;
        try {
            params = JSON.readValue(t.paramsJson(), MAP);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("trial " + t.number() + ": stored params are not JSON", e);
        }
        // a re-queued trial may hold an earlier attempt's metrics: only RUNNING and finished trials report theirs
        boolean reports = t.state() == TrialState.RUNNING || t.state() == TrialState.PRUNED
                || t.state() == TrialState.COMPLETE;
        TreeMap<Integer, Double> iv = reports ? curve : new TreeMap<>();
        TrialState state = t.state();
        Double value = state == TrialState.COMPLETE ? t.value() : null;
        if (state == TrialState.COMPLETE && value == null) {
            state = TrialState.FAILED; // finished without a score: nothing to learn from
        }
        return new TrialRecord(t.number(), state, params, value, iv);
    }
}
