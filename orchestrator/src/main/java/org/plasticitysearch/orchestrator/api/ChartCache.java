package org.plasticitysearch.orchestrator.api;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.plasticitysearch.orchestrator.report.StudyCharts;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.orchestrator.store.TrialStore;

/**
 * The dashboard asks for a study's ranking and nine plots every few seconds; they are computed once per version of
 * the study ({@link TrialStore#studyVersion}) and served from memory until a trial starts, reports or ends. Only the
 * latest version of each study is kept.
 */
final class ChartCache {
    private record Entry(String version, StudyCharts charts, Map<String, Optional<byte[]>> pngs) {
    }

    private final TrialStore store;
    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();

    ChartCache(TrialStore store) {
        this.store = store;
    }

    StudyCharts charts(Study study) {
        return entry(study).charts();
    }

    /** The chart's PNG, or empty when there is nothing to plot yet. */
    Optional<byte[]> png(Study study, String chart) throws IOException {
        Entry e = entry(study);
        Optional<byte[]> png = e.pngs().get(chart);
        if (png == null) {
            png = Optional.ofNullable(e.charts().png(chart));
            e.pngs().put(chart, png);
        }
        return png;
    }

    private Entry entry(Study study) {
        String version = store.studyVersion(study.id());
        return entries.compute(study.id(), (id, old) -> old != null && old.version().equals(version) ? old
                : new Entry(version, new StudyCharts(store, study), new ConcurrentHashMap<>()));
    }
}
