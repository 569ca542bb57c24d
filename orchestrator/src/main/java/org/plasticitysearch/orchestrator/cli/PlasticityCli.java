package org.plasticitysearch.orchestrator.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code ops/plasticity}: launch searches, watch them, rank the learned rules. */
@Command(name = "plasticity", mixinStandardHelpOptions = true, version = "plasticity-search 0.1.0",
        description = "Search for interpretable synaptic plasticity rules (Shervani-Tabar & Rosenbaum 2023).",
        subcommands = {StudyCommand.class, ResultsCommand.class, ReportCommand.class, ScheduleCommand.class, ServeCommand.class,
                WorkerCommand.class, SlurmCommand.class, DbCommand.class, CompletionCommand.class})
public final class PlasticityCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "print stack traces and the libraries' log on the terminal (they always go to"
                    + " $PLASTICITY_HOME/logs/plasticity.DATE.log)")
    boolean debug;

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The command line with the one error handler; reads --debug and the command before any logger starts. */
    static CommandLine commandLine(String[] args) {
        List<String> a = List.of(args);
        boolean debug = a.contains("--debug");
        boolean longRunning = !a.isEmpty() && (a.get(0).equals("serve") || a.get(0).equals("worker"));
        if (System.getProperty("plasticity.console") == null) {
            System.setProperty("plasticity.console", debug ? "DEBUG" : longRunning ? "WARN" : "OFF");
        }
        return new CommandLine(new PlasticityCli()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new CliErrors(debug))
                .setParameterExceptionHandler(PlasticityCli::badArguments);
    }

    /** A command line picocli cannot parse: one line saying what, and where the help is (exit 2). */
    private static int badArguments(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String path = cmd.getCommandSpec().qualifiedName(" ");
        String message = e.getMessage();
        if (cmd.getParseResult() != null && cmd.getParseResult().isUsageHelpRequested()) {
            cmd.usage(cmd.getOut());
            return 0;
        }
        cmd.getErr().println("plasticity: " + message + (message.endsWith(".") ? "" : ";") + " see: " + path
                + " --help");
        // a mistyped subcommand or option: picocli's own suggestions ("Did you mean ...")
        CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr());
        return 2;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: study, results, report,"
                + " schedule, serve, worker, db or completion");
    }
}
