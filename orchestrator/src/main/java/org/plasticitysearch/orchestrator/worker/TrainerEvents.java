package org.plasticitysearch.orchestrator.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A trainer's stdout: one JSON event per line, each with a {@code type} (docs/TRIAL-PROCESS.md). Lines that are
 * not such an event (a JVM warning, say) are skipped.
 */
final class TrainerEvents {
    private TrainerEvents() {
    }

    /** Reads events until the stream ends (the process went away: its exit status tells why). */
    static void forEach(InputStream stdout, Consumer<JsonNode> onEvent) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode ev;
                try {
                    ev = TrainerLauncher.JSON.readTree(line);
                } catch (IOException e) {
                    continue;
                }
                if (ev != null && ev.has("type")) {
                    onEvent.accept(ev);
                }
            }
        } catch (IOException e) {
            // the stream closed with the process
        }
    }
}
