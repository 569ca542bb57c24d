package org.plasticitysearch.trainer.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.plasticitysearch.trainer.data.DatasetRegistry;
import org.plasticitysearch.trainer.episode.Feedback;
import org.plasticitysearch.trainer.linalg.Precision;
import org.plasticitysearch.trainer.meta.Safeguards;
import org.plasticitysearch.trainer.meta.TermScaling;
import org.plasticitysearch.trainer.rule.TermPool;

/**
 * What one trial computes (the contract of docs/TRIAL-PROCESS.md). Parsed strictly: an unknown field or a value
 * out of range is a {@link SpecException} naming the field, the value and what is allowed.
 */
public record TrialSpec(String dataset, String dataDir, DatasetRegistry.Split split, int perClassLimit,
                        int[] dims, double beta, Feedback feedback, int[] terms, double[] thetaInit, double metaLr,
                        double lambda, int episodes, int m, int k, int q, boolean classesWithReplacement,
                        boolean firstImages, long seed, int evalTasks, int reportEvery, boolean metrics,
                        Precision precision, double ciLevel, int bootstrap, double[] thetaMin, double[] thetaMax,
                        String testDataset, Safeguards safeguards) {

    public static final int[] PAPER_DIMS = {784, 170, 130, 100, 70, 47};

    private static final Set<String> FIELDS = new TreeSet<>(Arrays.asList(
            "dataset", "data_dir", "split", "per_class_limit", "dims", "beta", "feedback", "terms", "theta_init",
            "meta_lr", "lambda", "episodes", "M", "K", "Q", "classes_with_replacement", "first_images", "seed",
            "eval_tasks", "report_every", "metrics", "precision", "ci_level", "bootstrap", "theta_min", "theta_max",
            "test_dataset", "grad_clip", "grad_clip_window", "reject_factor", "reject_limit", "reject_shrink", "term_scaling", "trust_region"));

    /** Largest |theta_init|: learned coefficients are ~1e-3 to 1e-1; ten already explodes within an episode. */
    public static final double THETA_INIT_LIMIT = 10.0;

    /** Every field at its default: the one place the defaults live (the orchestrator's configs read them here). */
    public static final TrialSpec DEFAULTS = parse("{}");

    public static TrialSpec parse(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new SpecException("spec: not valid JSON (" + e.getMessage().split("\n")[0] + ")");
        }
        if (root == null || !root.isObject()) {
            throw new SpecException("spec: expected a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new SpecException("spec: unknown field '" + f + "'; allowed fields are " + FIELDS);
            }
        }
        JsonFields in = new JsonFields(root, SpecException::new);
        String dataset = in.text("dataset", "builtin");
        int[] dims = in.intArray("dims", PAPER_DIMS.clone());
        if (dims.length < 2) {
            throw new SpecException("dims: " + Arrays.toString(dims) + " has fewer than 2 layer sizes");
        }
        for (int d : dims) {
            if (d < 1) {
                throw new SpecException("dims: size " + d + " in " + Arrays.toString(dims) + " is not allowed; sizes are >= 1");
            }
        }
        int[] terms = in.intArray("terms", new int[]{0});
        if (terms.length == 0) {
            throw new SpecException("terms: [] is not allowed; name at least one term index 0.." + (TermPool.SIZE - 1));
        }
        Set<Integer> seen = new TreeSet<>();
        for (int r : terms) {
            if (r < 0 || r >= TermPool.SIZE) {
                throw new SpecException("terms: index " + r + " is not allowed; use 0.." + (TermPool.SIZE - 1));
            }
            if (!seen.add(r)) {
                throw new SpecException("terms: index " + r + " appears twice");
            }
        }
        double[] theta = new double[TermPool.SIZE];
        theta[0] = 1e-3;
        if (root.has("theta_init")) {
            JsonNode t = root.get("theta_init");
            if (!t.isArray() || t.size() != TermPool.SIZE) {
                throw new SpecException("theta_init: " + t + " is not allowed; give " + TermPool.SIZE + " numbers");
            }
            for (int i = 0; i < TermPool.SIZE; i++) {
                if (!t.get(i).isNumber() || !Double.isFinite(t.get(i).asDouble())
                        || Math.abs(t.get(i).asDouble()) > THETA_INIT_LIMIT) {
                    throw new SpecException("theta_init[" + i + "]: " + t.get(i) + " is not allowed; use a number from"
                            + " -" + THETA_INIT_LIMIT + " to " + THETA_INIT_LIMIT + " (learned coefficients are"
                            + " ~1e-3 to 1e-1)");
                }
                theta[i] = t.get(i).asDouble();
            }
        }
        Feedback feedback;
        Precision precision;
        DatasetRegistry.Split split;
        TermScaling scaling;
        try {
            scaling = TermScaling.parse(in.text("term_scaling", Safeguards.DEFAULTS.termScaling().label()));
            feedback = Feedback.parse(in.text("feedback", "fa"));
            precision = Precision.parse(in.text("precision", "float32"));
            split = DatasetRegistry.Split.parse(in.text("split", "train"));
        } catch (IllegalArgumentException e) {
            throw new SpecException(e.getMessage());
        }
        int m = in.integer("M", 5, 2, Integer.MAX_VALUE);
        TrialSpec spec = new TrialSpec(dataset, in.text("data_dir", null), split,
                in.integer("per_class_limit", 0, 0, Integer.MAX_VALUE), dims,
                in.number("beta", 10.0, 1e-9, 1e9), feedback, terms, theta,
                in.number("meta_lr", 1e-3, 1e-300, 10.0), in.number("lambda", 0.0, 0.0, 1e6),
                in.integer("episodes", 600, 0, 100_000_000), m,
                in.integer("K", 50, 1, 100_000), in.integer("Q", 10, 1, 100_000),
                in.bool("classes_with_replacement", false), in.bool("first_images", false),
                in.longValue("seed", 0L),
                in.integer("eval_tasks", 20, 0, 1_000_000), in.integer("report_every", 10, 1, Integer.MAX_VALUE),
                in.bool("metrics", true), precision, in.number("ci_level", 0.98, 0.5, 0.9999),
                in.integer("bootstrap", 500, 10, 1_000_000),
                bounds(root, "theta_min", Double.NEGATIVE_INFINITY), bounds(root, "theta_max", Double.POSITIVE_INFINITY),
                in.text("test_dataset", null), safeguards(in, scaling));
        for (int r = 0; r < TermPool.SIZE; r++) {
            if (spec.thetaMin()[r] > spec.thetaMax()[r]) {
                throw new SpecException("theta_min[" + r + "]: " + spec.thetaMin()[r] + " is above theta_max[" + r
                        + "] = " + spec.thetaMax()[r]);
            }
            if (theta[r] < spec.thetaMin()[r] || theta[r] > spec.thetaMax()[r]) {
                throw new SpecException("theta_init[" + r + "]: " + theta[r] + " is not allowed; it must lie in"
                        + " [theta_min, theta_max] = [" + spec.thetaMin()[r] + ", " + spec.thetaMax()[r] + "]");
            }
        }
        return spec;
    }

    /** The spec as the JSON object of a "started" event. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        if (dataDir != null) {
            m.put("data_dir", dataDir);
        }
        m.put("split", split.name().toLowerCase(java.util.Locale.ROOT));
        m.put("per_class_limit", perClassLimit);
        m.put("dims", dims);
        m.put("beta", beta);
        m.put("feedback", feedback.label());
        m.put("terms", terms);
        m.put("theta_init", thetaInit);
        m.put("meta_lr", metaLr);
        m.put("lambda", lambda);
        m.put("episodes", episodes);
        m.put("M", this.m);
        m.put("K", k);
        m.put("Q", q);
        m.put("classes_with_replacement", classesWithReplacement);
        m.put("first_images", firstImages);
        m.put("seed", seed);
        m.put("eval_tasks", evalTasks);
        m.put("report_every", reportEvery);
        m.put("metrics", metrics);
        m.put("precision", precision.label());
        m.put("ci_level", ciLevel);
        m.put("bootstrap", bootstrap);
        m.put("theta_min", thetaMin);
        m.put("theta_max", thetaMax);
        if (testDataset != null) {
            m.put("test_dataset", testDataset);
        }
        m.putAll(safeguards.toMap());
        return m;
    }

    /** The safeguard fields (defaults: {@link Safeguards#DEFAULTS}), checked by Safeguards itself. */
    private static Safeguards safeguards(JsonFields in, TermScaling scaling) {
        Safeguards d = Safeguards.DEFAULTS;
        try {
            return new Safeguards(in.number("grad_clip", d.gradClip(), 0.0, 1e9),
                    in.integer("grad_clip_window", d.clipWindow(), Safeguards.CLIP_WARMUP, 100_000),
                    in.number("reject_factor", d.rejectFactor(), 0.0, 1e300),
                    in.integer("reject_limit", d.rejectLimit(), 0, 1_000_000),
                    in.number("reject_shrink", d.rejectShrink(), 1e-6, 1.0), scaling,
                    in.bool("trust_region", d.trustRegion()));
        } catch (IllegalArgumentException e) {
            throw new SpecException(e.getMessage());
        }
    }

    /** 10 numbers or nulls (null: unbounded); absent: all unbounded. */
    private static double[] bounds(JsonNode root, String f, double unbounded) {
        double[] b = new double[TermPool.SIZE];
        java.util.Arrays.fill(b, unbounded);
        JsonNode n = root.get(f);
        if (n == null || n.isNull()) {
            return b;
        }
        if (!n.isArray() || n.size() != TermPool.SIZE) {
            throw new SpecException(f + ": " + n + " is not allowed; give " + TermPool.SIZE + " numbers or nulls");
        }
        for (int i = 0; i < TermPool.SIZE; i++) {
            JsonNode v = n.get(i);
            if (v.isNull()) {
                continue;
            }
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw new SpecException(f + "[" + i + "]: " + v + " is not allowed; use a finite number or null");
            }
            b[i] = v.asDouble();
        }
        return b;
    }
}
