package org.plasticitysearch.trainer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import org.plasticitysearch.trainer.process.EventSink;
import org.plasticitysearch.trainer.process.SpecException;
import org.plasticitysearch.trainer.process.TrialProcess;
import org.plasticitysearch.trainer.process.TrialSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trainer run --spec FILE|-}: one trial, JSON events on stdout (or a progress bar with --progress). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Meta-train and meta-test one rule; one JSON event per line on stdout. "
                + "Exit 0 ok, 2 bad spec, 3 diverged, 4 data missing, 5 parent died (--exit-with-parent). SIGTERM: finish the episode, report a partial result.")
final class RunCommand implements Callable<Integer> {
    /** Exit status when the parent (the worker) died first. */
    static final int EXIT_ORPHANED = 5;

    @Option(names = "--spec", required = true, description = "trial spec JSON file, or - for stdin")
    String spec;

    @Option(names = "--progress", description = "human mode: progress bar and summary table instead of JSON events")
    boolean progress;

    @Option(names = "--exit-with-parent", description = "exit (status 5) as soon as the process that started this one"
            + " dies; a worker killed with SIGKILL leaves no orphan trainers behind")
    boolean exitWithParent;

    @Override
    public Integer call() {
        EventSink sink = progress ? null : new EventSink(System.out);
        String text;
        try {
            text = spec.equals("-") ? readAll(System.in) : Files.readString(Paths.get(spec), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return fail(sink, "spec: cannot read " + spec + " (" + e.getMessage() + ")");
        }
        TrialSpec parsed;
        try {
            parsed = TrialSpec.parse(text);
        } catch (SpecException e) {
            return fail(sink, e.getMessage());
        }
        if (exitWithParent) {
            // ProcessHandle.onExit polls a non-child process; the trial result no longer has anyone to go to
            ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime()
                    .halt(EXIT_ORPHANED)));
        }
        TrialProcess trial = new TrialProcess();
        Signals.onTerminate(trial::requestStop);
        return trial.run(parsed, sink, progress ? System.out : null);
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static int fail(EventSink sink, String message) {
        if (sink != null) {
            var ev = EventSink.event("error");
            ev.put("kind", "spec");
            ev.put("message", message);
            ev.put("exit_code", TrialProcess.EXIT_BAD_SPEC);
            sink.emit(ev);
        } else {
            System.err.println("error: " + message);
        }
        return TrialProcess.EXIT_BAD_SPEC;
    }
}
