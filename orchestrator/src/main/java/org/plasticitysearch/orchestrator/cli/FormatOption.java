package org.plasticitysearch.orchestrator.cli;

import picocli.CommandLine.Option;

/** {@code --format table|csv|json} of the commands that print a table. */
final class FormatOption {
    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); csv and json are for programs")
    TableOutput.Format format;

    boolean table() {
        return format == TableOutput.Format.table;
    }
}
