package org.plasticitysearch.orchestrator.store;

import org.plasticitysearch.search.Direction;

/** What defines a study when it is created (a study of the same name is loaded instead). */
public record StudyDefinition(String name, String configYaml, String configJson, String objective,
                              Direction direction, int budget, int parallelism) {
}
