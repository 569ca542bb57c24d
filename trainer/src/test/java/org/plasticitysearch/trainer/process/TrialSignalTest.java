package org.plasticitysearch.trainer.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real trainer child process (as the orchestrator starts it) receives SIGTERM mid-run. */
class TrialSignalTest {
    @Test
    void sigtermFinishesTheEpisodeAndReportsAPartialResult() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "org.plasticitysearch.trainer.cli.TrainerCli",
                "run", "--spec", "-");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(TrialProcessTest.TINY.replace("\"episodes\":6", "\"episodes\":100000")
                    .replace("\"report_every\":2", "\"report_every\":1").getBytes(StandardCharsets.UTF_8));
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.contains("\"episode\":3,")) {
                    p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of the pipes)
                }
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        String last = lines.get(lines.size() - 1);
        assertThat(last).contains("\"type\":\"result\"").contains("\"partial\":true");
        assertThat(lines).noneMatch(l -> l.contains("\"type\":\"error\""));
    }
}
