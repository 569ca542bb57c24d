package org.plasticitysearch.trainer.golden;

import com.fasterxml.jackson.databind.JsonNode;
import org.plasticitysearch.trainer.episode.Feedback;
import org.plasticitysearch.trainer.episode.Task;

/**
 * One case of the golden format (trainer/src/test/resources/golden/README.md): a network, a rule, fixed initial weights and data, and
 * the float64 PyTorch-autograd results a correct implementation reproduces.
 */
public record GoldenCase(String name, int[] dims, double beta, Feedback feedback, int[] terms, double[] theta,
                         double lambda, double[][][] w0, double[][][] b0, Task task, Expected expected) {

    /** The expected numbers. */
    public record Expected(double queryLoss, double metaLoss, double queryAccuracy, double[] gradTheta,
                           double[] finalWeightSums, double[] finalWeightSqNorms) {
    }

    public static GoldenCase parse(JsonNode c) {
        int[] dims = ints(c.get("dims"));
        int[] classes = ints(c.get("classes"));
        int nTrain = c.get("n_train").asInt();
        int nQuery = c.get("n_query").asInt();
        double[][][] w0;
        double[][][] b0;
        Task task;
        JsonNode ex = c.get("explicit");
        if (ex != null) {
            w0 = tensor3(ex.get("W0"));
            b0 = tensor3(ex.get("B"));
            task = new Task(matrix(ex.get("train_x")), ints(ex.get("train_y")),
                    matrix(ex.get("query_x")), ints(ex.get("query_y")));
        } else {
            double shift = c.has("formula_shift") ? c.get("formula_shift").asDouble() : 0.0;
            int layers = dims.length - 1;
            w0 = new double[layers][][];
            b0 = new double[layers][][];
            for (int l = 0; l < layers; l++) {
                int in = dims[l];
                int out = dims[l + 1];
                double a = Math.sqrt(6.0 / (in + out));
                w0[l] = new double[out][in];
                b0[l] = new double[out][in];
                for (int i = 0; i < out; i++) {
                    for (int j = 0; j < in; j++) {
                        w0[l][i][j] = a * Math.sin(1.0 + 0.71 * i + 1.37 * j + 2.9 * l + shift);
                        b0[l][i][j] = a * Math.cos(0.5 + 1.13 * i + 0.59 * j + 1.7 * l + shift);
                    }
                }
            }
            double[][] tx = new double[nTrain][];
            int[] tyy = new int[nTrain];
            for (int s = 0; s < nTrain; s++) {
                tx[s] = image(s, dims[0], shift);
                tyy[s] = classes[(7 * s + 3) % classes.length];
            }
            double[][] qx = new double[nQuery][];
            int[] qy = new int[nQuery];
            for (int s = 0; s < nQuery; s++) {
                qx[s] = image(nTrain + s, dims[0], shift);
                qy[s] = classes[(3 * s + 1) % classes.length];
            }
            task = new Task(tx, tyy, qx, qy);
        }
        JsonNode e = c.get("expected");
        Expected expected = new Expected(e.get("query_loss").asDouble(), e.get("meta_loss").asDouble(),
                e.get("query_accuracy").asDouble(), doubles(e.get("grad_theta")),
                doubles(e.get("final_weight_sums")), doubles(e.get("final_weight_sq_norms")));
        return new GoldenCase(c.get("name").asText(), dims, c.get("beta").asDouble(),
                Feedback.parse(c.get("feedback").asText()), ints(c.get("terms")), doubles(c.get("theta")),
                c.get("lambda").asDouble(), w0, b0, task, expected);
    }

    /** img(s)[p] = max(0, sin(0.013 (p + 1) (s + 3) + 0.7 s + c)). */
    private static double[] image(int s, int pixels, double shift) {
        double[] x = new double[pixels];
        for (int p = 0; p < pixels; p++) {
            x[p] = Math.max(0.0, Math.sin(0.013 * (p + 1) * (s + 3) + 0.7 * s + shift));
        }
        return x;
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asInt();
        }
        return r;
    }

    private static double[] doubles(JsonNode a) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asDouble();
        }
        return r;
    }

    private static double[][] matrix(JsonNode a) {
        double[][] r = new double[a.size()][];
        for (int i = 0; i < r.length; i++) {
            r[i] = doubles(a.get(i));
        }
        return r;
    }

    private static double[][][] tensor3(JsonNode a) {
        double[][][] r = new double[a.size()][][];
        for (int i = 0; i < r.length; i++) {
            r[i] = matrix(a.get(i));
        }
        return r;
    }
}
