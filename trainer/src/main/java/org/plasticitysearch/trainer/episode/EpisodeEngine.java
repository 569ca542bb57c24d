package org.plasticitysearch.trainer.episode;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.plasticitysearch.trainer.linalg.Matrix;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.rule.Rule;
import org.plasticitysearch.trainer.rule.TermPool;

/**
 * One episode of the paper's inner loop (online, batch size 1) and the exact meta-gradient of its meta-loss
 * with respect to theta (PLASTICITY.md, "One episode" and "Computing the meta-gradient").
 *
 * <p><b>Primal.</b> For each training sample: forward pass, errors e[L..0] from the pre-update weights, then for
 * every layer {@code W <- scale W + ep a^T + post b^T + 1 c^T}: all active terms collapse into one rank-3 update
 * because their left factors are only ep, post and 1 (and F3 = -W only changes the scale).
 *
 * <p><b>Adjoint.</b> Reverse mode through all online steps. The step's vectors (y, z, e, the transported errors
 * and the collapsed right factors) are kept on a tape. The past weights ({@link PastWeights}): float32 walks them
 * back from W(T), undoing each update, and checks that the walk ends at W(0) (an episode that misses, or whose
 * weight decay would amplify the walk's rounding, is run with replay instead); float64, or float32 with
 * {@link #walkBack walkBack(false)}, keeps every step's weights (the weight tape) when they fit
 * {@link #weightTapeLimit} and the {@link TapeBudget}, else only every C-th step's (checkpoints, C ~ sqrt(T)),
 * replayed forward inside each segment with the same kernel and the same factors, so that the adjoint sees bitwise
 * the primal weights.
 * Costs, measured: BENCHMARKS.md.
 *
 * <p>One engine owns its buffers and is not thread-safe; make one per thread.
 */
public final class EpisodeEngine extends AdjointPass {
    public EpisodeEngine(int[] dims, double beta, Feedback feedback, Precision precision, Rule rule) {
        super(dims, beta, feedback, precision, rule);
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
        double[] row = new double[m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (2 * rng.nextDouble() - 1) * a;
            }
            m.setRow(i, row);
        }
    }

    /** Sets W and B explicitly (golden cases): {@code [layer][row][col]}. */
    public void initialise(double[][][] w0, double[][][] b0) {
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < n[l + 1]; i++) {
                w[l].setRow(i, w0[l][i]);
                b[l].setRow(i, b0[l][i]);
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
        if (gradient && walkBackAllowed && walkBackGrowth(th, steps) > WALK_BACK_GROWTH_LIMIT) {
            return withReplay(task, theta, lambda, metrics); // the walk would amplify its rounding past the check
        }
        if (gradient && walkBackAllowed && termNorms != null) {
            normsBefore = termNorms.clone(); // a missed walk runs the primal again, which adds them again
        }
        ensureTape(Math.max(steps, 1));
        if (gradient) {
            ensureWeightTape(Math.max(steps, 1));
        }
        phase(PhaseClock.Phase.PRIMAL);
        boolean record = gradient && pastWeights == PastWeights.TAPE;
        if (gradient && pastWeights == PastWeights.WALK_BACK) {
            for (int l = 0; l < layers; l++) {
                initial[l].copyFrom(w[l]);
            }
        }
        if (record) {
            for (int l = 0; l < layers; l++) {
                if (tapeW[0][l] != null) {
                    tapeW[0][l].copyFrom(w[l]);
                    cur[l] = tapeW[0][l];
                }
            }
        }
        try {
            primal(task, th, steps, gradient, record);
        } finally {
            firstProductDone = false;
            firstLayerDone = false;
            // the adapted weights back in w (in float32 the tape already shares w's low parts)
            for (int l = 0; l < layers; l++) {
                if (cur[l] != w[l]) {
                    w[l].copyFrom(cur[l]);
                    cur[l] = w[l];
                }
            }
        }
        phase(PhaseClock.Phase.QUERY);
        Query q = new Query(task.queryX(), task.queryY());
        double loss = q.lossAndAccuracy();
        double metaLoss = loss + lambda * Rule.l1(theta);
        double[] grad = null;
        if (gradient && Double.isFinite(loss)) {
            q.backward();
            Arrays.fill(thetaBar, 0.0);
            if (!reverse(steps, th)) {
                return runAgainWithReplay(task, theta, lambda, metrics);
            }
            if (clock != null) {
                clock.close();
            }
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

    private long walkBackMisses;
    private long walkBackSkips;
    /** The term norms before a walking episode, for its rerun after a miss (null when none are measured). */
    private double[] normsBefore;
    /**
     * The walk's rounding (~1e-6 of W after 250 steps, measured) may grow by this factor before the check on W(0)
     * (1e-4) would likely fail; beyond it the episode replays from the start instead of trying.
     */
    static final double WALK_BACK_GROWTH_LIMIT = 50.0;

    /**
     * The walk back missed W(0) (rare: an update so large against W that undoing it loses W's digits): the episode
     * from W(0) again, with checkpoints and replay, whose meta-gradient is exact.
     */
    private EpisodeResult runAgainWithReplay(Task task, double[] theta, double lambda, boolean metrics) {
        walkBackMisses++;
        for (int l = 0; l < layers; l++) {
            w[l].copyFrom(initial[l]);
        }
        if (termNorms != null && normsBefore != null) {
            System.arraycopy(normsBefore, 0, termNorms, 0, termNorms.length);
        }
        return withReplay(task, theta, lambda, metrics);
    }

    /**
     * How much walking back multiplies an error in W: every step back divides by s = 1 + sum of the weight-decay
     * terms' signed coefficients, so |s|^-T when |s| < 1 (the same for every step of an episode).
     */
    private double walkBackGrowth(double[] th, int steps) {
        double s = updateScale(th);
        return Math.abs(s) >= 1.0 ? 1.0 : Math.pow(Math.abs(s), -steps);
    }

    /**
     * The episode (from the current W) with checkpoints and replay, the walk back switched off for it: never a tape,
     * whose 179 MB (float32, the paper's network) would be allocated and dropped again for one episode.
     */
    private EpisodeResult withReplay(Task task, double[] theta, double lambda, boolean metrics) {
        walkBackSkips++;
        boolean allowed = walkBackAllowed;
        long limit = weightTapeLimit;
        walkBackAllowed = false;
        weightTapeLimit = 0;
        dropWeightTape();
        try {
            return run(task, theta, lambda, true, metrics);
        } finally {
            dropWeightTape();
            walkBackAllowed = allowed;
            weightTapeLimit = limit;
        }
    }

    /** The online steps; checkpoints of w every C-th step when there is no weight tape. */
    private void primal(Task task, double[] th, int steps, boolean gradient, boolean record) {
        for (int t = 0; t < steps; t++) {
            if (gradient && pastWeights == PastWeights.REPLAY && t % checkpointEvery == 0) {
                for (int l = 0; l < layers; l++) {
                    if (needPastWeights[l]) {
                        checkpoints[t / checkpointEvery][l].copyFrom(w[l]);
                    }
                }
            }
            double[] next = t + 1 < steps ? task.trainX()[t + 1] : null;
            primalStep(t, task.trainX()[t], task.trainY()[t], th, record, next);
        }
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

    /**
     * At most this many bytes for this engine's weight tape (default: no limit of its own; 0: never a tape). Within
     * it, and within what its {@link TapeBudget} has left, the primal keeps every step's weights for the adjoint;
     * otherwise only every ~sqrt(T)-th step's, and the adjoint replays the steps between. The results are the same,
     * bitwise; the tape saves the replay's time.
     */
    public void weightTapeLimit(long bytes) {
        weightTapeLimit = bytes;
        dropWeightTape();
    }

    /** Frees this engine's weight tape now (engines side by side share a budget); later episodes plan anew. */
    public void releaseWeightTape() {
        dropWeightTape();
    }

    /** The budget this engine's tape is counted in (default {@link TapeBudget#SHARED}). */
    public void tapeBudget(TapeBudget budget) {
        tapeBudget = budget;
        dropWeightTape();
    }

    /** Whether episodes with a meta-gradient now use the weight tape. */
    public boolean usesWeightTape() {
        return pastWeights == PastWeights.TAPE;
    }

    /** Where the adjoint gets past weights from in episodes with a meta-gradient (null before the first). */
    public PastWeights pastWeights() {
        return pastWeights;
    }

    /**
     * float32 only (float64 always keeps the tape or replays): whether the adjoint walks the weights back
     * ({@link PastWeights#WALK_BACK}, the default) rather than read a tape or replay (bitwise the float64 path's
     * method, at the cost of the tape's memory traffic or the replay's work).
     */
    public void walkBack(boolean allowed) {
        walkBackAllowed = allowed && precision == Precision.FLOAT32;
        dropWeightTape();
    }

    /** Episodes whose walk back missed W(0) and that ran again with replay, since this engine was made. */
    public long walkBackMisses() {
        return walkBackMisses;
    }

    /** Episodes that replayed instead of walking back (a miss, or a weight decay too strong to walk), likewise. */
    public long walkBackSkips() {
        return walkBackSkips;
    }

    /** Times the phases of every following episode into {@code c} (null: stop). */
    public void clock(PhaseClock c) {
        clock = c;
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

    // ---------------------------------------------------------------- query set

    /** The query batch through the adapted network: loss, accuracy, gradient seed for the adjoint, metrics. */
    private final class Query {
        final double[][] x;
        final int[] labels;
        final int size;
        final double[][][] y;
        final double[][][] z;
        final double[][][] slope;
        double accuracy;

        Query(double[][] x, int[] labels) {
            this.x = x;
            this.labels = labels;
            this.size = x.length;
            y = new double[size][layers + 1][];
            z = new double[size][layers + 1][];
            slope = new double[size][layers + 1][];
            for (int s = 0; s < size; s++) {
                for (int l = 1; l <= layers; l++) {
                    y[s][l] = new double[n[l]];
                    z[s][l] = new double[n[l]];
                    slope[s][l] = new double[n[l]];
                }
            }
        }

        double lossAndAccuracy() {
            double loss = 0;
            int correct = 0;
            for (int s = 0; s < size; s++) {
                forward(x[s], y[s], z[s], slope[s], null);
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
                        yb[i] *= slope[s][l - 1][i]; // softplus'(z), as the forward pass formed it
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
}
