package org.plasticitysearch.trainer.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD shapes the kernels use. Fixed at 256 bits by default (every AVX2 machine has it), so that
 * the order of floating-point sums, and therefore every number, is the same on every worker of a study;
 * {@code -Dplasticity.simd=512} (or {@code preferred}) trades that for speed on AVX-512 machines.
 */
final class Simd {
    static final VectorShape SHAPE = shape(System.getProperty("plasticity.simd", "256"));
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.withShape(SHAPE);
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED.withShape(SHAPE);

    private Simd() {
    }

    private static VectorShape shape(String s) {
        switch (s) {
            case "128": return VectorShape.S_128_BIT;
            case "256": return VectorShape.S_256_BIT;
            case "512": return VectorShape.S_512_BIT;
            case "preferred": return VectorShape.preferredShape();
            default: throw new IllegalArgumentException(
                    "plasticity.simd: '" + s + "' is not allowed; use 128, 256, 512 or preferred");
        }
    }

    /** Lane sum in a fixed order (reduceLanes leaves the order unspecified, which would break bitwise repeatability). */
    static double sum(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        double s = 0;
        for (float x : lanes) {
            s += x;
        }
        return s;
    }

    static double sum(DoubleVector v, double[] lanes) {
        v.intoArray(lanes, 0);
        double s = 0;
        for (double x : lanes) {
            s += x;
        }
        return s;
    }
}
