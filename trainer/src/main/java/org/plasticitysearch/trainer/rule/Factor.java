package org.plasticitysearch.trainer.rule;

/** The building blocks of the outer-product terms, for the layer W = W[l-1] between pre = y[l-1] and post = y[l]. */
public final class Factor {
    private Factor() {
    }

    /** Left (post-synaptic, row) factor of an outer product. */
    public enum Left {
        /** ep = e[l], the post-synaptic error. */
        POST_ERROR,
        /** post = y[l]. */
        POST,
        /** the all-ones vector 1 of size n[l]. */
        ONES
    }

    /** Right (pre-synaptic, column) factor of an outer product. */
    public enum Right {
        /** pre = y[l-1]. */
        PRE,
        /** eq = e[l-1], the pre-synaptic error. */
        PRE_ERROR,
        /** pre - W^T post: Oja's residual (F9). */
        OJA_RESIDUAL
    }

    /** Scalar gain multiplying the outer product. */
    public enum Gain {
        ONE,
        /** 1^T post. */
        POST_SUM,
        /** post^T W eq. */
        POST_W_PRE_ERROR,
        /** pre^T W^T ep = z[l]^T ep. */
        Z_DOT_POST_ERROR
    }
}
