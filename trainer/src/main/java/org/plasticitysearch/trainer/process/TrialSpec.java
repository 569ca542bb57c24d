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
        String dataset = text(root, "dataset", "builtin");
        int[] dims = root.has("dims") ? intArray(root, "dims") : PAPER_DIMS.clone();
        if (dims.length < 2) {
            throw new SpecException("dims: " + Arrays.toString(dims) + " has fewer than 2 layer sizes");
        }
        for (int d : dims) {
            if (d < 1) {
                throw new SpecException("dims: size " + d + " in " + Arrays.toString(dims) + " is not allowed; sizes are >= 1");
            }
        }
        int[] terms = root.has("terms") ? intArray(root, "terms") : new int[]{0};
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
            scaling = TermScaling.parse(text(root, "term_scaling", Safeguards.DEFAULTS.termScaling().label()));
            feedback = Feedback.parse(text(root, "feedback", "fa"));
            precision = Precision.parse(text(root, "precision", "float32"));
            split = DatasetRegistry.Split.parse(text(root, "split", "train"));
        } catch (IllegalArgumentException e) {
            throw new SpecException(e.getMessage());
        }
        int m = integer(root, "M", 5, 2, Integer.MAX_VALUE);
        TrialSpec spec = new TrialSpec(dataset, text(root, "data_dir", null), split,
                integer(root, "per_class_limit", 0, 0, Integer.MAX_VALUE), dims,
                number(root, "beta", 10.0, 1e-9, 1e9), feedback, terms, theta,
                number(root, "meta_lr", 1e-3, 1e-300, 10.0), number(root, "lambda", 0.0, 0.0, 1e6),
                integer(root, "episodes", 600, 0, 100_000_000), m,
                integer(root, "K", 50, 1, 100_000), integer(root, "Q", 10, 1, 100_000),
                bool(root, "classes_with_replacement", false), bool(root, "first_images", false),
                root.has("seed") ? longValue(root, "seed") : 0L,
                integer(root, "eval_tasks", 20, 0, 1_000_000), integer(root, "report_every", 10, 1, Integer.MAX_VALUE),
                bool(root, "metrics", true), precision, number(root, "ci_level", 0.98, 0.5, 0.9999),
                integer(root, "bootstrap", 500, 10, 1_000_000),
                bounds(root, "theta_min", Double.NEGATIVE_INFINITY), bounds(root, "theta_max", Double.POSITIVE_INFINITY),
                text(root, "test_dataset", null), safeguards(root, scaling));
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
    private static Safeguards safeguards(JsonNode root, TermScaling scaling) {
        Safeguards d = Safeguards.DEFAULTS;
        try {
            return new Safeguards(number(root, "grad_clip", d.gradClip(), 0.0, 1e9),
                    integer(root, "grad_clip_window", d.clipWindow(), Safeguards.CLIP_WARMUP, 100_000),
                    number(root, "reject_factor", d.rejectFactor(), 0.0, 1e300),
                    integer(root, "reject_limit", d.rejectLimit(), 0, 1_000_000),
                    number(root, "reject_shrink", d.rejectShrink(), 1e-6, 1.0), scaling,
                    bool(root, "trust_region", d.trustRegion()));
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

    private static String text(JsonNode root, String f, String dflt) {
        JsonNode n = root.get(f);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw new SpecException(f + ": " + n + " is not allowed; use a string");
        }
        return n.asText();
    }

    private static int integer(JsonNode root, String f, int dflt, int min, int max) {
        JsonNode n = root.get(f);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            throw new SpecException(f + ": " + n + " is not allowed; use an integer from " + min
                    + (max == Integer.MAX_VALUE ? " up" : " to " + max));
        }
        return n.asInt();
    }

    private static long longValue(JsonNode root, String f) {
        JsonNode n = root.get(f);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new SpecException(f + ": " + n + " is not allowed; use an integer");
        }
        return n.asLong();
    }

    private static double number(JsonNode root, String f, double dflt, double min, double max) {
        JsonNode n = root.get(f);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber() || !(n.asDouble() >= min) || !(n.asDouble() <= max)) {
            throw new SpecException(f + ": " + n + " is not allowed; use a number from " + min + " to " + max);
        }
        return n.asDouble();
    }

    private static boolean bool(JsonNode root, String f, boolean dflt) {
        JsonNode n = root.get(f);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new SpecException(f + ": " + n + " is not allowed; use true or false");
        }
        return n.asBoolean();
    }

    private static int[] intArray(JsonNode root, String f) {
        JsonNode n = root.get(f);
        if (!n.isArray()) {
            throw new SpecException(f + ": " + n + " is not allowed; use an array of integers");
        }
        int[] r = new int[n.size()];
        for (int i = 0; i < r.length; i++) {
            if (!n.get(i).isIntegralNumber()) {
                throw new SpecException(f + "[" + i + "]: " + n.get(i) + " is not allowed; use an integer");
            }
            r[i] = n.get(i).asInt();
        }
        return r;
    }
}
