package org.plasticitysearch.orchestrator.store;

import java.util.List;

/** What the reaper did. */
public record ReapResult(List<Long> requeued, List<Long> failed) {
}
