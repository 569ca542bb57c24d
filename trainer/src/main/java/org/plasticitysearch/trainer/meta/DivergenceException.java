package org.plasticitysearch.trainer.meta;

/** The rule blew up: a non-finite loss, gradient, theta or weight. */
public final class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int episode;

    public DivergenceException(int episode, String what) {
        super("diverged at episode " + episode + ": " + what);
        this.episode = episode;
    }

    public int episode() {
        return episode;
    }
}
