package org.plasticitysearch.trainer.episode;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.plasticitysearch.trainer.linalg.Matrix;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.rule.Factor;
import org.plasticitysearch.trainer.rule.OuterProductTerm;
import org.plasticitysearch.trainer.rule.PlasticityTerm;
import org.plasticitysearch.trainer.rule.Rule;
import org.plasticitysearch.trainer.rule.TermPool;
import org.plasticitysearch.trainer.rule.WeightProportionalTerm;

/**
 * One episode of the paper's inner loop (online, batch size 1) and the exact meta-gradient of its meta-loss
 * with respect to theta (PLASTICITY.md, "One episode" and "Computing the meta-gradient").
 *
 * <p><b>Primal.</b> For each training sample: forward pass, errors e[L..0] from the pre-update weights, then for
 * every layer {@code W <- scale W + ep a^T + post b^T + 1 c^T}: all active terms collapse into one rank-3 update
 * because their left factors are only ep, post and 1 (and F3 = -W only changes the scale).
 *
 * <p><b>Adjoint.</b> Reverse mode through all online steps. The step's vectors (y, z, e, the transported errors
 * and the collapsed right factors) are kept on a tape; the weights are kept only at every C-th step
 * (checkpoints, C ~ sqrt(T)) and replayed forward inside each segment with the same kernel and the same factors,
 * so the adjoint sees bitwise the primal weights at O(sqrt(T)) memory. Costs, measured: BENCHMARKS.md.
 *
 * <p>One engine owns its buffers and is not thread-safe; make one per thread.
 */
public final class EpisodeEngine {
    private static final int EP = 0;
    private static final int POST = 1;
    private static final int ONES = 2;

    private final int[] n;
    private final int layers;
    private final double beta;
    private final Feedback feedback;
    private final Precision precision;
    private final Rule rule;

    private final Matrix[] w;
    private final Matrix[] b;
    private final Matrix[] g;

    // what the active rule needs
    private final OuterProductTerm[] outerTerms;
    private final WeightProportionalTerm[] proportionalTerms;
    private final boolean[] leftUsed = new boolean[3];
    private final boolean needV;
    /** When set, sum over steps and layers of each term's update norm ||theta_r F_r||_F (see measureTermNorms). */
    private double[] termNorms;
    private boolean termNormsWeighted = true;
    private int termNormsEvery = 1;
    private final boolean needE0;
    private final boolean needPostSum;
    private final boolean needPostWEq;
    private final boolean needZEp;
    /** Whether the adjoint reads W_k(t) of layer k (otherwise its checkpoints and replay are skipped). */
    private final boolean[] needPastWeights;

    // tape, per step t: activations, pre-activations, errors, transported errors, W^T post, gains, right factors
    private int capacity;
    private double[][][] ty;
    private double[][][] tz;
    private double[][][] te;
    private double[][][] tr;
    private double[][][] tv;
    private double[][][] tgain;
    private double[][][][] tright;
    private double[] tscale;
    private int checkpointEvery;
    private Matrix[][] checkpoints;
    private Matrix[][] replay;

    // adjoint work vectors
    private final double[][] yBar;
    private final double[][] eBar;
    private final double[][] zBar;
    private final double[][] zDirectBar;
    private final double[][] vBar;
    private final double[][] rBar;
    private final double[][][] leftCols;
    private final double[][][] rightRows;
    private final double[] tmpIn;
    private final double[] thetaBar = new double[TermPool.SIZE];

    public EpisodeEngine(int[] dims, double beta, Feedback feedback, Precision precision, Rule rule) {
        if (dims.length < 2) {
            throw new IllegalArgumentException("dims: " + Arrays.toString(dims) + " needs at least 2 layer sizes");
        }
        this.n = dims.clone();
        this.layers = dims.length - 1;
        this.beta = beta;
        this.feedback = feedback;
        this.precision = precision;
        this.rule = rule;
        w = new Matrix[layers];
        b = new Matrix[layers];
        g = new Matrix[layers];
        for (int l = 0; l < layers; l++) {
            w[l] = precision.weights(n[l + 1], n[l]);
            b[l] = precision.zeros(n[l + 1], n[l]);
            g[l] = precision.zeros(n[l + 1], n[l]);
        }
        int nOuter = 0;
        int nProp = 0;
        for (int r : rule.activeTerms()) {
            if (TermPool.term(r) instanceof OuterProductTerm) {
                nOuter++;
            } else {
                nProp++;
            }
        }
        outerTerms = new OuterProductTerm[nOuter];
        proportionalTerms = new WeightProportionalTerm[nProp];
        nOuter = 0;
        nProp = 0;
        boolean v = false;
        boolean e0 = false;
        boolean sum = false;
        boolean pwq = false;
        boolean zep = false;
        for (int r : rule.activeTerms()) {
            PlasticityTerm term = TermPool.term(r);
            if (term instanceof OuterProductTerm) {
                OuterProductTerm t = (OuterProductTerm) term;
                outerTerms[nOuter++] = t;
                leftUsed[leftSlot(t.left())] = true;
                v |= t.right() == Factor.Right.OJA_RESIDUAL || t.gain() == Factor.Gain.POST_W_PRE_ERROR;
                e0 |= t.right() == Factor.Right.PRE_ERROR || t.gain() == Factor.Gain.POST_W_PRE_ERROR;
                sum |= t.gain() == Factor.Gain.POST_SUM;
                pwq |= t.gain() == Factor.Gain.POST_W_PRE_ERROR;
                zep |= t.gain() == Factor.Gain.Z_DOT_POST_ERROR;
            } else {
                proportionalTerms[nProp++] = (WeightProportionalTerm) term;
            }
        }
        needV = v;
        needE0 = e0;
        needPostSum = sum;
        needPostWEq = pwq;
        needZEp = zep;
        // W_k(t) is read by the adjoint for W^T zbar (k >= 1), W vbar (needV), bp transport, and <G, W> (decay)
        needPastWeights = new boolean[layers];
        for (int k = 0; k < layers; k++) {
            needPastWeights[k] = k >= 1 || needV || feedback == Feedback.BP || proportionalTerms.length > 0;
        }

        yBar = new double[layers + 1][];
        eBar = new double[layers + 1][];
        zBar = new double[layers + 1][];
        zDirectBar = new double[layers + 1][];
        for (int l = 0; l <= layers; l++) {
            yBar[l] = new double[n[l]];
            eBar[l] = new double[n[l]];
            zBar[l] = new double[n[l]];
            zDirectBar[l] = new double[n[l]];
        }
        vBar = new double[layers][];
        rBar = new double[layers][];
        leftCols = new double[layers][3][];
        rightRows = new double[layers][3][];
        int maxDim = 0;
        for (int l = 0; l < layers; l++) {
            vBar[l] = new double[n[l]];
            rBar[l] = new double[n[l]];
            for (int s = 0; s < 3; s++) {
                leftCols[l][s] = new double[n[l]];
                rightRows[l][s] = new double[n[l + 1]];
            }
        }
        for (int d : n) {
            maxDim = Math.max(maxDim, d);
        }
        tmpIn = new double[maxDim];
    }

    private static int leftSlot(Factor.Left left) {
        switch (left) {
            case POST_ERROR: return EP;
            case POST: return POST;
            default: return ONES;
        }
    }

    public int[] dims() {
        return n.clone();
    }

    public Rule rule() {
        return rule;
    }

    public Precision precision() {
        return precision;
    }

    /** The forward weights W[l] (out x in); after {@link #run} they hold the adapted weights. */
    public Matrix weights(int l) {
        return w[l];
    }

    /** The feedback matrices B[l] (used in fa mode). */
    public Matrix feedbackWeights(int l) {
        return b[l];
    }

    /**
     * Fresh W and, independently, fresh B, each Glorot/Xavier-uniform U(-a, a) with a = sqrt(6 / (n_in + n_out)).
     * Nothing about the initial weights is meta-learned.
     */
    public void initialiseXavier(long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom rw = root.split();
        SplittableRandom rb = root.split();
        for (int l = 0; l < layers; l++) {
            fillUniform(w[l], rw, Math.sqrt(6.0 / (n[l] + n[l + 1])));
            fillUniform(b[l], rb, Math.sqrt(6.0 / (n[l] + n[l + 1])));
        }
    }

    private static void fillUniform(Matrix m, SplittableRandom rng, double a) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                m.set(i, j, (2 * rng.nextDouble() - 1) * a);
            }
        }
    }

    /** Sets W and B explicitly (golden cases): {@code [layer][row][col]}. */
    public void initialise(double[][][] w0, double[][][] b0) {
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < n[l + 1]; i++) {
                for (int j = 0; j < n[l]; j++) {
                    w[l].set(i, j, w0[l][i][j]);
                    b[l].set(i, j, b0[l][i][j]);
                }
            }
        }
    }

    private void ensureTape(int steps) {
        if (steps <= capacity) {
            return;
        }
        capacity = steps;
        ty = new double[steps][layers + 1][];
        tz = new double[steps][layers + 1][];
        te = new double[steps][layers + 1][];
        tr = new double[steps][layers][];
        tv = new double[steps][layers][];
        tgain = new double[steps][layers][Factor.Gain.values().length];
        tright = new double[steps][layers][3][];
        tscale = new double[steps];
        for (int t = 0; t < steps; t++) {
            for (int l = 1; l <= layers; l++) {
                ty[t][l] = new double[n[l]];
                tz[t][l] = new double[n[l]];
            }
            for (int l = 0; l <= layers; l++) {
                te[t][l] = new double[n[l]];
            }
            for (int l = 0; l < layers; l++) {
                tr[t][l] = new double[n[l]];
                tv[t][l] = new double[n[l]];
                for (int s = 0; s < 3; s++) {
                    tright[t][l][s] = new double[n[l]];
                }
            }
        }
        checkpointEvery = Math.max(1, (int) Math.ceil(Math.sqrt(steps)));
        int nCk = (steps + checkpointEvery - 1) / checkpointEvery;
        checkpoints = new Matrix[nCk][layers];
        replay = new Matrix[checkpointEvery][layers];
        for (int c = 0; c < nCk; c++) {
            for (int l = 0; l < layers; l++) {
                checkpoints[c][l] = precision.weights(n[l + 1], n[l]);
            }
        }
        for (int c = 0; c < checkpointEvery; c++) {
            for (int l = 0; l < layers; l++) {
                replay[c][l] = precision.weights(n[l + 1], n[l]);
            }
        }
    }

    /**
     * Runs the inner loop on the task from the current W and B, evaluates the query set and, when asked, the
     * exact meta-gradient and the alignment/orthonormality metrics. W is left adapted.
     *
     * @param theta   all 10 coefficients (inactive ones only count in the L1 sum)
     * @param lambda  L1 weight of the meta-loss
     */
    public EpisodeResult run(Task task, double[] theta, double lambda, boolean gradient, boolean metrics) {
        int steps = task.trainSize();
        double[] th = rule.effective(theta);
        ensureTape(Math.max(steps, 1));
        for (int t = 0; t < steps; t++) {
            if (gradient && t % checkpointEvery == 0) {
                for (int l = 0; l < layers; l++) {
                    if (needPastWeights[l]) {
                        checkpoints[t / checkpointEvery][l].copyFrom(w[l]);
                    }
                }
            }
            primalStep(t, task.trainX()[t], task.trainY()[t], th);
        }
        Query q = new Query(task.queryX(), task.queryY());
        double loss = q.lossAndAccuracy();
        double metaLoss = loss + lambda * Rule.l1(theta);
        double[] grad = null;
        if (gradient && Double.isFinite(loss)) {
            q.backward();
            Arrays.fill(thetaBar, 0.0);
            reverse(steps, th);
            grad = new double[TermPool.SIZE];
            for (int r = 0; r < TermPool.SIZE; r++) {
                grad[r] = (rule.isActive(r) ? thetaBar[r] : 0.0) + lambda * Math.signum(theta[r]);
            }
        }
        double[] angles = null;
        double[] ortho = null;
        if (metrics && Double.isFinite(loss)) {
            angles = q.alignmentAngles();
            ortho = q.orthonormalityErrors();
        }
        return new EpisodeResult(loss, metaLoss, q.accuracy, grad, angles, ortho);
    }

    /**
     * From now on, every online step adds each active term's update norm {@code ||theta_r F_r||_F} (Frobenius, per
     * layer) into {@code out[r]}; null stops it. Every term is rank one or a multiple of W, so the norm is exact
     * and cheap: |c| ||left|| ||right|| for {@code c left right^T}, |theta_r| ||W||_F for {@code ±W}.
     */
    public void measureTermNorms(double[] out) {
        measureTermNorms(out, true);
    }

    /**
     * As {@link #measureTermNorms(double[])}; unweighted ({@code weighted = false}) adds {@code ||F_r||_F} instead,
     * the term's natural scale whatever its coefficient (also for terms whose theta is still 0).
     */
    public void measureTermNorms(double[] out, boolean weighted) {
        measureTermNorms(out, weighted, 1);
    }

    /**
     * As above, on every {@code every}-th online step only (steps 0, every, 2 every, ...): ratios of such sums
     * estimate the ratios of the full sums at 1/every of the cost (F3's norm is a pass over W).
     */
    public void measureTermNorms(double[] out, boolean weighted, int every) {
        termNorms = out;
        termNormsWeighted = weighted;
        termNormsEvery = Math.max(1, every);
    }

    /** True when every weight is finite (divergence check). */
    public boolean weightsFinite() {
        for (Matrix m : w) {
            if (!m.allFinite()) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- primal

    private void forward(double[] x, double[][] y, double[][] z) {
        y[0] = x;
        for (int l = 0; l < layers; l++) {
            w[l].multiply(y[l], z[l + 1]);
            if (l + 1 < layers) {
                Activations.softplus(z[l + 1], y[l + 1], n[l + 1], beta);
            } else {
                Activations.softmax(z[l + 1], y[l + 1], n[l + 1]);
            }
        }
    }

    private void primalStep(int t, double[] x, int label, double[] th) {
        double[][] y = ty[t];
        double[][] z = tz[t];
        double[][] e = te[t];
        forward(x, y, z);
        // e[L] = softmax(z[L]) - onehot(label)
        System.arraycopy(y[layers], 0, e[layers], 0, n[layers]);
        e[layers][label] -= 1.0;
        // e[l-1] = (M[l-1]^T e[l]) * g(y[l-1]), M = B (fa) or W (bp); r[l-1] = M^T e[l] is kept for the adjoint
        for (int l = layers; l >= 1; l--) {
            if (l == 1 && !needE0) {
                break;
            }
            Matrix m = feedback == Feedback.FA ? b[l - 1] : w[l - 1];
            m.multiplyTransposed(e[l], tr[t][l - 1]);
            for (int i = 0; i < n[l - 1]; i++) {
                e[l - 1][i] = tr[t][l - 1][i] * Activations.transportGain(y[l - 1][i], beta);
            }
        }
        double scale = 1.0;
        for (WeightProportionalTerm p : proportionalTerms) {
            scale += th[p.index()] * p.sign();
        }
        tscale[t] = scale;
        for (int k = 0; k < layers; k++) {
            double[] pre = y[k];
            double[] post = y[k + 1];
            double[] ep = e[k + 1];
            double[] eq = e[k];
            double[] v = tv[t][k];
            if (needV) {
                w[k].multiplyTransposed(post, v);
            }
            double[] gain = tgain[t][k];
            gain[Factor.Gain.ONE.ordinal()] = 1.0;
            if (needPostSum) {
                gain[Factor.Gain.POST_SUM.ordinal()] = sum(post, n[k + 1]);
            }
            if (needPostWEq) {
                gain[Factor.Gain.POST_W_PRE_ERROR.ordinal()] = dot(v, eq, n[k]);
            }
            if (needZEp) {
                gain[Factor.Gain.Z_DOT_POST_ERROR.ordinal()] = dot(z[k + 1], ep, n[k + 1]);
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
            applyUpdate(w[k], w[k], scale, ep, post, right);
        }
    }

    private void addTermNorms(int k, double[] th, double[] gain, double[] ep, double[] post, double[] pre,
                              double[] eq, double[] v) {
        if (proportionalTerms.length > 0) {
            double wNorm = Math.sqrt(w[k].sumOfSquares());
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
    private void applyUpdate(Matrix dst, Matrix src, double scale, double[] ep, double[] post, double[][] right) {
        double[][] u = new double[3][];
        double[][] v = new double[3][];
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
        dst.assignScaledPlusOuter(src, scale, u, v, count);
    }

    // ---------------------------------------------------------------- query set

    /** The query batch through the adapted network: loss, accuracy, gradient seed for the adjoint, metrics. */
    private final class Query {
        final double[][] x;
        final int[] labels;
        final int size;
        final double[][][] y;
        final double[][][] z;
        double accuracy;

        Query(double[][] x, int[] labels) {
            this.x = x;
            this.labels = labels;
            this.size = x.length;
            y = new double[size][layers + 1][];
            z = new double[size][layers + 1][];
            for (int s = 0; s < size; s++) {
                for (int l = 1; l <= layers; l++) {
                    y[s][l] = new double[n[l]];
                    z[s][l] = new double[n[l]];
                }
            }
        }

        double lossAndAccuracy() {
            double loss = 0;
            int correct = 0;
            for (int s = 0; s < size; s++) {
                forward(x[s], y[s], z[s]);
                double[] out = z[s][layers];
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n[layers]; i++) {
                    max = Math.max(max, out[i]);
                }
                double sum = 0;
                for (int i = 0; i < n[layers]; i++) {
                    sum += Math.exp(out[i] - max);
                }
                loss += max + Math.log(sum) - out[labels[s]];
                if (Activations.argmax(y[s][layers], n[layers]) == labels[s]) {
                    correct++;
                }
            }
            accuracy = size == 0 ? 0 : (double) correct / size;
            return size == 0 ? 0 : loss / size;
        }

        /** g[l] := d query_loss / d W[l] (true backprop through the adapted network). */
        void backward() {
            double[][][] zb = new double[layers + 1][size][];
            double[][][] yIn = new double[layers][size][];
            for (int s = 0; s < size; s++) {
                double[] d = new double[n[layers]];
                for (int i = 0; i < n[layers]; i++) {
                    d[i] = y[s][layers][i] / size;
                }
                d[labels[s]] -= 1.0 / size;
                zb[layers][s] = d;
                for (int l = layers; l >= 2; l--) {
                    double[] yb = new double[n[l - 1]];
                    w[l - 1].multiplyTransposed(zb[l][s], yb);
                    for (int i = 0; i < n[l - 1]; i++) {
                        yb[i] *= Activations.softplusDerivative(z[s][l - 1][i], beta);
                    }
                    zb[l - 1][s] = yb;
                }
                for (int l = 0; l < layers; l++) {
                    yIn[l][s] = y[s][l];
                }
            }
            for (int l = 0; l < layers; l++) {
                g[l].assignScaledPlusOuter(g[l], 0.0, zb[l + 1], yIn[l], size);
            }
        }

        /**
         * alpha_l, l = 1..L-1: angle between the batch means of the FA error (through B) and the BP error (through
         * the current W^T), both transported from the same e[L].
         */
        double[] alignmentAngles() {
            double[][] fa = new double[layers][];
            double[][] bp = new double[layers][];
            for (int l = 1; l < layers; l++) {
                fa[l] = new double[n[l]];
                bp[l] = new double[n[l]];
            }
            double[] tmp = new double[tmpIn.length];
            for (int s = 0; s < size; s++) {
                double[] eTop = y[s][layers].clone();
                eTop[labels[s]] -= 1.0;
                double[] ef = eTop;
                double[] eb = eTop;
                for (int l = layers; l >= 2; l--) {
                    double[] nf = new double[n[l - 1]];
                    double[] nb = new double[n[l - 1]];
                    b[l - 1].multiplyTransposed(ef, nf);
                    w[l - 1].multiplyTransposed(eb, tmp);
                    for (int i = 0; i < n[l - 1]; i++) {
                        double gy = Activations.transportGain(y[s][l - 1][i], beta);
                        nf[i] *= gy;
                        nb[i] = tmp[i] * gy;
                        fa[l - 1][i] += nf[i] / size;
                        bp[l - 1][i] += nb[i] / size;
                    }
                    ef = nf;
                    eb = nb;
                }
            }
            double[] angles = new double[layers - 1];
            for (int l = 1; l < layers; l++) {
                double c = dot(fa[l], bp[l], n[l]) / Math.sqrt(dot(fa[l], fa[l], n[l]) * dot(bp[l], bp[l], n[l]));
                angles[l - 1] = Math.toDegrees(Math.acos(Math.max(-1.0, Math.min(1.0, c))));
            }
            return angles;
        }

        /** E_W per layer: sum over the batch of || z - W (W^T y) ||^2 (paper Eq. 11). */
        double[] orthonormalityErrors() {
            double[] err = new double[layers];
            for (int l = 0; l < layers; l++) {
                double[] wtY = new double[n[l]];
                double[] wwtY = new double[n[l + 1]];
                for (int s = 0; s < size; s++) {
                    w[l].multiplyTransposed(y[s][l + 1], wtY);
                    w[l].multiply(wtY, wwtY);
                    for (int i = 0; i < n[l + 1]; i++) {
                        double d = z[s][l + 1][i] - wwtY[i];
                        err[l] += d * d;
                    }
                }
            }
            return err;
        }
    }

    // ---------------------------------------------------------------- adjoint

    private void reverse(int steps, double[] th) {
        int c = checkpointEvery;
        int segments = (steps + c - 1) / c;
        for (int seg = segments - 1; seg >= 0; seg--) {
            int start = seg * c;
            int end = Math.min(steps, start + c);
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
            for (int t = end - 1; t >= start; t--) {
                reverseStep(t, replay[t - start], th);
            }
        }
    }

    /**
     * Given g[k] = d loss / d W_k(t+1) for every layer, accumulates d loss / d theta of step t and leaves
     * g[k] = d loss / d W_k(t). {@code wt} holds W_k(t).
     */
    private void reverseStep(int t, Matrix[] wt, double[] th) {
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

            // one pass over g: g right[EP], g right[POST] (adjoints of ep and post) and g^T ep, g^T post, g^T 1
            double[][] dotIn = new double[2][];
            double[][] dotOut = new double[2][];
            int nd = 0;
            if (leftUsed[EP]) {
                dotIn[nd] = right[EP];
                dotOut[nd++] = rightRows[k][EP];
            }
            if (leftUsed[POST]) {
                dotIn[nd] = right[POST];
                dotOut[nd++] = rightRows[k][POST];
            }
            double[][] colIn = new double[3][];
            double[][] colOut = new double[3][];
            int nc = 0;
            for (int s = 0; s < 3; s++) {
                if (leftUsed[s]) {
                    colIn[nc] = s == EP ? ep : s == POST ? post : null;
                    colOut[nc++] = leftCols[k][s];
                }
            }
            g[k].fusedMultiplyBoth(dotIn, dotOut, nd, colIn, colOut, nc);
            if (leftUsed[EP]) {
                addTo(eBar[k + 1], rightRows[k][EP], nOut);
            }
            if (leftUsed[POST]) {
                addTo(yBar[k + 1], rightRows[k][POST], nOut);
            }

            // each term r: d<G, theta_r s_r kappa_r left right^T> (q = left^T G right = (G^T left) . right)
            double[] gainBar = new double[nGain];
            for (OuterProductTerm term : outerTerms) {
                int r = term.index();
                double[] gl = leftCols[k][leftSlot(term.left())];
                double kappa = gain[term.gain().ordinal()];
                double q;
                double coef = th[r] * term.sign() * kappa;
                switch (term.right()) {
                    case PRE:
                        q = dot(gl, pre, nIn);
                        axpy(coef, gl, yBar[k], nIn);
                        break;
                    case PRE_ERROR:
                        q = dot(gl, eq, nIn);
                        axpy(coef, gl, eBar[k], nIn);
                        break;
                    default: // Oja residual pre - v, v = W^T post
                        q = 0;
                        for (int j = 0; j < nIn; j++) {
                            q += gl[j] * (pre[j] - v[j]);
                        }
                        axpy(coef, gl, yBar[k], nIn);
                        axpy(-coef, gl, vBar[k], nIn);
                }
                thetaBar[r] += term.sign() * kappa * q;
                gainBar[term.gain().ordinal()] += th[r] * term.sign() * q;
            }
            for (WeightProportionalTerm p : proportionalTerms) {
                thetaBar[p.index()] += p.sign() * g[k].dot(wt[k]);
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
            // v = W^T post: post_bar += W v_bar (the matching W_bar += post v_bar^T joins the final update)
            if (needV) {
                wt[k].multiply(vBar[k], rightRows[k][ONES]);
                addTo(yBar[k + 1], rightRows[k][ONES], nOut);
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
                for (int i = 0; i < n[l - 1]; i++) {
                    rb[i] = eb[i] * Activations.transportGain(yPrev[i], beta);
                    any |= rb[i] != 0.0;
                    if (l > 1) {
                        yBar[l - 1][i] += eb[i] * r[i] * Activations.transportGainDerivative(yPrev[i], beta);
                    }
                }
            } else {
                Arrays.fill(rb, 0.0);
            }
            if (any) {
                Matrix m = feedback == Feedback.FA ? b[l - 1] : wt[l - 1];
                m.multiply(rb, tmpIn);
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
        for (int l = layers; l >= 2; l--) {
            wt[l - 1].multiplyTransposed(zBar[l], tmpIn);
            for (int i = 0; i < n[l - 1]; i++) {
                double yb = yBar[l - 1][i] + tmpIn[i];
                zBar[l - 1][i] = yb * Activations.softplusDerivative(z[l - 1][i], beta) + zDirectBar[l - 1][i];
            }
        }

        // g[k] := scale g[k] + zBar[k+1] pre^T + post vBar^T (+ e[k+1] rBar^T in bp mode)
        double scale = tscale[t];
        for (int k = 0; k < layers; k++) {
            double[][] u = new double[3][];
            double[][] vv = new double[3][];
            int count = 0;
            u[count] = zBar[k + 1];
            vv[count++] = y[k];
            if (needV) {
                u[count] = y[k + 1];
                vv[count++] = vBar[k];
            }
            if (feedback == Feedback.BP && (k > 0 || needE0)) {
                u[count] = e[k + 1];
                vv[count++] = rBar[k];
            }
            g[k].assignScaledPlusOuter(g[k], scale, u, vv, count);
        }
    }

    // ---------------------------------------------------------------- small vector helpers

    static double dot(double[] a, double[] b, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double sum(double[] a, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += a[i];
        }
        return s;
    }

    static void axpy(double alpha, double[] x, double[] y, int len) {
        if (alpha == 0.0) {
            return;
        }
        for (int i = 0; i < len; i++) {
            y[i] += alpha * x[i];
        }
    }

    static void addTo(double[] acc, double[] x, int len) {
        for (int i = 0; i < len; i++) {
            acc[i] += x[i];
        }
    }
}
