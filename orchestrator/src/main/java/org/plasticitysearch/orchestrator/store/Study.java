package org.plasticitysearch.orchestrator.store;

import org.plasticitysearch.search.Direction;

/** A study; parentId is, for a verification study, the study whose rules it verifies. */
public record Study(long id, String name, String objective, Direction direction, int budget, int parallelism,
                    StudyStatus status, String configYaml, String configJson, StudyKind kind, Long parentId) {
}
