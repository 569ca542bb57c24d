package org.plasticitysearch.orchestrator.store;

/** A trial state change that the lifecycle forbids (finishing a trial one does not own, finishing twice, ...). */
public final class TransitionRejectedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public TransitionRejectedException(String message) {
        super(message);
    }
}
