package org.plasticitysearch.orchestrator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ops/plasticity}: launch searches, watch them, rank the learned rules. */
@Command(name = "plasticity", mixinStandardHelpOptions = true, version = "plasticity-search 0.1.0",
        description = "Search for interpretable synaptic plasticity rules (Shervani-Tabar & Rosenbaum 2023).",
        subcommands = {StudyCommand.class, ResultsCommand.class, ReportCommand.class, ScheduleCommand.class, ServeCommand.class,
                WorkerCommand.class})
public final class PlasticityCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PlasticityCli()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: study, results, report, schedule, serve or worker");
    }
}
