package org.plasticitysearch.search.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The GP's numerics against hand computations, finite differences and direct integrals. */
class GpMathTest {
    static double m(double r) {
        return (1 + Math.sqrt(5) * r + 5.0 / 3.0 * r * r) * Math.exp(-Math.sqrt(5) * r);
    }

    @Test
    void twoPointPosteriorMatchesTheHandComputation() {
        double noise = 0.1;
        double[][] x = {{0.0}, {1.0}};
        double[] y = {1.0, -1.0};
        Hyperparameters h = new Hyperparameters(new double[]{1.0}, 1.0, noise);
        GaussianProcess gp = new GaussianProcess(new Matern52(new boolean[]{false}), h, x, y);
        double a = 1 + noise;
        double b = m(1.0);
        // K = [[a, b], [b, a]]; y = (1, -1) is an eigenvector: alpha = y / (a - b)
        double mean0 = (1 - b) / (a - b);
        assertThat(gp.predict(new double[]{0.0})[0]).isCloseTo(mean0, within(1e-12));
        // at 0.5 both observations are 0.5 away: k = (c, c), var = 1 - 2c^2 / (a + b), mean 0 by symmetry
        double c = m(0.5);
        double[] mid = gp.predict(new double[]{0.5});
        assertThat(mid[0]).isCloseTo(0.0, within(1e-12));
        assertThat(mid[1]).isCloseTo(1 - 2 * c * c / (a + b), within(1e-12));
        Cholesky chol = Cholesky.factor(new double[][]{{a, b}, {b, a}});
        assertThat(chol.get(0, 0)).isCloseTo(Math.sqrt(a), within(1e-14));
        assertThat(chol.get(1, 0)).isCloseTo(b / Math.sqrt(a), within(1e-14));
        assertThat(chol.get(1, 1)).isCloseTo(Math.sqrt(a - b * b / a), within(1e-14));
        assertThat(chol.logDet()).isCloseTo(Math.log(a * a - b * b), within(1e-12));
        double[][] inv = chol.inverseLower();
        assertThat(inv[0][0]).isCloseTo(a / (a * a - b * b), within(1e-12));
        assertThat(inv[1][0]).isCloseTo(-b / (a * a - b * b), within(1e-12));
        assertThat(inv[1][1]).isCloseTo(a / (a * a - b * b), within(1e-12));
        assertThat(Cholesky.factor(new double[][]{{1, 2}, {2, 1}})).isNull();
    }

    @Test
    void marginalLikelihoodGradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 9;
        double[][] x = new double[n][3];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = rng.nextDouble();
            x[i][1] = rng.nextDouble();
            x[i][2] = rng.nextInt(3); // categorical
            y[i] = Math.sin(5 * x[i][0]) + x[i][1] + 0.3 * x[i][2];
        }
        MarginalLikelihood ml = new MarginalLikelihood(new Matern52(new boolean[]{false, false, true}), x, y);
        double[] theta = {0.3, -0.7, 0.5, 0.2, Math.log(0.05)};
        double[] grad = new double[theta.length];
        ml.value(theta, grad);
        double[] priorGrad = new double[theta.length];
        Hyperparameters.fromTheta(theta).logPrior(priorGrad);
        for (int p = 0; p < theta.length; p++) {
            double eps = 1e-5;
            double[] up = theta.clone();
            double[] dn = theta.clone();
            up[p] += eps;
            dn[p] -= eps;
            double[] g = new double[theta.length];
            double fd = (ml.value(up, g) - ml.value(dn, g)) / (2 * eps);
            assertThat(grad[p]).as("d logML / d theta_%d", p).isCloseTo(fd, within(1e-6 * Math.max(1, Math.abs(fd))));
            double fdPrior = (Hyperparameters.fromTheta(up).logPrior(new double[5])
                    - Hyperparameters.fromTheta(dn).logPrior(new double[5])) / (2 * eps);
            assertThat(priorGrad[p]).as("d prior / d theta_%d", p).isCloseTo(fdPrior, within(1e-6));
        }
    }

    @Test
    void posteriorGradientMatchesFiniteDifferences() {
        double[][] x = {{0.1, 0.2, 0}, {0.7, 0.4, 1}, {0.4, 0.9, 0}, {0.9, 0.1, 1}};
        double[] y = {0.5, -1, 0.3, 1.2};
        Hyperparameters h = new Hyperparameters(new double[]{4, 2, 1}, 1.3, 1e-4);
        GaussianProcess gp = new GaussianProcess(new Matern52(new boolean[]{false, false, true}), h, x, y);
        double[] u = {0.45, 0.35, 1};
        double[] dm = new double[3];
        double[] dv = new double[3];
        double[] g = new double[3];
        double[] p = gp.predict(u, dm, dv);
        double lei = LogEi.value(p[0], p[1], -1.0, dm, dv, g);
        assertThat(lei).isCloseTo(LogEi.value(p[0], p[1], -1.0), within(1e-12));
        for (int j = 0; j < 2; j++) {
            double eps = 1e-6;
            double[] a = u.clone();
            double[] b = u.clone();
            a[j] += eps;
            b[j] -= eps;
            double[] pa = gp.predict(a);
            double[] pb = gp.predict(b);
            assertThat(dm[j]).isCloseTo((pa[0] - pb[0]) / (2 * eps), within(1e-6));
            assertThat(dv[j]).isCloseTo((pa[1] - pb[1]) / (2 * eps), within(1e-6));
            double fd = (LogEi.value(pa[0], pa[1], -1.0) - LogEi.value(pb[0], pb[1], -1.0)) / (2 * eps);
            assertThat(g[j]).isCloseTo(fd, within(1e-5 * Math.max(1, Math.abs(fd))));
        }
        assertThat(dm[2]).isZero();
    }

    @Test
    void predictionsSolvedTogetherAreEachPredictionBitwise() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        int n = 37;
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[]{r.nextDouble(), r.nextDouble(), r.nextInt(3)};
            y[i] = r.nextDouble() * 2 - 1;
        }
        Hyperparameters h = new Hyperparameters(new double[]{3, 0.5, 2}, 0.8, 1e-3);
        GaussianProcess gp = new GaussianProcess(new Matern52(new boolean[]{false, false, true}), h, x, y);
        java.util.List<double[]> u = new java.util.ArrayList<>();
        for (int m = 0; m < 13; m++) {
            u.add(new double[]{r.nextDouble(), r.nextDouble(), r.nextInt(3)});
        }
        u.set(3, x[5].clone()); // at an observation: the variance is all cancellation
        double[] mean = new double[11];
        double[] var = new double[11];
        gp.predictAll(u, 2, 11, mean, var);
        for (int m = 0; m < 11; m++) {
            double[] p = gp.predict(u.get(2 + m));
            assertThat(mean[m]).as("mean %d", m).isEqualTo(p[0]);
            assertThat(var[m]).as("var %d", m).isEqualTo(p[1]);
        }
    }

    /** log h(z) by direct quadrature: h(z) = exp(−z²/2)/√(2π) ∫_0^∞ s exp(−s²/2 + s z) ds. */
    static double logHByQuadrature(double z) {
        double upper = z < 0 ? 60.0 / -z : z + 40;
        int steps = 200_000;
        double dh = upper / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double s = i * dh;
            double w = i == 0 || i == steps ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += w * s * Math.exp(-0.5 * s * s + s * z);
        }
        return -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) + Math.log(sum * dh / 3);
    }

    @Test
    void logEiMatchesTheDirectFormulaAndStaysAccurateInTheTail() {
        for (double z : new double[]{3, 1, 0, -1, -4, -10}) {
            double direct = Math.log(z * LogEi.cdf(z) + LogEi.pdf(z));
            assertThat(LogEi.logH(z)).as("z = %s", z).isCloseTo(direct, within(1e-10 * Math.max(1, Math.abs(direct))));
        }
        for (double z : new double[]{-20, -24.9, -25.1, -30, -40, -100}) {
            double ref = logHByQuadrature(z);
            assertThat(LogEi.logH(z)).as("z = %s", z).isCloseTo(ref, within(1e-7 * Math.abs(ref)));
        }
        // the naive formula has underflowed to log 0 here; ours has not
        assertThat(Math.log(-40 * LogEi.cdf(-40) + LogEi.pdf(-40))).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(LogEi.logH(-40)).isFinite();
        // EI = sigma h(z)
        assertThat(LogEi.value(0.3, 0.25, -1.0)).isCloseTo(Math.log(0.5) + LogEi.logH(-2.6), within(1e-6));
        // d log h / dz against finite differences, on both sides of the switch
        for (double z : new double[]{1, -3, -24.99, -25.01, -60}) {
            double eps = 1e-5;
            double fd = (LogEi.logH(z + eps) - LogEi.logH(z - eps)) / (2 * eps);
            assertThat(LogEi.dLogH(z)).as("z = %s", z).isCloseTo(fd, within(1e-6 * Math.max(1, Math.abs(fd))));
        }
    }

    @Test
    void lbfgsFindsTheBoxConstrainedMinimum() {
        // (x - 2)^2 + 10 (y + 0.5)^2 on [0, 1]^2: minimum at (1, 0)
        BoxLbfgs.Function f = (v, g) -> {
            g[0] = 2 * (v[0] - 2);
            g[1] = 20 * (v[1] + 0.5);
            return (v[0] - 2) * (v[0] - 2) + 10 * (v[1] + 0.5) * (v[1] + 0.5);
        };
        double[] x = BoxLbfgs.minimize(f, new double[]{0.3, 0.6}, new double[]{0, 0}, new double[]{1, 1}, 50, 1e-9);
        assertThat(x[0]).isCloseTo(1, within(1e-9));
        assertThat(x[1]).isCloseTo(0, within(1e-9));
        // an unconstrained Rosenbrock
        BoxLbfgs.Function rosen = (v, g) -> {
            g[0] = -2 * (1 - v[0]) - 400 * v[0] * (v[1] - v[0] * v[0]);
            g[1] = 200 * (v[1] - v[0] * v[0]);
            return (1 - v[0]) * (1 - v[0]) + 100 * Math.pow(v[1] - v[0] * v[0], 2);
        };
        double[] r = BoxLbfgs.minimize(rosen, new double[]{-1.2, 1}, new double[]{-5, -5}, new double[]{5, 5}, 500, 1e-8);
        assertThat(r[0]).isCloseTo(1, within(1e-3));
        assertThat(r[1]).isCloseTo(1, within(1e-3));
    }
}
