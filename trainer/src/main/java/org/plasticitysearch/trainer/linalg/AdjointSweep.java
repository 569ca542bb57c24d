package org.plasticitysearch.trainer.linalg;

/**
 * The arguments of {@link Matrix#sweep}: everything the adjoint does with one layer's G at one online step, in one
 * pass over its rows (and over the rows of W_t). One holder per layer, refilled every step; no allocation.
 *
 * <p>Before row i of G is updated: {@code weightDotOut += G_i . W_i} (when {@link #weightDot}) and
 * {@code transposedOut += transposedIn[i] W_i} (W^T zBar, when {@link #transposedOut} is set). The update:
 * {@code G_i := scale G_i + sum_m u[m][i] v[m]}. After it, for the previous step's adjoint:
 * {@code dotOut[k][i] = G_i . dotIn[k]} and {@code colOut[m] += colIn[m][i] G_i} ({@code colIn[m] == null}: ones).
 */
public final class AdjointSweep {
    /** W_t, read only; null when neither {@link #weightDot} nor {@link #transposedOut} is asked for. */
    public Matrix weights;
    public boolean weightDot;
    /** Output: the Frobenius product of G (before the update) and W. */
    public double weightDotOut;
    public double[] transposedIn;
    public double[] transposedOut;

    public double scale;
    public final double[][] u = new double[3][];
    public final double[][] v = new double[3][];
    public int count;

    public final double[][] dotIn = new double[2][];
    public final double[][] dotOut = new double[2][];
    public int nDots;
    public final double[][] colIn = new double[3][];
    public final double[][] colOut = new double[3][];
    public int nCols;
}
