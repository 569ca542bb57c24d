package org.plasticitysearch.trainer.episode;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 episode's softplus, its slope and its transport decay, four units per instruction: exp and log1p
 * written out as polynomials (relative error below 1e-14, against float32's 6e-8) in IEEE operations only, so every
 * lane's result is the same on every machine and in every JIT tier (the Vector API's own EXP and LOG1P are not:
 * they go to a platform library when compiled and to java.lang.Math when not). float64 keeps java.lang.Math's
 * ({@link Activations#softplus(double[], double[], double[], int, double)}, {@link Activations#transportExp}).
 *
 * <p>exp(x) = 2^n p(r) with n = round(x / ln 2), r = x - n ln 2 (ln 2 in two parts), p Taylor to degree 11
 * (|r| <= ln 2 / 2: error 6e-15); log(u) = k ln 2 + 2 atanh(s), u = 2^k m with m in [sqrt(1/2), sqrt(2)),
 * s = (m - 1)/(m + 1), |s| <= 0.172, atanh to s^17; log1p(e) = log(u) + (e - (u - 1))/u with u = 1 + e.
 */
final class VectorSoftplus {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED.withShape(VectorShape.S_256_BIT);
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED.withShape(VectorShape.S_256_BIT);
    private static final int LANES = D.length();
    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2_HI = Double.longBitsToDouble(0x3fe62e42fee00000L);
    private static final double LN2_LO = Double.longBitsToDouble(0x3dea39ef35793c76L);
    /** 1.5 * 2^52: adding and subtracting it rounds a double of magnitude below 2^51 to an integer. */
    private static final double ROUND = 6755399441055744.0;
    /** 2^52 + 1023: n + this has the biased exponent n + 1023 in its low bits. */
    private static final double EXPONENT = 4503599627371519.0;
    private static final double TWO52 = 4503599627370496.0;
    private static final double SQRT2 = 1.4142135623730951;
    /** exp's argument is kept in [-700, 700]: beyond it softplus is 0 or z to double precision anyway. */
    private static final double LIMIT = 700.0;

    private static DoubleVector constant(double c) {
        return DoubleVector.broadcast(D, c);
    }

    private static final DoubleVector ONE = constant(1.0);
    private static final DoubleVector C2 = constant(1.0 / 2);
    private static final DoubleVector C3 = constant(1.0 / 6);
    private static final DoubleVector C4 = constant(1.0 / 24);
    private static final DoubleVector C5 = constant(1.0 / 120);
    private static final DoubleVector C6 = constant(1.0 / 720);
    private static final DoubleVector C7 = constant(1.0 / 5040);
    private static final DoubleVector C8 = constant(1.0 / 40320);
    private static final DoubleVector C9 = constant(1.0 / 362880);
    private static final DoubleVector C10 = constant(1.0 / 3628800);
    private static final DoubleVector C11 = constant(1.0 / 39916800);
    private static final DoubleVector A3 = constant(1.0 / 3);
    private static final DoubleVector A5 = constant(1.0 / 5);
    private static final DoubleVector A7 = constant(1.0 / 7);
    private static final DoubleVector A9 = constant(1.0 / 9);
    private static final DoubleVector A11 = constant(1.0 / 11);
    private static final DoubleVector A13 = constant(1.0 / 13);
    private static final DoubleVector A15 = constant(1.0 / 15);
    private static final DoubleVector A17 = constant(1.0 / 17);

    private final double[] z4 = new double[LANES];
    private final double[] y4 = new double[LANES];
    private final double[] s4 = new double[LANES];
    private final double[] d4 = new double[LANES];

    /** y = softplus(z) (z above the threshold: y = z, slope 1), slope = dy/dz, decay = exp(-beta y) = 1/(1 + e). */
    void softplus(double[] z, double[] y, double[] slope, double[] decay, int n, double beta) {
        softplus(z, y, slope, decay, 0, n, beta);
    }

    /** As above, for entries from .. from + count - 1 only (each lane's value does not depend on its neighbours). */
    void softplus(double[] z, double[] y, double[] slope, double[] decay, int from, int count, double beta) {
        int n = from + count;
        int i = from;
        for (; i + LANES <= n; i += LANES) {
            lanes(z, y, slope, decay, i, beta);
        }
        if (i < n) { // the tail through the same lanes, padded with zeros
            int m = n - i;
            java.util.Arrays.fill(z4, 0.0);
            System.arraycopy(z, i, z4, 0, m);
            lanes(z4, y4, s4, d4, 0, beta);
            System.arraycopy(y4, 0, y, i, m);
            System.arraycopy(s4, 0, slope, i, m);
            System.arraycopy(d4, 0, decay, i, m);
        }
    }

    /**
     * Four units. One method on purpose: a vector passed to or returned from a call that is not inlined is boxed,
     * which costs more than the arithmetic, and exp and log as methods of their own were too large to be inlined.
     */
    private static void lanes(double[] z, double[] y, double[] slope, double[] decay, int i, double beta) {
        DoubleVector zv = DoubleVector.fromArray(D, z, i);
        DoubleVector bz = zv.mul(beta);
        // e = exp(x), x = beta z clamped
        DoubleVector x = bz.max(-LIMIT).min(LIMIT);
        DoubleVector n = x.fma(LOG2E, ROUND).sub(ROUND);
        DoubleVector r = n.fma(DoubleVector.broadcast(D, -LN2_HI), x);
        r = n.fma(DoubleVector.broadcast(D, -LN2_LO), r);
        DoubleVector p = r.fma(C11, C10).fma(r, C9).fma(r, C8).fma(r, C7).fma(r, C6).fma(r, C5).fma(r, C4)
                .fma(r, C3).fma(r, C2).fma(r, ONE).fma(r, ONE); // Taylor: sum r^k / k!, k <= 11 (Horner)
        DoubleVector e = p.mul(n.add(EXPONENT).reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52)
                .reinterpretAsDoubles());
        // log(u), u = 1 + e = 2^k m
        DoubleVector u = e.add(1.0);
        LongVector bits = u.reinterpretAsLongs();
        DoubleVector k = bits.lanewise(VectorOperators.LSHR, 52).or(0x4330000000000000L).reinterpretAsDoubles()
                .sub(TWO52 + 1023.0);
        DoubleVector m = bits.and(0x000FFFFFFFFFFFFFL).or(0x3FF0000000000000L).reinterpretAsDoubles();
        VectorMask<Double> high = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5), high);
        k = k.blend(k.add(1.0), high);
        DoubleVector s = m.sub(1.0).div(m.add(1.0));
        DoubleVector s2 = s.mul(s);
        DoubleVector q = s2.fma(A17, A15).fma(s2, A13).fma(s2, A11).fma(s2, A9).fma(s2, A7).fma(s2, A5)
                .fma(s2, A3); // (atanh(s) - s) / s^3 = 1/3 + s^2/5 + ... + s^14/17
        DoubleVector twoS = s.add(s);
        DoubleVector logU = k.fma(DoubleVector.broadcast(D, LN2_HI),
                k.fma(DoubleVector.broadcast(D, LN2_LO), twoS.fma(s2.mul(q), twoS)));
        DoubleVector inv = ONE.div(u); // 1/(1 + e): the decay, and the one division the rest multiply by
        DoubleVector log1p = e.sub(u.sub(1.0)).fma(inv, logU);
        VectorMask<Double> linear = bz.compare(VectorOperators.GT, Activations.SOFTPLUS_THRESHOLD);
        log1p.mul(1.0 / beta).blend(zv, linear).intoArray(y, i);
        e.mul(inv).blend(ONE, linear).intoArray(slope, i);
        inv.intoArray(decay, i);
    }
}
