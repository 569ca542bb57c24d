package org.plasticitysearch.trainer.linalg;

/** Storage precision of the weight matrices (vectors are always float64). */
public enum Precision {
    /** Verification precision: reproduces the PyTorch float64 golden episodes. */
    FLOAT64,
    /** Speed precision: half the memory traffic, twice the SIMD lanes. */
    FLOAT32;

    /** A plain matrix (adjoints, feedback matrices). */
    public Matrix zeros(int rows, int cols) {
        return this == FLOAT64 ? new F64Matrix(rows, cols) : new F32Matrix(rows, cols, false);
    }

    /**
     * A matrix for weights that the inner loop updates 250 times: in float32 it carries a compensation term
     * (see {@link F32Matrix}), because the meta-gradient is sensitive to the accumulated rounding of W.
     */
    public Matrix weights(int rows, int cols) {
        return this == FLOAT64 ? new F64Matrix(rows, cols) : new F32Matrix(rows, cols, true);
    }

    /**
     * A matrix of the weights' shape for the weight tape: in float64 a plain copy; in float32 its own high parts and
     * the low parts of {@code weights} itself (see {@link F32Matrix#sharingLowParts()}).
     */
    public Matrix tapeStep(Matrix weights) {
        return this == FLOAT64
                ? new F64Matrix(weights.rows(), weights.cols())
                : ((F32Matrix) weights).sharingLowParts();
    }

    /** Bytes of one tape step of an r x c matrix. */
    public long tapeStepBytes(int rows, int cols) {
        return (this == FLOAT64 ? 8L : 4L) * rows * cols;
    }

    public static Precision parse(String s) {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "float64": case "f64": case "double": return FLOAT64;
            case "float32": case "f32": case "float": return FLOAT32;
            default: throw new IllegalArgumentException(
                    "precision: '" + s + "' is not allowed; use float32 or float64");
        }
    }

    public String label() {
        return this == FLOAT64 ? "float64" : "float32";
    }
}
