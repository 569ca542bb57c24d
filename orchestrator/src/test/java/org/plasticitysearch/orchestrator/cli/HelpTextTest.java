package org.plasticitysearch.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help is formatted cleanly: a bare '%' in a description makes picocli print a warning. */
class HelpTextTest {
    @Test
    void everyHelpTextFormatsWithoutAWarning() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringBuilder usage = new StringBuilder();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            collect(new CommandLine(new PlasticityCli()), usage);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
        assertThat(usage.toString()).contains("98% bootstrap CI").contains("98% bootstrap interval")
                .doesNotContain("98%%");
    }

    private static void collect(CommandLine cmd, StringBuilder usage) {
        usage.append(cmd.getUsageMessage());
        for (CommandLine sub : cmd.getSubcommands().values()) {
            collect(sub, usage);
        }
    }
}
