package org.plasticitysearch.orchestrator.workflow;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.plasticitysearch.orchestrator.config.StudyConfig;
import org.plasticitysearch.orchestrator.store.TrialStore;

/** The parsed config of each study, read from the store once per process (a study's config never changes). */
final class StudyConfigs {
    private final TrialStore store;
    private final Map<Long, StudyConfig> cache = new ConcurrentHashMap<>();

    StudyConfigs(TrialStore store) {
        this.store = store;
    }

    StudyConfig of(long studyId) {
        return cache.computeIfAbsent(studyId, id -> store.studies().stream().filter(st -> st.id() == id).findFirst()
                .map(st -> StudyConfig.parse(st.configYaml()))
                .orElseThrow(() -> new IllegalStateException("study " + id + " vanished")));
    }
}
