package org.plasticitysearch.trainer.linalg;

/**
 * A dense row-major matrix with the handful of fused kernels the online inner loop and its adjoint need.
 * Vectors are always {@code double[]}; the matrix stores float64 ({@link F64Matrix}) or float32
 * ({@link F32Matrix}) and converts vectors at the boundary, which costs O(n) against the kernel's O(n m).
 *
 * <p>Every kernel runs its sums in a fixed order, so results are bitwise repeatable on one SIMD shape.
 */
public interface Matrix {
    int rows();

    int cols();

    double get(int i, int j);

    void set(int i, int j, double v);

    /** Row i := values[0..cols): {@link #set} entry by entry, which is what this default does, in one call. */
    default void setRow(int i, double[] values) {
        for (int j = 0; j < cols(); j++) {
            set(i, j, values[j]);
        }
    }

    Precision precision();

    /** this := src (same shape). */
    void copyFrom(Matrix src);

    /** out := this x (row dot products). */
    void multiply(double[] x, double[] out);

    /** out := this^T x. */
    void multiplyTransposed(double[] x, double[] out);

    /**
     * this := s * src + sum_m u[m] v[m]^T for m < count; {@code u[m] == null} stands for the all-ones vector.
     * {@code src} may be {@code this}; {@code s == 0} assigns (a NaN or infinity in src does not carry over). This one
     * kernel is the plasticity update (rank 3 plus decay), its replay during the adjoint sweep, the adjoint's own
     * rank-3 update and the query-batch gradient.
     */
    void assignScaledPlusOuter(Matrix src, double s, double[][] u, double[][] v, int count);

    /**
     * {@link #assignScaledPlusOuter}, then {@code out := this x} (the next online step's forward pass through the
     * updated weights): bitwise the two one after the other, which is what this default does; {@link F32Matrix}
     * reads each row for the product while the update has it in L1.
     */
    default void assignScaledPlusOuterThenMultiply(Matrix src, double s, double[][] u, double[][] v, int count,
                                                   double[] x, double[] out) {
        assignScaledPlusOuter(src, s, u, v, count);
        multiply(x, out);
    }

    /** Entries from .. from + count - 1 of a layer's output: z given, post (and whatever else it keeps) computed. */
    @FunctionalInterface
    interface RowActivation {
        void apply(int from, int count);
    }

    /**
     * {@link #assignScaledPlusOuterThenMultiply} into {@code z}, then {@code act} on z (filling {@code post}), then
     * {@code vOut := this^T post}: the next online step's whole forward pass through this layer and its Oja v in the
     * update's one pass. Bitwise the kernels one after the other, which is what this default does.
     */
    default void assignScaledPlusOuterThenForward(Matrix src, double s, double[][] u, double[][] v, int count,
                                                  double[] x, double[] z, RowActivation act, double[] post,
                                                  double[] vOut) {
        assignScaledPlusOuterThenMultiply(src, s, u, v, count, x, z);
        act.apply(0, rows());
        multiplyTransposed(post, vOut);
    }

    /**
     * Undoes {@link #assignScaledPlusOuter} in place: this := (this - sum_m u[m] v[m]^T) / s ({@code u[m] == null}:
     * ones). Not exact (each entry is rounded anew), so the adjoint checks where a chain of these ends up.
     */
    void unupdate(double s, double[][] u, double[][] v, int count);

    /** {@link #unupdate}, then {@code out := this x}: bitwise the two one after the other, as this default does. */
    default void unupdateThenMultiply(double s, double[][] u, double[][] v, int count, double[] x, double[] out) {
        unupdate(s, u, v, count);
        multiply(x, out);
    }

    /**
     * One pass over the matrix computing, for k < nDots, {@code dotOut[k] := this dotIn[k]} and, for m < nCols,
     * {@code colOut[m] := this^T colIn[m]} ({@code colIn[m] == null} stands for the all-ones vector, i.e. column sums).
     */
    void fusedMultiplyBoth(double[][] dotIn, double[][] dotOut, int nDots, double[][] colIn, double[][] colOut, int nCols);

    /**
     * The adjoint's whole work on this G at one step ({@link AdjointSweep}); the same numbers, bitwise, as these
     * kernels one after the other, which is what this default does. {@link F32Matrix} fuses them into one pass.
     */
    default void sweep(AdjointSweep p) {
        if (p.weightDot) {
            p.weightDotOut = dot(p.weights);
        }
        if (p.transposedOut != null) {
            p.weights.multiplyTransposed(p.transposedIn, p.transposedOut);
        }
        assignScaledPlusOuter(this, p.scale, p.u, p.v, p.count);
        if (p.nDots + p.nCols > 0) {
            fusedMultiplyBoth(p.dotIn, p.dotOut, p.nDots, p.colIn, p.colOut, p.nCols);
        }
    }

    /** Frobenius inner product sum_ij this_ij other_ij. */
    double dot(Matrix other);

    double sum();

    double sumOfSquares();

    /**
     * ||this - reference||_F / ||reference||_F, every entry as stored (high plus low part); NaN if either is not
     * finite.
     */
    double relativeDistance(Matrix reference);

    /** True when every entry is finite. */
    boolean allFinite();
}
