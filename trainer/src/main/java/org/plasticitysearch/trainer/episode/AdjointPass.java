package org.plasticitysearch.trainer.episode;

import java.util.Arrays;
import org.plasticitysearch.trainer.linalg.AdjointSweep;
import org.plasticitysearch.trainer.linalg.Matrix;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.rule.Factor;
import org.plasticitysearch.trainer.rule.OuterProductTerm;
import org.plasticitysearch.trainer.rule.Rule;
import org.plasticitysearch.trainer.rule.WeightProportionalTerm;

/**
 * Reverse mode through all online steps (PLASTICITY.md, "Computing the meta-gradient"). W(t) comes, in float32, from
 * the walk back (W(t+1) with step t's update undone, in one matrix, checked against W(0) at the end); otherwise from
 * the weight tape when the primal kept it, or segment by segment from the last checkpoint, the weights replayed
 * forward with the same kernel and factors (bitwise the primal's). Each step's adjoint is one sweep per layer, top-down
 * ({@link AdjointSweep}), accumulating into theta-bar.
 */
abstract class AdjointPass extends PrimalPass {
    /** Whether reverseStep forms W(t) from W(t+1) itself ({@link PastWeights#WALK_BACK}), for how many steps. */
    private boolean walking;
    private int walkSteps;
    private final double[][][] walkU;
    private final double[] residual;
    private final double[][] termLeft;
    private final double[][] termRight;
    private final double[] termQ;
    /**
     * float32 carries two of the adjoint's reads of G from step to step in O(n) instead of a pass over G each:
     * F3's {@code <G(t+1), W(t)>} and the ones-left terms' {@code G(t)^T 1} (see {@link #carryWeightDots}); float64,
     * the verification precision, reads both from G every step.
     */
    private final boolean carryCapable;
    /** This episode carries them (float32, and no step's scale s below 1e-3 in size: they divide by it). */
    private boolean carryReads;
    /** Per layer, {@code <G(t+1), W(t+1)>} for the step the adjoint does next. */
    private final double[] carriedWeightDot;
    /**
     * float32: whether this episode keeps G as G(t) / sigma(t) ({@link #sweepScaled}); not when a product of the
     * scales leaves [1e-20, 1e20], where G / sigma could lose its float32 range.
     */
    private boolean scaledG;
    private double[] sigma = new double[0];
    private final double[][][] scaledU;
    private final double[][] trueU = new double[3][];

    AdjointPass(int[] dims, double beta, Feedback feedback, Precision precision, Rule rule) {
        super(dims, beta, feedback, precision, rule);
        int widest = Arrays.stream(dims).max().orElse(0);
        residual = new double[widest];
        termLeft = new double[outerTerms.length][];
        termRight = new double[outerTerms.length][];
        termQ = new double[outerTerms.length];
        carryCapable = precision == Precision.FLOAT32;
        carriedWeightDot = new double[layers];
        scaledU = new double[layers][3][];
        walkU = new double[layers][3][];
        for (int k = 0; k < layers; k++) {
            for (int m = 0; m < 3; m++) {
                scaledU[k][m] = new double[dims[k + 1]];
                walkU[k][m] = new double[dims[k + 1]];
            }
        }
    }

    /**
     * Accumulates the meta-gradient of all steps into theta-bar. False when the weights were walked back and the walk
     * missed W(0) by more than the tolerance: theta-bar is then not to be used (the caller runs the episode again).
     */
    boolean reverse(int steps, double[] th) {
        carryReads = carryCapable;
        for (int t = 0; t < steps; t++) {
            carryReads &= Math.abs(tscale[t]) >= 1e-3;
        }
        if (steps > 0) {
            // the reads of G(T) that step T-1's adjoint starts from; later steps get theirs from the sweep before
            for (int k = 0; k < layers; k++) {
                AdjointSweep p = sweeps[k];
                prepareReads(p, steps - 1, k, false);
                g[k].fusedMultiplyBoth(p.dotIn, p.dotOut, p.nDots, p.colIn, p.colOut, p.nCols);
                if (carryReads && proportionalTerms.length > 0) {
                    carriedWeightDot[k] = g[k].dot(cur[k]); // <G(T), W(T)>
                }
            }
        }
        scaledG = carryReads && planScaledG(steps);
        if (pastWeights == PastWeights.WALK_BACK) {
            return walkBack(steps, th);
        }
        if (pastWeights == PastWeights.TAPE) {
            phase(PhaseClock.Phase.ADJOINT);
            for (int t = steps - 1; t >= 0; t--) {
                reverseStep(t, tapeW[t], th);
            }
            return true;
        }
        int c = checkpointEvery;
        int segments = (steps + c - 1) / c;
        for (int seg = segments - 1; seg >= 0; seg--) {
            int start = seg * c;
            int end = Math.min(steps, start + c);
            phase(PhaseClock.Phase.REPLAY);
            for (int l = 0; l < layers; l++) {
                if (needPastWeights[l]) {
                    replay[0][l].copyFrom(checkpoints[seg][l]);
                }
            }
            // replay W_{t+1} = update(W_t) with the taped factors: the same kernel on the same inputs as the primal
            for (int t = start; t < end - 1; t++) {
                for (int k = 0; k < layers; k++) {
                    if (!needPastWeights[k]) {
                        continue;
                    }
                    applyUpdate(replay[t - start + 1][k], replay[t - start][k], tscale[t],
                            te[t][k + 1], ty[t][k + 1], tright[t][k]);
                }
            }
            phase(PhaseClock.Phase.ADJOINT);
            for (int t = end - 1; t >= start; t--) {
                reverseStep(t, replay[t - start], th);
            }
        }
        return true;
    }

    /** The adjoint with W(t) from W(t+1) by undoing step t's update (PastWeights.WALK_BACK). */
    private boolean walkBack(int steps, double[] th) {
        phase(PhaseClock.Phase.ADJOINT);
        for (int l = 0; l < layers; l++) {
            if (needPastWeights[l]) {
                reversed[l].copyFrom(cur[l]);
            }
        }
        walking = true;
        walkSteps = steps;
        try {
            for (int t = steps - 1; t >= 0; t--) {
                reverseStep(t, reversed, th);
            }
        } finally {
            walking = false;
        }
        if (scaledG && steps > 0) {
            for (int l = 0; l < layers; l++) {
                if (needPastWeights[l]) { // sigma(0) W(0) back to W(0)
                    reversed[l].assignScaledPlusOuter(reversed[l], 1.0 / sigma[0], null, null, 0);
                }
            }
        }
        // each entry of W(t) was rounded anew at every step back: where the walk ends says how far it drifted
        for (int l = 0; l < layers; l++) {
            if (needPastWeights[l] && !(reversed[l].relativeDistance(initial[l]) <= walkBackTolerance)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Given g[k] = d loss / d W_k(t+1) for every layer, accumulates d loss / d theta of step t and leaves
     * g[k] = d loss / d W_k(t). {@code wt} holds W_k(t).
     */
    void reverseStep(int t, Matrix[] wt, double[] th) {
        double[][] y = ty[t];
        double[][] z = tz[t];
        double[][] e = te[t];
        for (int l = 0; l <= layers; l++) {
            Arrays.fill(yBar[l], 0.0);
            Arrays.fill(eBar[l], 0.0);
            Arrays.fill(zDirectBar[l], 0.0);
        }
        int nGain = Factor.Gain.values().length;
        for (int k = 0; k < layers; k++) {
            int nIn = n[k];
            int nOut = n[k + 1];
            double[] pre = y[k];
            double[] post = y[k + 1];
            double[] ep = e[k + 1];
            double[] eq = e[k];
            double[] v = tv[t][k];
            double[] gain = tgain[t][k];
            double[][] right = tright[t][k];
            Arrays.fill(vBar[k], 0.0);

            // g right[EP], g right[POST] (adjoints of ep and post) and g^T ep, g^T post, g^T 1: read by the sweep
            // of step t + 1 (or by reverse() for the last step)
            if (leftUsed[EP]) {
                addTo(eBar[k + 1], rightRows[k][EP], nOut);
            }
            if (leftUsed[POST]) {
                addTo(yBar[k + 1], rightRows[k][POST], nOut);
            }

            // each term r: d<G, theta_r s_r kappa_r left right^T> (q = left^T G right = (G^T left) . right)
            double[] residual = needV ? this.residual : null;
            if (residual != null) {
                for (int j = 0; j < nIn; j++) {
                    residual[j] = pre[j] - v[j]; // Oja's right factor, as the primal formed it
                }
            }
            int nTerms = outerTerms.length;
            for (int r = 0; r < nTerms; r++) {
                OuterProductTerm term = outerTerms[r];
                termLeft[r] = leftCols[k][leftSlot(term.left())];
                termRight[r] = term.right() == Factor.Right.PRE ? pre
                        : term.right() == Factor.Right.PRE_ERROR ? eq : residual;
            }
            TermReads.dots(termLeft, termRight, nTerms, nIn, termQ);
            double[] gainBar = new double[nGain];
            for (int r = 0; r < nTerms; r++) {
                OuterProductTerm term = outerTerms[r];
                int idx = term.index();
                double kappa = gain[term.gain().ordinal()];
                double q = termQ[r];
                double coef = th[idx] * term.sign() * kappa;
                double[] gl = termLeft[r];
                switch (term.right()) {
                    case PRE:
                        axpy(coef, gl, yBar[k], nIn);
                        break;
                    case PRE_ERROR:
                        axpy(coef, gl, eBar[k], nIn);
                        break;
                    default: // Oja residual pre - v, v = W^T post
                        axpy(coef, gl, yBar[k], nIn);
                        axpy(-coef, gl, vBar[k], nIn);
                }
                thetaBar[idx] += term.sign() * kappa * q;
                gainBar[term.gain().ordinal()] += th[idx] * term.sign() * q;
            }
            // gains: S = 1^T post; P = v . eq; Z = z . ep
            double sBar = gainBar[Factor.Gain.POST_SUM.ordinal()];
            if (sBar != 0.0) {
                for (int i = 0; i < nOut; i++) {
                    yBar[k + 1][i] += sBar;
                }
            }
            double pBar = gainBar[Factor.Gain.POST_W_PRE_ERROR.ordinal()];
            if (pBar != 0.0) {
                axpy(pBar, eq, vBar[k], nIn);
                axpy(pBar, v, eBar[k], nIn);
            }
            double zBarGain = gainBar[Factor.Gain.Z_DOT_POST_ERROR.ordinal()];
            if (zBarGain != 0.0) {
                axpy(zBarGain, ep, zDirectBar[k + 1], nOut);
                axpy(zBarGain, z[k + 1], eBar[k + 1], nOut);
            }
            // v = W^T post: post_bar += W v_bar (the matching W_bar += post v_bar^T joins the final update); when
            // walking back, this is the first read of W_k(t), which is formed from W_k(t+1) in the same pass
            if (needV) {
                if (walking) {
                    unupdate(wt[k], t, k, vBar[k], rightRows[k][ONES]);
                } else {
                    wt[k].multiply(vBar[k], rightRows[k][ONES]);
                }
                addTo(yBar[k + 1], rightRows[k][ONES], nOut);
            } else if (walking && needPastWeights[k]) {
                unupdate(wt[k], t, k, null, null);
            }
        }

        // error transport, e[l-1] = r[l-1] * g(y[l-1]) with r[l-1] = M^T e[l]; visited from e[0] upwards
        for (int l = 1; l <= layers; l++) {
            double[] rb = rBar[l - 1];
            boolean any = false;
            if (l > 1 || needE0) {
                double[] yPrev = y[l - 1];
                double[] eb = eBar[l - 1];
                double[] r = tr[t][l - 1];
                double[] ex = texp[t][l - 1];
                for (int i = 0; i < n[l - 1]; i++) {
                    rb[i] = eb[i] * (1.0 - ex[i]); // g(y) = 1 - exp(-beta y), taped by the primal
                    any |= rb[i] != 0.0;
                    if (l > 1) {
                        yBar[l - 1][i] += eb[i] * r[i] * (beta * ex[i]); // g'(y) = beta exp(-beta y)
                    }
                }
            } else {
                Arrays.fill(rb, 0.0);
            }
            if (any) {
                Matrix m = feedback == Feedback.FA ? b[l - 1] : wt[l - 1];
                m.multiply(rb, tmpIn);
                if (feedback == Feedback.BP && walking && scaledG) {
                    scale(tmpIn, 1.0 / sigma[t], n[l]);
                }
                addTo(eBar[l], tmpIn, n[l]);
            } else {
                Arrays.fill(rb, 0.0);
            }
        }
        // e[L] = y[L] - onehot
        addTo(yBar[layers], eBar[layers], n[layers]);

        // forward pass: y[L] = softmax(z[L]); y[l] = softplus(z[l]); z[l] = W[l-1] y[l-1]
        double[] yTop = y[layers];
        double yy = dot(yTop, yBar[layers], n[layers]);
        for (int i = 0; i < n[layers]; i++) {
            zBar[layers][i] = yTop[i] * (yBar[layers][i] - yy) + zDirectBar[layers][i];
        }
        // top-down, one sweep per layer: W^T zBar (for the layer below), <G, W> (F3), G's update
        // g[k] := scale g[k] + zBar[k+1] pre^T + post vBar^T (+ e[k+1] rBar^T in bp mode), then step t-1's reads
        double scale = tscale[t];
        for (int k = layers - 1; k >= 0; k--) {
            AdjointSweep p = sweeps[k];
            boolean wantDot = proportionalTerms.length > 0 && !carryReads;
            p.weights = wantDot || k >= 1 ? wt[k] : null;
            p.weightDot = wantDot;
            p.transposedIn = zBar[k + 1];
            p.transposedOut = k >= 1 ? tmpIn : null;
            p.scale = scale;
            int count = 0;
            p.u[count] = zBar[k + 1];
            p.v[count++] = y[k];
            if (needV) {
                p.u[count] = y[k + 1];
                p.v[count++] = vBar[k];
            }
            if (feedback == Feedback.BP && (k > 0 || needE0)) {
                p.u[count] = e[k + 1];
                p.v[count++] = rBar[k];
            }
            p.count = count;
            if (t > 0) {
                prepareReads(p, t - 1, k, carryReads);
            } else {
                p.nDots = 0;
                p.nCols = 0;
            }
            if (carryReads && proportionalTerms.length > 0) {
                weightDots[k] = weightDotBefore(t, k); // from the reads of G(t+1), before the sweep replaces them
            }
            if (scaledG) {
                sweepScaled(p, t, k);
            } else {
                g[k].sweep(p);
            }
            if (walking && scaledG && p.transposedOut != null) {
                scale(p.transposedOut, 1.0 / sigma[t], n[k]); // W^T zBar from sigma(t) W(t)
            }
            if (!carryReads) {
                weightDots[k] = p.weightDotOut;
            } else {
                carryWeightDots(t, k, p);
            }
            if (k >= 1) {
                for (int i = 0; i < n[k]; i++) {
                    double yb = yBar[k][i] + tmpIn[i];
                    zBar[k][i] = yb * tslope[t][k][i] + zDirectBar[k][i]; // tslope: softplus'(z), taped
                }
            }
        }
        // F3's d<G, W>, added in layer order
        for (int k = 0; k < layers; k++) {
            for (WeightProportionalTerm p : proportionalTerms) {
                thetaBar[p.index()] += p.sign() * weightDots[k];
            }
        }
    }

    /**
     * W_k(t+1) -> W_k(t) in place, with step t's factors (the primal's {@code applyUpdate} undone); then, if x is
     * given, {@code out := W_k(t) x} in the same pass.
     */
    private void unupdate(Matrix m, int t, int k, double[] x, double[] out) {
        double[][] u = new double[3][];
        double[][] v = new double[3][];
        int count = updateFactors(te[t][k + 1], ty[t][k + 1], tright[t][k], u, v);
        double s = tscale[t];
        if (scaledG) {
            // the walk keeps sigma(t) W(t) (sigma as for G): sigma(t) W(t) = sigma(t+1) (W(t+1) - D_t), no division by
            // s_t (one multiply-add fewer per entry); what reads it divides by sigma(t)
            double next = t + 1 < sigma.length && t + 1 < walkSteps ? sigma[t + 1] : 1.0;
            for (int c = 0; c < count; c++) {
                double[] scaled = walkU[k][c];
                for (int i = 0; i < n[k + 1]; i++) {
                    scaled[i] = (u[c] == null ? 1.0 : u[c][i]) * next;
                }
                u[c] = scaled;
            }
            s = 1.0;
        }
        if (x == null) {
            m.unupdate(s, u, v, count);
        } else {
            m.unupdateThenMultiply(s, u, v, count, x, out);
            if (scaledG) {
                scale(out, 1.0 / sigma[t], n[k + 1]);
            }
        }
    }

    /** sigma(t) for every step; false if one leaves [1e-20, 1e20] (or is 0, or not finite). */
    private boolean planScaledG(int steps) {
        if (sigma.length < steps) {
            sigma = new double[steps];
        }
        double s = 1.0;
        for (int t = steps - 1; t >= 0; t--) {
            s *= tscale[t];
            double a = Math.abs(s);
            if (!(a >= 1e-20 && a <= 1e20)) {
                return false;
            }
            sigma[t] = s;
        }
        return true;
    }

    /**
     * The sweep on G stored as G(t) / sigma(t), sigma(t) = s_t s_{t+1} ... s_{T-1}: G(t) = s_t G(t+1) + sum u v^T
     * becomes G/sigma += sum (u / sigma(t)) v^T, no scaling pass (one multiply fewer per entry), and the reads come out
     * of it times sigma(t).
     */
    private void sweepScaled(AdjointSweep p, int t, int k) {
        double inv = 1.0 / sigma[t];
        for (int m = 0; m < p.count; m++) {
            double[] u = p.u[m];
            double[] scaled = scaledU[k][m];
            for (int i = 0; i < n[k + 1]; i++) {
                scaled[i] = u[i] * inv;
            }
            trueU[m] = u;
            p.u[m] = scaled;
        }
        p.scale = 1.0;
        g[k].sweep(p);
        for (int m = 0; m < p.count; m++) {
            p.u[m] = trueU[m];
        }
        for (int d = 0; d < p.nDots; d++) {
            scale(p.dotOut[d], sigma[t], n[k + 1]);
        }
        for (int c = 0; c < p.nCols; c++) {
            scale(p.colOut[c], sigma[t], n[k]);
        }
    }

    private static void scale(double[] x, double s, int len) {
        for (int i = 0; i < len; i++) {
            x[i] *= s;
        }
    }

    /**
     * {@code <G(t+1), W(t)>} without W(t): W(t+1) = s_t W(t) + D_t with D_t = sum_m a_m b_m^T (the primal's update,
     * a in {ep, post, 1}), so {@code <G(t+1), W(t)> = (<G(t+1), W(t+1)> - sum_m a_m . (G(t+1) b_m)) / s_t}; the
     * products G(t+1) b_m are the reads step t starts from (rightRows, and G^T 1 for a = 1).
     */
    private double weightDotBefore(int t, int k) {
        double[][] right = tright[t][k];
        double gd = 0.0;
        if (leftUsed[EP]) {
            gd += dot4(te[t][k + 1], rightRows[k][EP], n[k + 1]);
        }
        if (leftUsed[POST]) {
            gd += dot4(ty[t][k + 1], rightRows[k][POST], n[k + 1]);
        }
        if (leftUsed[ONES]) {
            gd += dot4(leftCols[k][ONES], right[ONES], n[k]);
        }
        return (carriedWeightDot[k] - gd) / tscale[t];
    }

    /**
     * After step t's sweep, G(t) = s_t G(t+1) + sum_m u_m v_m^T: {@code <G(t), W(t)> = s_t <G(t+1), W(t)> +
     * sum_m u_m^T W(t) v_m}, each term a product the primal taped (zBar . z, vBar . v with v = W^T post, rBar . r with
     * r = W^T e in bp mode); and {@code G(t)^T 1 = s_t G(t+1)^T 1 + sum_m (1^T u_m) v_m}.
     */
    private void carryWeightDots(int t, int k, AdjointSweep p) {
        if (t == 0) {
            return;
        }
        if (proportionalTerms.length > 0) {
            double q = tscale[t] * weightDots[k] + dot4(zBar[k + 1], tz[t][k + 1], n[k + 1]);
            if (needV) {
                q += dot4(vBar[k], tv[t][k], n[k]);
            }
            if (feedback == Feedback.BP && (k > 0 || needE0)) {
                q += dot4(rBar[k], tr[t][k], n[k]);
            }
            carriedWeightDot[k] = q;
        }
        if (leftUsed[ONES]) {
            double[] ones = leftCols[k][ONES];
            for (int j = 0; j < n[k]; j++) {
                ones[j] *= tscale[t];
            }
            for (int m = 0; m < p.count; m++) {
                axpy(sum(p.u[m], n[k + 1]), p.v[m], ones, n[k]);
            }
        }
    }

    /**
     * The sweep's reads for step {@code s}'s adjoint: G right[EP], G right[POST], G^T ep, G^T post and, unless it is
     * carried ({@code carried}), G^T 1.
     */
    private void prepareReads(AdjointSweep p, int s, int k, boolean carried) {
        double[][] right = tright[s][k];
        int nd = 0;
        if (leftUsed[EP]) {
            p.dotIn[nd] = right[EP];
            p.dotOut[nd++] = rightRows[k][EP];
        }
        if (leftUsed[POST]) {
            p.dotIn[nd] = right[POST];
            p.dotOut[nd++] = rightRows[k][POST];
        }
        p.nDots = nd;
        int nc = 0;
        for (int slot = 0; slot < 3; slot++) {
            if (leftUsed[slot] && !(carried && slot == ONES)) {
                p.colIn[nc] = slot == EP ? te[s][k + 1] : slot == POST ? ty[s][k + 1] : null;
                p.colOut[nc++] = leftCols[k][slot];
            }
        }
        p.nCols = nc;
    }
}
