package org.plasticitysearch.trainer.linalg;

/**
 * The arguments of {@link Matrix#sweep}: everything the adjoint does with one layer's G at one online step, in one
 * pass over its rows (and over the rows of W_t). One holder per layer, refilled every step; no allocation.
 *
 * <p>First, when {@link #coefficient} is set, row i's coefficient from {@code W_i . rowDotIn}. Before row i of G is updated: {@code weightDotOut += G_i . W_i} (when {@link #weightDot}) and
 * {@code transposedOut += transposedIn[i] W_i} (W^T zBar, when {@link #transposedOut} is set). The update:
 * {@code G_i := scale G_i + sum_m u[m][i] v[m]}. After it, for the previous step's adjoint:
 * {@code dotOut[k][i] = G_i . dotIn[k]} and {@code colOut[m] += colIn[m][i] G_i} ({@code colIn[m] == null}: ones).
 */
public final class AdjointSweep {
    /** The row coefficient of the sweep: zBar_i, known only once row i's {@code W_i . rowDotIn} is. */
    public interface RowCoefficient {
        /**
         * Called for every row in order, before any other work on that row; writes zBar_i wherever the caller
         * keeps it ({@link #transposedIn} and {@code u[0]} point there).
         */
        void at(int row, double weightsDot);
    }

    /** When set, the sweep first forms {@code W_i . rowDotIn} (0 if rowDotIn is null) and hands it to it. */
    public RowCoefficient coefficient;
    public double[] rowDotIn;
    /** Scratch of length rows for the unfused path. */
    public double[] rowDots;

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
