package org.plasticitysearch.trainer.episode;

/** Where the adjoint, running backwards through the online steps, gets each step's weights W(t) from. */
public enum PastWeights {
    /** The primal kept every W(t) (within the JVM's tape budget): no recomputation, one matrix per step in memory. */
    TAPE,
    /** The primal kept every ~sqrt(T)-th W(t); the adjoint recomputes the steps between: bitwise the tape's numbers. */
    REPLAY,
    /**
     * float32: the adjoint undoes the updates one by one from W(T), W(t) = (W(t+1) - sum u v^T) / s (computed on
     * sigma(t) W(t), without the division), in one matrix, and checks that the walk ends at W(0) (relative Frobenius
     * error at most {@link EpisodeBuffers#WALK_BACK_TOLERANCE}; else the episode is run again with {@link #REPLAY},
     * as is one whose weight decay would amplify the walk's rounding too much). Not bitwise the tape's: each entry is
     * rounded anew.
     */
    WALK_BACK;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
