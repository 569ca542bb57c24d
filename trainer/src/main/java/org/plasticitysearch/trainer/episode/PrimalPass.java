package org.plasticitysearch.trainer.episode;

import java.util.Arrays;
import org.plasticitysearch.trainer.linalg.Matrix;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.rule.Factor;
import org.plasticitysearch.trainer.rule.OuterProductTerm;
import org.plasticitysearch.trainer.rule.Rule;
import org.plasticitysearch.trainer.rule.WeightProportionalTerm;

/**
 * The primal online step (PLASTICITY.md, "One episode"): forward pass, errors from the pre-update weights, and the
 * rule's update of every layer collapsed into one rank-3 update {@code W <- scale W + ep a^T + post b^T + 1 c^T};
 * each step's vectors go on the tape for the adjoint.
 */
abstract class PrimalPass extends EpisodeBuffers {
    private final VectorSoftplus vectorSoftplus = new VectorSoftplus();
    /** The previous step's update of layer 0 already formed this step's W_0 x (see {@link #primalStep}). */
    boolean firstProductDone;
    /** ... and layer 1's activations and layer 0's v as well (float32 with Oja's v). */
    boolean firstLayerDone;

    PrimalPass(int[] dims, double beta, Feedback feedback, Precision precision, Rule rule) {
        super(dims, beta, feedback, precision, rule);
    }

    /**
     * The forward pass; {@code slope[l]}, when given, receives softplus'(z[l]) of each hidden layer, and
     * {@code decay[l]}, when given too, exp(-beta y[l]).
     */
    void forward(double[] x, double[][] y, double[][] z, double[][] slope, double[][] decay) {
        y[0] = x;
        for (int l = 0; l < layers; l++) {
            if (l == 0 && firstLayerDone) {
                continue; // z, y, slope and decay of layer 1 came with the previous step's update
            }
            if (l > 0 || !firstProductDone) {
                cur[l].multiply(y[l], z[l + 1]);
            }
            if (l + 1 < layers && slope != null && decay != null) {
                vectorSoftplus.softplus(z[l + 1], y[l + 1], slope[l + 1], decay[l + 1], n[l + 1], beta);
            } else if (l + 1 < layers && slope != null) {
                Activations.softplus(z[l + 1], y[l + 1], slope[l + 1], n[l + 1], beta);
            } else if (l + 1 < layers) {
                Activations.softplus(z[l + 1], y[l + 1], n[l + 1], beta);
            } else {
                Activations.softmax(z[l + 1], y[l + 1], n[l + 1]);
            }
        }
    }

    /**
     * Online step t. While {@code record}, the update writes W(t+1) to the weight tape instead of over W(t), and
     * {@link #cur} moves to it. With the next step's input {@code next} (null at the last step), layer 0's update also
     * forms the next step's z_1 = W_0(t+1) next.
     */
    void primalStep(int t, double[] x, int label, double[] th, boolean record, double[] next) {
        double[][] y = ty[t];
        double[][] z = tz[t];
        double[][] e = te[t];
        // float32 takes exp(-beta y) from the softplus' exp (one exp per unit fewer), all three four units at a time
        // (VectorSoftplus); float64, the verification precision, keeps java.lang.Math's and with it its numbers
        boolean decayFromSoftplus = precision == Precision.FLOAT32;
        forward(x, y, z, tslope[t], decayFromSoftplus ? texp[t] : null);
        boolean vDone = firstLayerDone;
        firstProductDone = false;
        firstLayerDone = false;
        // e[L] = softmax(z[L]) - onehot(label)
        System.arraycopy(y[layers], 0, e[layers], 0, n[layers]);
        e[layers][label] -= 1.0;
        // e[l-1] = (M[l-1]^T e[l]) * g(y[l-1]), M = B (fa) or W (bp); r[l-1] = M^T e[l] is kept for the adjoint
        for (int l = layers; l >= 1; l--) {
            if (l == 1 && !needE0) {
                break;
            }
            Matrix m = feedback == Feedback.FA ? b[l - 1] : cur[l - 1];
            m.multiplyTransposed(e[l], tr[t][l - 1]);
            double[] ex = texp[t][l - 1];
            if (l == 1 || !decayFromSoftplus) {
                for (int i = 0; i < n[l - 1]; i++) {
                    ex[i] = l == 1 ? pixelExp.of(y[0][i]) : Activations.transportExp(y[l - 1][i], beta);
                }
            }
            for (int i = 0; i < n[l - 1]; i++) {
                e[l - 1][i] = tr[t][l - 1][i] * (1.0 - ex[i]);
            }
        }
        double scale = updateScale(th);
        tscale[t] = scale;
        for (int k = 0; k < layers; k++) {
            double[] pre = y[k];
            double[] post = y[k + 1];
            double[] ep = e[k + 1];
            double[] eq = e[k];
            double[] v = tv[t][k];
            if (needV && !(k == 0 && vDone)) {
                cur[k].multiplyTransposed(post, v);
            }
            double[] gain = tgain[t][k];
            gain[Factor.Gain.ONE.ordinal()] = 1.0;
            if (needPostSum) {
                gain[Factor.Gain.POST_SUM.ordinal()] = sum(post, n[k + 1]);
            }
            if (needPostWEq) {
                gain[Factor.Gain.POST_W_PRE_ERROR.ordinal()] = gainDot(v, eq, n[k]);
            }
            if (needZEp) {
                gain[Factor.Gain.Z_DOT_POST_ERROR.ordinal()] = gainDot(z[k + 1], ep, n[k + 1]);
            }
            double[][] right = tright[t][k];
            for (int s = 0; s < 3; s++) {
                if (leftUsed[s]) {
                    Arrays.fill(right[s], 0, n[k], 0.0);
                }
            }
            for (OuterProductTerm term : outerTerms) {
                double c = th[term.index()] * term.sign() * gain[term.gain().ordinal()];
                double[] acc = right[leftSlot(term.left())];
                switch (term.right()) {
                    case PRE:
                        axpy(c, pre, acc, n[k]);
                        break;
                    case PRE_ERROR:
                        axpy(c, eq, acc, n[k]);
                        break;
                    default: // Oja residual pre - W^T post
                        for (int j = 0; j < n[k]; j++) {
                            acc[j] += c * (pre[j] - v[j]);
                        }
                }
            }
            if (termNorms != null && t % termNormsEvery == 0) {
                addTermNorms(k, th, gain, ep, post, pre, eq, v);
            }
            Matrix dst = record && tapeW[t + 1][k] != null ? tapeW[t + 1][k] : cur[k];
            if (k == 0 && next != null && needV && decayFromSoftplus && layers > 1) {
                // float32 with Oja's v: the next step's whole layer 0 (W_0 x, softplus, v = W_0^T post) in the update's
                // pass, four rows at a time while they are in L1
                int s1 = t + 1;
                Matrix.RowActivation act = (from, count) -> vectorSoftplus.softplus(tz[s1][1], ty[s1][1],
                        tslope[s1][1], texp[s1][1], from, count, beta);
                double[][] u = new double[3][];
                double[][] v1 = new double[3][];
                int count = updateFactors(ep, post, right, u, v1);
                dst.assignScaledPlusOuterThenForward(cur[k], scale, u, v1, count, next, tz[s1][1], act, ty[s1][1],
                        tv[s1][0]);
                firstLayerDone = true;
            } else if (k == 0 && next != null) {
                // the next step's W_0 x while the update has each row in L1 (its input is known in advance)
                applyUpdate(dst, cur[k], scale, ep, post, right, next, tz[t + 1][1]);
                firstProductDone = true;
            } else {
                applyUpdate(dst, cur[k], scale, ep, post, right, null, null);
            }
            cur[k] = dst;
        }
    }

    /** The update's scale s = 1 + sum of the weight-proportional terms' signed coefficients (W <- s W + ...). */
    double updateScale(double[] th) {
        double s = 1.0;
        for (WeightProportionalTerm p : proportionalTerms) {
            s += th[p.index()] * p.sign();
        }
        return s;
    }

    /** A gain's dot product: float64 the sequential sum (its numbers kept bitwise), float32 four partial sums. */
    private double gainDot(double[] a, double[] b, int len) {
        return precision == Precision.FLOAT32 ? dot4(a, b, len) : dot(a, b, len);
    }

    void addTermNorms(int k, double[] th, double[] gain, double[] ep, double[] post, double[] pre,
                              double[] eq, double[] v) {
        if (proportionalTerms.length > 0) {
            double wNorm = Math.sqrt(cur[k].sumOfSquares());
            for (WeightProportionalTerm p : proportionalTerms) {
                termNorms[p.index()] += (termNormsWeighted ? Math.abs(th[p.index()]) : 1.0) * wNorm;
            }
        }
        for (OuterProductTerm term : outerTerms) {
            double c = Math.abs((termNormsWeighted ? th[term.index()] : 1.0) * gain[term.gain().ordinal()]);
            double left;
            switch (term.left()) {
                case POST_ERROR:
                    left = Math.sqrt(dot(ep, ep, n[k + 1]));
                    break;
                case POST:
                    left = Math.sqrt(dot(post, post, n[k + 1]));
                    break;
                default:
                    left = Math.sqrt(n[k + 1]);
            }
            double right;
            switch (term.right()) {
                case PRE:
                    right = Math.sqrt(dot(pre, pre, n[k]));
                    break;
                case PRE_ERROR:
                    right = Math.sqrt(dot(eq, eq, n[k]));
                    break;
                default:
                    double ss = 0.0;
                    for (int j = 0; j < n[k]; j++) {
                        double d = pre[j] - v[j];
                        ss += d * d;
                    }
                    right = Math.sqrt(ss);
            }
            termNorms[term.index()] += c * left * right;
        }
    }

    /** dst := scale * src + ep right[EP]^T + post right[POST]^T + 1 right[ONES]^T (only the lefts in use). */
    void applyUpdate(Matrix dst, Matrix src, double scale, double[] ep, double[] post, double[][] right) {
        applyUpdate(dst, src, scale, ep, post, right, null, null);
    }

    /** ... and, when x is given, {@code out := dst x} in the same pass. */
    void applyUpdate(Matrix dst, Matrix src, double scale, double[] ep, double[] post, double[][] right,
                     double[] x, double[] out) {
        double[][] u = new double[3][];
        double[][] v = new double[3][];
        int count = updateFactors(ep, post, right, u, v);
        if (x == null) {
            dst.assignScaledPlusOuter(src, scale, u, v, count);
        } else {
            dst.assignScaledPlusOuterThenMultiply(src, scale, u, v, count, x, out);
        }
    }

    /**
     * The update's outer products u_m v_m^T into u and v in slot order (ep, post, ones; the ones as null), for the
     * lefts in use: returns their count.
     */
    int updateFactors(double[] ep, double[] post, double[][] right, double[][] u, double[][] v) {
        int count = 0;
        if (leftUsed[EP]) {
            u[count] = ep;
            v[count++] = right[EP];
        }
        if (leftUsed[POST]) {
            u[count] = post;
            v[count++] = right[POST];
        }
        if (leftUsed[ONES]) {
            u[count] = null;
            v[count++] = right[ONES];
        }
        return count;
    }
}
