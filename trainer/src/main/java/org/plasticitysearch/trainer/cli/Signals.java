package org.plasticitysearch.trainer.cli;

/** SIGTERM/SIGINT to a callback instead of the JVM's immediate shutdown (so a trial can end its episode cleanly). */
final class Signals {
    private Signals() {
    }

    @SuppressWarnings("restriction")
    static void onTerminate(Runnable action) {
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> action.run());
            } catch (IllegalArgumentException e) {
                // signal not available on this platform: the JVM default stays
            }
        }
    }
}
