package org.plasticitysearch.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code plasticity completion bash}: a bash/zsh completion script for every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a completion script for bash (zsh: after `autoload -U +X bashcompinit && bashcompinit`).",
                "Use: source <(ops/plasticity completion bash), or save it under /etc/bash_completion.d/plasticity."})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash }

    @Parameters(index = "0", paramLabel = "SHELL", description = "shell: ${COMPLETION-CANDIDATES}")
    Shell shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("plasticity", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
