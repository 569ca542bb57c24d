package org.plasticitysearch.trainer.rule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.plasticitysearch.trainer.episode.EpisodeEngine;
import org.plasticitysearch.trainer.episode.Feedback;
import org.plasticitysearch.trainer.episode.Task;
import org.plasticitysearch.trainer.linalg.Precision;

/**
 * Each term alone, one online step: the engine's weight change must equal theta_r F_r written out densely from
 * the table of PLASTICITY.md, with y and e from an independent dense forward pass and error transport.
 */
class TermFormulaTest {
    private static final int[] DIMS = {8, 6, 5, 4};
    private static final double BETA = 10.0;

    static IntStream terms() {
        return IntStream.range(0, TermPool.SIZE);
    }

    @ParameterizedTest(name = "F{0}")
    @MethodSource("terms")
    void oneStepEqualsDenseFormula(int r) {
        SplittableRandom rng = new SplittableRandom(5 + r);
        double[] x = new double[DIMS[0]];
        for (int p = 0; p < x.length; p++) {
            x[p] = rng.nextDouble();
        }
        int label = 2;
        double c = 0.37;
        double[] theta = new double[TermPool.SIZE];
        theta[r] = c;
        EpisodeEngine engine = new EpisodeEngine(DIMS, BETA, Feedback.FA, Precision.FLOAT64, new Rule(r));
        engine.initialiseXavier(11);
        int layers = DIMS.length - 1;
        double[][][] w = new double[layers][][];
        double[][][] b = new double[layers][][];
        for (int l = 0; l < layers; l++) {
            w[l] = dense(engine, l, false);
            b[l] = dense(engine, l, true);
        }
        double[] norms = new double[TermPool.SIZE];
        engine.measureTermNorms(norms);
        engine.run(new Task(new double[][]{x}, new int[]{label}, new double[][]{x}, new int[]{label}),
                theta, 0.0, false, false);

        // independent dense reference: forward, errors through B, then the table's formula per layer
        double[][] y = new double[layers + 1][];
        double[][] z = new double[layers + 1][];
        y[0] = x;
        for (int l = 0; l < layers; l++) {
            z[l + 1] = matVec(w[l], y[l]);
            y[l + 1] = new double[z[l + 1].length];
            if (l + 1 < layers) {
                for (int i = 0; i < y[l + 1].length; i++) {
                    y[l + 1][i] = Math.log1p(Math.exp(BETA * z[l + 1][i])) / BETA;
                }
            } else {
                double s = 0;
                for (int i = 0; i < y[l + 1].length; i++) {
                    s += Math.exp(z[l + 1][i]);
                }
                for (int i = 0; i < y[l + 1].length; i++) {
                    y[l + 1][i] = Math.exp(z[l + 1][i]) / s;
                }
            }
        }
        double[][] e = new double[layers + 1][];
        e[layers] = y[layers].clone();
        e[layers][label] -= 1;
        for (int l = layers; l >= 1; l--) {
            double[] t = matTVec(b[l - 1], e[l]);
            e[l - 1] = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                e[l - 1][i] = t[i] * (1 - Math.exp(-BETA * y[l - 1][i]));
            }
        }
        double frobenius = 0;
        for (int l = 0; l < layers; l++) {
            double[][] f = formula(r, w[l], y[l], y[l + 1], e[l], e[l + 1], z[l + 1]);
            double ss = 0;
            for (double[] row : f) {
                for (double v : row) {
                    ss += c * v * c * v;
                }
            }
            frobenius += Math.sqrt(ss);
            double[][] after = dense(engine, l, false);
            for (int i = 0; i < f.length; i++) {
                for (int j = 0; j < f[i].length; j++) {
                    assertThat(after[i][j] - w[l][i][j]).as("F%d layer %d [%d][%d]", r, l, i, j)
                            .isCloseTo(c * f[i][j], org.assertj.core.data.Offset.offset(1e-12));
                }
            }
        }
        // the update-share measure: sum over layers of ||theta_r F_r||_F, from the dense matrices
        assertThat(norms[r]).as("||F%d|| summed over layers", r).isCloseTo(frobenius,
                org.assertj.core.data.Percentage.withPercentage(1e-9));
        for (int other = 0; other < TermPool.SIZE; other++) {
            if (other != r) {
                assertThat(norms[other]).isZero();
            }
        }
    }

    /** F_r for one layer, entry by entry, as in the table of PLASTICITY.md. */
    private static double[][] formula(int r, double[][] w, double[] pre, double[] post, double[] eq, double[] ep,
                                      double[] z) {
        int out = w.length;
        int in = w[0].length;
        double[][] f = new double[out][in];
        double sumPost = 0;
        for (double p : post) {
            sumPost += p;
        }
        double postWeq = 0;
        double preWtEp = 0;
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                postWeq += post[i] * w[i][j] * eq[j];
                preWtEp += pre[j] * w[i][j] * ep[i];
            }
        }
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                double wtPost = 0;
                for (int k = 0; k < out; k++) {
                    wtPost += w[k][j] * post[k];
                }
                switch (r) {
                    case 0: f[i][j] = -ep[i] * pre[j]; break;
                    case 1: f[i][j] = -post[i] * eq[j]; break;
                    case 2: f[i][j] = -ep[i] * eq[j]; break;
                    case 3: f[i][j] = -w[i][j]; break;
                    case 4: f[i][j] = -eq[j]; break;
                    case 5: f[i][j] = -sumPost * ep[i] * pre[j]; break;
                    case 6: f[i][j] = -postWeq * post[i] * eq[j]; break;
                    case 7: f[i][j] = -postWeq * ep[i] * pre[j]; break;
                    case 8: f[i][j] = -preWtEp * post[i] * eq[j]; break;
                    case 9: f[i][j] = post[i] * pre[j] - post[i] * wtPost; break;
                    default: throw new IllegalArgumentException("term " + r);
                }
            }
        }
        return f;
    }

    private static double[][] dense(EpisodeEngine engine, int l, boolean feedback) {
        var m = feedback ? engine.feedbackWeights(l) : engine.weights(l);
        double[][] d = new double[m.rows()][m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                d[i][j] = m.get(i, j);
            }
        }
        return d;
    }

    private static double[] matVec(double[][] m, double[] x) {
        double[] r = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < x.length; j++) {
                r[i] += m[i][j] * x[j];
            }
        }
        return r;
    }

    private static double[] matTVec(double[][] m, double[] x) {
        double[] r = new double[m[0].length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < r.length; j++) {
                r[j] += m[i][j] * x[i];
            }
        }
        return r;
    }
}
