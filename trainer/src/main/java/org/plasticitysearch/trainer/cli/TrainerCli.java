package org.plasticitysearch.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ops/trainer}: run one trial, check golden cases, benchmark, reproduce the paper's comparisons. */
@Command(name = "trainer", mixinStandardHelpOptions = true, version = "plasticity-search trainer 0.1.0",
        description = "The plasticity core of plasticity-search (Shervani-Tabar & Rosenbaum 2023).",
        subcommands = {RunCommand.class, LoopCommand.class, GoldenCommand.class, BenchCommand.class,
                ReproduceCommand.class})
public final class TrainerCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = new CommandLine(new TrainerCli()).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: run, loop, golden, bench or reproduce");
    }
}
