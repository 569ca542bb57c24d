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
        double[] d = step(grad, null, 1.0);
        for (int i = 0; i < theta.length; i++) {
            theta[i] -= d[i];
        }
    }

    /**
     * Updates the moments with {@code grad} and returns the decrement of theta,
     * d_i = (lr * lrFactor * scale_i) * mhat_i / (sqrt(vhat_i) + eps): Adam with a per-coordinate step multiplier
     * (null: 1). With every factor 1, theta_i - d_i is exactly the arithmetic of {@link #step(double[], double[])}.
     */
    public double[] step(double[] grad, double[] scale, double lrFactor) {
        t++;
        double c1 = 1.0 - Math.pow(beta1, t);
        double c2 = 1.0 - Math.pow(beta2, t);
        double[] d = new double[grad.length];
        for (int i = 0; i < grad.length; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * grad[i];
            v[i] = beta2 * v[i] + (1 - beta2) * grad[i] * grad[i];
            double mHat = m[i] / c1;
            double vHat = v[i] / c2;
            double rate = lr * lrFactor * (scale == null ? 1.0 : scale[i]);
            d[i] = rate * mHat / (Math.sqrt(vHat) + eps);
        }
        return d;
    }

    public double lr() {
        return lr;
    }

    /** A copy of the moments and step count, for {@link #restore(Adam)}. */
    public Adam snapshot() {
        Adam a = new Adam(m.length, lr, beta1, beta2, eps);
        a.restore(this);
        return a;
    }

    /** Takes the moments and step count of {@code other} (an earlier snapshot of this optimiser). */
    public void restore(Adam other) {
        System.arraycopy(other.m, 0, m, 0, m.length);
        System.arraycopy(other.v, 0, v, 0, v.length);
        t = other.t;
    }

    public int steps() {
        return t;
    }
}
