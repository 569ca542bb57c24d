package org.plasticitysearch.trainer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder replaced below. */
@Command(name = "reproduce")
final class ReproduceCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}
