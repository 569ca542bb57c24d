package org.plasticitysearch.trainer.meta;

/** Adam (Kingma and Ba 2015) with bias correction: beta1 0.9, beta2 0.999, eps 1e-8, as torch.optim.Adam. */
public final class Adam {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double[] m;
    private final double[] v;
    private int t;

    public Adam(int size, double lr) {
        this(size, lr, 0.9, 0.999, 1e-8);
    }

    public Adam(int size, double lr, double beta1, double beta2, double eps) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.m = new double[size];
        this.v = new double[size];
    }

    /** theta -= lr * mhat / (sqrt(vhat) + eps). */
    public void step(double[] theta, double[] grad) {
        t++;
        double c1 = 1.0 - Math.pow(beta1, t);
        double c2 = 1.0 - Math.pow(beta2, t);
        for (int i = 0; i < theta.length; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * grad[i];
            v[i] = beta2 * v[i] + (1 - beta2) * grad[i] * grad[i];
            double mHat = m[i] / c1;
            double vHat = v[i] / c2;
            theta[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
    }

    public int steps() {
        return t;
    }
}
