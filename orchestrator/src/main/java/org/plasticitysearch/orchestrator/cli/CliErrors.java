package org.plasticitysearch.orchestrator.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.plasticitysearch.orchestrator.config.ConfigException;
import org.plasticitysearch.orchestrator.store.DatabaseConfig;
import org.plasticitysearch.orchestrator.store.Secrets;
import org.plasticitysearch.orchestrator.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The one error handler of every command: the terminal gets one line saying what was wrong (and what is allowed),
 * the exit status says it failed (2: a value not allowed, 1: anything else), the stack trace goes to the log file
 * ({@code $PLASTICITY_HOME/logs/plasticity.DATE.log}, one a day, two weeks kept) and, with {@code --debug}, to
 * the terminal too.
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {
    /** File only (logback.xml): the terminal gets the one line, and the trace with --debug. */
    private static final Logger LOG = LoggerFactory.getLogger("plasticity.errors");
    private final boolean debug;

    CliErrors(boolean debug) {
        this.debug = debug;
    }

    static Path logFile() {
        return DatabaseConfig.defaultHome().resolve("logs").resolve("plasticity."
                + java.time.LocalDate.now() + ".log"); // logback's daily file (logback.xml)
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        LOG.error("plasticity {} failed", cmd.getCommandName(), ex);
        Explained e = explain(ex);
        cmd.getErr().println("plasticity: " + Secrets.redact(e.message()));
        if (debug) {
            ex.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return e.exitCode();
    }

    record Explained(String message, int exitCode) {
    }

    static Explained explain(Throwable ex) {
        if (ex instanceof UsageException || ex instanceof ConfigException) {
            return new Explained(ex.getMessage(), 2);
        }
        if (ex instanceof StoreException) {
            return new Explained(ex.getMessage(), 1);
        }
        if (ex instanceof UncheckedIOException u) {
            return explain(u.getCause());
        }
        if (ex instanceof IOException io) {
            return new Explained(io(io), 1);
        }
        return new Explained("internal error: " + ex + " (the stack trace is in " + logFile()
                + "; --debug prints it here)", 1);
    }

    /** A file-system failure in a few words: which file and why. */
    static String io(IOException e) {
        if (e instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file or folder";
        }
        if (e instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + ": exists and is not a folder";
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "cannot be used");
        }
        return "input/output error: " + e.getMessage();
    }
}
