package org.plasticitysearch.trainer.data;

import java.util.SplittableRandom;

/**
 * The built-in data set: 47 classes (as EMNIST-balanced) of procedurally drawn characters, 28x28, needing no
 * network and no system package. Each class is a fixed glyph of two to four pen strokes (quadratic Bezier
 * curves); each image draws it with its own random distortion: rotation, anisotropic scale, shear, shift,
 * pen width and jitter of every control point. Deterministic: the same (classes, perClass) give the same bytes.
 */
public final class BuiltinGlyphs {
    public static final int CLASSES = 47;
    public static final int DEFAULT_PER_CLASS = 400;
    private static final long GLYPH_SEED = 0x5EED_61F0L;

    private BuiltinGlyphs() {
    }

    public static Dataset create(int perClass) {
        int n = CLASSES * perClass;
        byte[][] images = new byte[n][];
        int[] labels = new int[n];
        for (int c = 0; c < CLASSES; c++) {
            double[][] strokes = glyph(c);
            SplittableRandom rng = new SplittableRandom(GLYPH_SEED * 31 + c);
            for (int s = 0; s < perClass; s++) {
                images[c * perClass + s] = render(strokes, rng);
                labels[c * perClass + s] = c;
            }
        }
        return new Dataset("builtin", images, labels, 0);
    }

    /** Class c's strokes: each row is x0, y0, cx, cy, x1, y1 in a 28x28 box. */
    static double[][] glyph(int c) {
        SplittableRandom rng = new SplittableRandom(GLYPH_SEED + 7919L * c);
        int strokes = 2 + rng.nextInt(3);
        double[][] s = new double[strokes][6];
        for (int k = 0; k < strokes; k++) {
            for (int p = 0; p < 6; p++) {
                s[k][p] = 5 + 18 * rng.nextDouble();
            }
        }
        return s;
    }

    private static byte[] render(double[][] strokes, SplittableRandom rng) {
        double angle = (rng.nextDouble() - 0.5) * 0.5;
        double sx = 0.85 + 0.3 * rng.nextDouble();
        double sy = 0.85 + 0.3 * rng.nextDouble();
        double shear = (rng.nextDouble() - 0.5) * 0.3;
        double tx = (rng.nextDouble() - 0.5) * 4;
        double ty = (rng.nextDouble() - 0.5) * 4;
        double pen = 0.7 + 0.5 * rng.nextDouble();
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        float[] img = new float[Dataset.PIXELS];
        for (double[] st : strokes) {
            double[] p = new double[6];
            for (int q = 0; q < 6; q += 2) {
                // jitter, then shear/scale/rotate about the centre, then shift
                double x = st[q] + (rng.nextDouble() - 0.5) * 3 - 14;
                double y = st[q + 1] + (rng.nextDouble() - 0.5) * 3 - 14;
                x = (x + shear * y) * sx;
                y = y * sy;
                p[q] = cos * x - sin * y + 14 + tx;
                p[q + 1] = sin * x + cos * y + 14 + ty;
            }
            double len = Math.hypot(p[2] - p[0], p[3] - p[1]) + Math.hypot(p[4] - p[2], p[5] - p[3]);
            int samples = Math.max(2, (int) (len * 3));
            for (int k = 0; k <= samples; k++) {
                double t = (double) k / samples;
                double a = (1 - t) * (1 - t);
                double b = 2 * t * (1 - t);
                double c = t * t;
                stamp(img, a * p[0] + b * p[2] + c * p[4], a * p[1] + b * p[3] + c * p[5], pen);
            }
        }
        byte[] out = new byte[Dataset.PIXELS];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Math.round(255 * Math.min(1f, img[i]));
        }
        return out;
    }

    /** A soft round pen tip of radius r at (x, y): intensity 1 inside r, fading to 0 over one pixel. */
    private static void stamp(float[] img, double x, double y, double r) {
        int x0 = Math.max(0, (int) Math.floor(x - r - 1));
        int x1 = Math.min(Dataset.SIDE - 1, (int) Math.ceil(x + r + 1));
        int y0 = Math.max(0, (int) Math.floor(y - r - 1));
        int y1 = Math.min(Dataset.SIDE - 1, (int) Math.ceil(y + r + 1));
        for (int py = y0; py <= y1; py++) {
            for (int px = x0; px <= x1; px++) {
                double d = Math.hypot(px - x, py - y);
                float v = (float) Math.max(0.0, Math.min(1.0, r + 1 - d));
                int i = py * Dataset.SIDE + px;
                if (v > img[i]) {
                    img[i] = v;
                }
            }
        }
    }
}
