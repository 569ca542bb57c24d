package org.plasticitysearch.trainer.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.plasticitysearch.trainer.process.EventSink;
import org.plasticitysearch.trainer.process.SpecException;
import org.plasticitysearch.trainer.process.TrialProcess;
import org.plasticitysearch.trainer.process.TrialSpec;
import picocli.CommandLine.Command;

/**
 * {@code trainer loop}: a warm trainer process for a worker slot. Reads one trial spec per line on stdin, runs it
 * exactly as {@code run --spec} would (same events, same numbers: nothing is shared between trials but the JVM),
 * then emits {@code {"type":"end","exit_code":N}} with the status {@code run} would have exited with, and waits for
 * the next line. SIGTERM stops the current trial only (a partial result, as with {@code run}). End of stdin ends
 * the process; so does the death of the parent (status 5), even mid-trial.
 */
@Command(name = "loop", mixinStandardHelpOptions = true,
        description = "Run trial specs read one per line on stdin, one after another, in this JVM (JSON events on"
                + " stdout, an 'end' event with the exit status after each). Used by the orchestrator's workers to"
                + " avoid a JVM start per trial.")
final class LoopCommand implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
        // a worker killed with SIGKILL must not leave a trainer training for nobody (stdin's end is only read between
        // trials); ProcessHandle.onExit polls a non-child process
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime()
                .halt(RunCommand.EXIT_ORPHANED)));
        EventSink sink = new EventSink(System.out);
        AtomicReference<TrialProcess> current = new AtomicReference<>();
        Signals.onTerminate(() -> {
            TrialProcess t = current.get();
            if (t != null) {
                t.requestStop();
            }
        });
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            int code;
            try {
                TrialSpec spec = TrialSpec.parse(line);
                TrialProcess trial = new TrialProcess();
                current.set(trial);
                try {
                    code = trial.run(spec, sink, null);
                } finally {
                    current.set(null);
                }
            } catch (SpecException e) {
                Map<String, Object> ev = EventSink.event("error");
                ev.put("kind", "spec");
                ev.put("message", e.getMessage());
                ev.put("exit_code", TrialProcess.EXIT_BAD_SPEC);
                sink.emit(ev);
                code = TrialProcess.EXIT_BAD_SPEC;
            }
            Map<String, Object> end = EventSink.event("end");
            end.put("exit_code", code);
            sink.emit(end);
        }
        return TrialProcess.EXIT_OK;
    }
}
