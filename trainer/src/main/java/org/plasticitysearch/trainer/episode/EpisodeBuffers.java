package org.plasticitysearch.trainer.episode;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.plasticitysearch.trainer.linalg.AdjointSweep;
import org.plasticitysearch.trainer.linalg.Matrix;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.rule.Factor;
import org.plasticitysearch.trainer.rule.OuterProductTerm;
import org.plasticitysearch.trainer.rule.PlasticityTerm;
import org.plasticitysearch.trainer.rule.Rule;
import org.plasticitysearch.trainer.rule.TermPool;
import org.plasticitysearch.trainer.rule.WeightProportionalTerm;

/**
 * The state of an {@link EpisodeEngine}: the network (W, B), the rule's terms sorted by kind, the step buffers, the
 * tape of the online steps, and what the adjoint takes past weights from ({@link PastWeights}: the walk back's
 * matrices, the weight tape within its {@link TapeBudget}, or the weight checkpoints; allocated on first use, sized
 * for the longest task, only for episodes with a meta-gradient), and the small vector helpers every pass uses. The passes are the subclasses: {@link PrimalPass}, {@link AdjointPass}.
 */
abstract class EpisodeBuffers {
    static final int EP = 0;
    static final int POST = 1;
    static final int ONES = 2;

    final int[] n;
    final int layers;
    final double beta;
    final Feedback feedback;
    final Precision precision;
    final Rule rule;

    final Matrix[] w;
    final Matrix[] b;
    final Matrix[] g;

    // what the active rule needs
    final OuterProductTerm[] outerTerms;
    final WeightProportionalTerm[] proportionalTerms;
    final boolean[] leftUsed = new boolean[3];
    final boolean needV;
    /** When set, sum over steps and layers of each term's update norm ||theta_r F_r||_F (see measureTermNorms). */
    double[] termNorms;
    boolean termNormsWeighted = true;
    int termNormsEvery = 1;
    final boolean needE0;
    final boolean needPostSum;
    final boolean needPostWEq;
    final boolean needZEp;
    /** Whether the adjoint reads W_k(t) of layer k (otherwise its checkpoints and replay are skipped). */
    final boolean[] needPastWeights;

    // tape, per step t: activations, pre-activations, errors, transported errors, W^T post, gains, right factors
    int capacity;
    double[][][] ty;
    double[][][] tz;
    double[][][] te;
    double[][][] tr;
    double[][][] tv;
    double[][][] tgain;
    double[][][][] tright;
    double[] tscale;
    /** Per step and layer l < L: exp(-beta y[l]) of the transported errors' gains; per hidden layer: softplus'. */
    double[][][] texp;
    double[][][] tslope;
    final Activations.PixelExp pixelExp;
    int checkpointEvery;
    /** Steps the weight tape or the checkpoints are planned for (0: not yet). */
    int weightCapacity;
    Matrix[][] checkpoints;
    Matrix[][] replay;
    /** Where the current plan takes past weights from; null until an episode with a meta-gradient plans it. */
    PastWeights pastWeights;
    /**
     * The weight tape, when it fits the budget: W_k(t) of every step t (null for layers the adjoint does not read),
     * written by the primal's update itself, so the adjoint needs neither checkpoints nor a replay.
     */
    Matrix[][] tapeW;
    /** May episodes walk the weights back ({@link PastWeights#WALK_BACK}, float32 only)? Else tape or replay. */
    boolean walkBackAllowed;
    /** The walk's matrices: W(t) as the adjoint goes back, and W(0), to check where the walk ends and to start over. */
    Matrix[] reversed;
    Matrix[] initial;
    /** The largest relative Frobenius distance between the walk's end and W(0) that an episode accepts. */
    static final double WALK_BACK_TOLERANCE = 1e-4;
    double walkBackTolerance = WALK_BACK_TOLERANCE;
    /** This engine's own limit on its tape's bytes (none by default), and the budget it shares with others. */
    long weightTapeLimit = Long.MAX_VALUE;
    TapeBudget tapeBudget = TapeBudget.SHARED;
    private final TapeBudget.Reservation reservation = new TapeBudget.Reservation(this);
    /** The weights the current online step reads: w, or W(t) on the tape while the primal records. */
    final Matrix[] cur;

    // adjoint work vectors
    final double[][] yBar;
    final double[][] eBar;
    final double[][] zBar;
    final double[][] zDirectBar;
    final double[][] vBar;
    final double[][] rBar;
    final double[][][] leftCols;
    final double[][][] rightRows;
    final double[] tmpIn;
    final double[] thetaBar = new double[TermPool.SIZE];
    /** Per layer: the adjoint's sweep arguments, and the sweep's <G, W>. */
    final AdjointSweep[] sweeps;
    final double[] weightDots;
    /** Times the phases when set ({@code bench --roofline}); null otherwise. */
    PhaseClock clock;

    /** Enters a phase of the clock, if one is set. */
    final void phase(PhaseClock.Phase p) {
        if (clock != null) {
            clock.enter(p);
        }
    }

    EpisodeBuffers(int[] dims, double beta, Feedback feedback, Precision precision, Rule rule) {
        if (dims.length < 2) {
            throw new IllegalArgumentException("dims: " + Arrays.toString(dims) + " needs at least 2 layer sizes");
        }
        this.n = dims.clone();
        this.layers = dims.length - 1;
        this.beta = beta;
        this.feedback = feedback;
        this.precision = precision;
        this.walkBackAllowed = precision == Precision.FLOAT32 && walkBackProperty();
        this.rule = rule;
        this.pixelExp = new Activations.PixelExp(beta);
        w = new Matrix[layers];
        cur = new Matrix[layers];
        b = new Matrix[layers];
        g = new Matrix[layers];
        for (int l = 0; l < layers; l++) {
            w[l] = precision.weights(n[l + 1], n[l]);
            cur[l] = w[l];
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
        sweeps = new AdjointSweep[layers];
        for (int l = 0; l < layers; l++) {
            sweeps[l] = new AdjointSweep();
        }
        weightDots = new double[layers];
        for (int d : n) {
            maxDim = Math.max(maxDim, d);
        }
        tmpIn = new double[maxDim];
    }

    static int leftSlot(Factor.Left left) {
        switch (left) {
            case POST_ERROR: return EP;
            case POST: return POST;
            default: return ONES;
        }
    }

    void ensureTape(int steps) {
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
        texp = new double[steps][layers][];
        tslope = new double[steps][layers][];
        for (int t = 0; t < steps; t++) {
            for (int l = 1; l <= layers; l++) {
                ty[t][l] = new double[n[l]];
                tz[t][l] = new double[n[l]];
            }
            for (int l = 0; l <= layers; l++) {
                te[t][l] = new double[n[l]];
            }
            for (int l = 0; l < layers; l++) {
                texp[t][l] = new double[n[l]];
                tslope[t][l] = new double[n[l]];
                tr[t][l] = new double[n[l]];
                tv[t][l] = new double[n[l]];
                for (int s = 0; s < 3; s++) {
                    tright[t][l][s] = new double[n[l]];
                }
            }
        }
        weightCapacity = 0;
    }

    /**
     * The weights the adjoint reads, for episodes of up to {@code steps} steps with a meta-gradient: in float32 the
     * walk back's two matrices; else the weight tape if it fits the JVM's budget, else checkpoints and their replay
     * buffers.
     */
    void ensureWeightTape(int steps) {
        if (steps <= weightCapacity) {
            return;
        }
        weightCapacity = steps;
        long tapeBytes = 0;
        for (int l = 0; l < layers; l++) {
            if (needPastWeights[l]) {
                tapeBytes += (steps + 1L) * precision.tapeStepBytes(n[l + 1], n[l]);
            }
        }
        checkpoints = null;
        replay = null;
        tapeW = null;
        if (walkBackAllowed) {
            pastWeights = PastWeights.WALK_BACK;
            reversed = new Matrix[layers];
            initial = new Matrix[layers];
            for (int l = 0; l < layers; l++) {
                if (needPastWeights[l]) {
                    reversed[l] = precision.zeros(n[l + 1], n[l]);
                }
                initial[l] = precision.weights(n[l + 1], n[l]); // every layer: a missed walk starts again from W(0)
            }
            return;
        }
        boolean tape = tapeBytes <= weightTapeLimit && reservation.reserve(tapeBudget, tapeBytes);
        pastWeights = tape ? PastWeights.TAPE : PastWeights.REPLAY;
        if (tape) {
            tapeW = new Matrix[steps + 1][layers];
            for (int t = 0; t <= steps; t++) {
                for (int l = 0; l < layers; l++) {
                    if (needPastWeights[l]) {
                        tapeW[t][l] = precision.tapeStep(w[l]);
                    }
                }
            }
            return;
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

    /** Drops the weight tape and gives its bytes back to the JVM's budget; the next episode plans anew. */
    void dropWeightTape() {
        tapeW = null;
        checkpoints = null;
        replay = null;
        reversed = null;
        initial = null;
        weightCapacity = 0;
        pastWeights = null;
        reservation.release();
    }

    /** -Dplasticity.walkback (default true): false keeps float32 on the weight tape or replay. */
    private static boolean walkBackProperty() {
        String v = System.getProperty("plasticity.walkback", "true");
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("plasticity.walkback: '" + v + "' is not allowed; use true or false");
        }
        return v.equals("true");
    }

    // ---------------------------------------------------------------- small vector helpers

    static double dot(double[] a, double[] b, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * a . b as four interleaved partial sums (j mod 4), added pairwise at the end: about four times the sequential
     * sum's speed, not its bits. For the float32 episode's own quantities only (float64 keeps {@link #dot}).
     */
    static double dot4(double[] a, double[] b, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < len; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
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
