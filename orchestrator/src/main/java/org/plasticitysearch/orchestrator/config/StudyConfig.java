package org.plasticitysearch.orchestrator.config;

import org.plasticitysearch.orchestrator.store.StudyDefinition;
import org.plasticitysearch.search.Direction;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.plasticitysearch.search.PrunerConfig;
import org.plasticitysearch.search.SamplerConfig;
import org.plasticitysearch.search.SearchSpace;
import org.plasticitysearch.search.SearchSpaceSpec;
import org.plasticitysearch.trainer.process.JsonFields;

/**
 * A study as its YAML file describes it: the fixed trial settings (data set, network, feedback, episodes, M/K/Q,
 * evaluation tasks, seed), the search space over rule terms and meta-learning settings, the sampler, the pruner,
 * the budget and the parallelism (with {@code reproducible: true}, also the lag of every proposal: see
 * {@code LaggedHistory}). Parsing is strict: an unknown key, a missing one or a value out of range is a
 * {@link ConfigException} naming the field, the value and what is allowed.
 *
 * <p>Search parameters with these names map onto the trial: {@code f0}..{@code f9} (bool: term r active),
 * {@code meta_lr}, {@code lambda}, {@code theta0_init}, {@code episodes}, and the meta-training safeguards
 * ({@link #SAFEGUARDS}), which are passed to the trial spec as they are.
 */
public record StudyConfig(String name, String yaml, JsonNode json, String dataset, String dataDir, String split,
                          int perClassLimit, int[] network, String feedback, int episodes, int m, int k, int q,
                          int evalTasks, long seed, String precision, int reportEvery, SearchSpace space,
                          SamplerConfig sampler, List<Map<String, Object>> enqueue, PrunerConfig pruner,
                          String objective, Direction direction, int budget, int parallelism, Duration trialTimeout,
                          int retries, String heap, boolean reproducible) {

    private static final Set<String> KEYS = new TreeSet<>(List.of("name", "dataset", "data_dir", "split",
            "per_class_limit", "network", "feedback", "episodes", "M", "K", "Q", "eval_tasks", "seed", "precision",
            "report_every", "search_space", "sampler", "enqueue", "pruner", "objective", "direction", "budget",
            "parallelism", "trial_timeout", "retries", "heap", "test_dataset", "reproducible"));
    /** The meta-training safeguards of the trial spec (trainer's Safeguards), searchable like any parameter. */
    public static final Set<String> SAFEGUARDS =
            java.util.Collections.unmodifiableSet(org.plasticitysearch.trainer.meta.Safeguards.DEFAULTS.toMap().keySet());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h)");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)); // seed: twice is an error
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The trainer's defaults: a field the config leaves out runs as the trainer would run it. */
    private static final org.plasticitysearch.trainer.process.TrialSpec D =
            org.plasticitysearch.trainer.process.TrialSpec.DEFAULTS;

    public static StudyConfig parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var at = e.getLocation();
            java.util.regex.Matcher nonFinite = Pattern.compile("Malformed numeric value '([-+]?\\.(?:nan|inf))'",
                    Pattern.CASE_INSENSITIVE).matcher(String.valueOf(e.getOriginalMessage()));
            if (nonFinite.find() && at != null) {
                String field = YamlLines.keyBefore(yaml, at.getLineNr(), at.getColumnNr());
                throw new ConfigException((field != null ? field + ": " : "") + nonFinite.group(1) + " is not allowed:"
                        + " not a finite number; every number in a study config is finite", at.getLineNr());
            }
            throw new ConfigException("study config: not valid YAML" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ": " + String.join("; ", e.getOriginalMessage().lines()
                    .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList()),
                    at == null ? 0 : at.getLineNr());
        } catch (IOException e) {
            throw new ConfigException("study config: not valid YAML (" + e.getMessage().split("\n")[0] + ")");
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("study config: expected a mapping of fields, e.g. 'name: my-study'");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!KEYS.contains(f)) {
                String near = YamlLines.nearest(f, List.copyOf(KEYS));
                throw new ConfigException("study config: unknown field '" + f + "'; " + (near != null
                        ? "did you mean '" + near + "'? " : "") + "allowed fields are " + KEYS,
                        YamlLines.lineOf(yaml, f + ":"));
            }
        }
        try {
            return parseFields(yaml, root);
        } catch (ConfigException e) {
            throw e.line() > 0 ? e : new ConfigException(e.getMessage(), YamlLines.lineOf(yaml, e.getMessage()));
        }
    }

    private static StudyConfig parseFields(String yaml, JsonNode root) {
        JsonFields in = new JsonFields(root, ConfigException::new);
        String name = in.text("name", null);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ConfigException("name: " + (name == null ? "missing" : "'" + name + "' is not allowed")
                    + "; use 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        int[] network = in.intArray("network", D.dims().clone());
        if (network.length < 2 || network[0] != 784) {
            throw new ConfigException("network: " + java.util.Arrays.toString(network) + " is not allowed; give at"
                    + " least 2 layer sizes starting with 784 (28x28 pixels)");
        }
        for (int n : network) {
            if (n < 1) {
                throw new ConfigException("network: size " + n + " is not allowed; sizes are >= 1");
            }
        }
        String feedback = choice(in, "feedback", "fa", "fa", "bp");
        Direction direction = Direction.of(choice(in, "direction", "maximize", "maximize", "minimize"));
        String precision = choice(in, "precision", "float32", "float32", "float64");
        String split = choice(in, "split", "train", "train", "test");
        String objective = choice(in, "objective", "test_accuracy", "test_accuracy", "final_accuracy");
        JsonNode spaceNode = root.get("search_space");
        if (spaceNode == null || !spaceNode.isObject()) {
            throw new ConfigException("search_space: missing; describe the searched parameters, e.g."
                    + " 'meta_lr: {type: float, low: 1.0e-4, high: 1.0e-1, log: true}'");
        }
        SearchSpace space;
        try {
            space = SearchSpaceSpec.parse(JSON.convertValue(spaceNode, LINKED_MAP));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("search_space." + e.getMessage());
        }
        for (String p : space.params().keySet()) {
            if (!p.matches("f[0-9]|meta_lr|lambda|theta0_init|episodes") && !SAFEGUARDS.contains(p)) {
                List<String> known = new ArrayList<>(List.of("meta_lr", "lambda", "theta0_init", "episodes"));
                known.addAll(SAFEGUARDS);
                String near = YamlLines.nearest(p, known);
                throw new ConfigException("search_space." + p + ": unknown parameter; " + (near != null
                        ? "did you mean '" + near + "'? " : "") + "use f0..f9 (term active),"
                        + " meta_lr, lambda, theta0_init, episodes or a meta-training safeguard " + SAFEGUARDS);
            }
        }
        SamplerConfig sampler;
        PrunerConfig pruner;
        try {
            sampler = SamplerConfig.parse(map(in, "sampler", SamplerConfig.DEFAULT));
            pruner = PrunerConfig.parse(map(in, "pruner", Map.of("type", "none")));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (sampler instanceof SamplerConfig.Grid) {
            try {
                org.plasticitysearch.search.GridSampler.size(space);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new ConfigException("sampler.type: grid is not allowed for this search space ("
                        + (e instanceof ArithmeticException ? "too many combinations" : "search_space." + e.getMessage())
                        + "); use tpe, gp or random");
            }
        }
        List<Map<String, Object>> enqueue = new ArrayList<>();
        JsonNode eq = root.get("enqueue");
        if (eq != null && !eq.isNull()) {
            if (!eq.isArray()) {
                throw new ConfigException("enqueue: " + eq + " is not allowed; give a list of parameter maps");
            }
            for (int i = 0; i < eq.size(); i++) {
                Map<String, Object> fixed = JSON.convertValue(eq.get(i), LINKED_MAP);
                for (String p : fixed.keySet()) {
                    if (!space.params().containsKey(p)) {
                        throw new ConfigException("enqueue[" + i + "]." + p + ": not in search_space "
                                + space.params().keySet());
                    }
                }
                enqueue.add(fixed);
            }
        }
        if (root.has("test_dataset") && !(root.get("test_dataset").isTextual()
                && !root.get("test_dataset").asText().isBlank())) {
            throw new ConfigException("test_dataset: " + root.get("test_dataset") + " is not allowed; name a data set"
                    + " (builtin, fashion-mnist, mnist, emnist-balanced or idx:FILE) to meta-test the learned rules on");
        }
        int budget = in.integer("budget", -1, 1, 1_000_000);
        ObjectNode json = (ObjectNode) root;
        StudyConfig config = new StudyConfig(name, yaml, json, in.text("dataset", "builtin"), in.text("data_dir", null),
                split, in.integer("per_class_limit", D.perClassLimit(), 0, 1_000_000), network, feedback,
                in.integer("episodes", D.episodes(), 0, 100_000_000), in.integer("M", D.m(), 2, 1000),
                in.integer("K", D.k(), 1, 100_000), in.integer("Q", D.q(), 1, 100_000),
                in.integer("eval_tasks", D.evalTasks(), 0, 1_000_000), in.longValue("seed", 0L),
                precision, in.integer("report_every", D.reportEvery(), 1, 1_000_000), space, sampler, enqueue, pruner,
                objective, direction, budget, in.integer("parallelism", 1, 1, 10_000),
                duration(in, "trial_timeout", Duration.ofHours(2)), in.integer("retries", 1, 0, 100),
                heapSize(in), in.bool("reproducible", false));
        config.checkTrialSpecs();
        return config;
    }

    /**
     * Every value a searched parameter can take at the ends of its range (every choice of a categorical one) makes
     * a trial spec the trainer accepts; otherwise the trainer's message, under the parameter's name.
     */
    private void checkTrialSpecs() {
        for (Map.Entry<String, org.plasticitysearch.search.Distribution> e : space.params().entrySet()) {
            List<Object> values = new ArrayList<>();
            if (e.getValue() instanceof org.plasticitysearch.search.Distribution.FloatRange f) {
                values.addAll(List.of(f.low(), f.high()));
                if (Set.of("grad_clip", "reject_factor").contains(e.getKey()) && f.low() < 1 && f.high() > 0) {
                    throw new ConfigException("search_space." + e.getKey() + ": the range [" + f.low() + ", " + f.high()
                            + "] is not allowed; values are 0 (off) or >= 1: use low >= 1, or a categorical with 0");
                }
            } else if (e.getValue() instanceof org.plasticitysearch.search.Distribution.IntRange i) {
                values.addAll(List.of(i.low(), i.high()));
            } else if (e.getValue() instanceof org.plasticitysearch.search.Distribution.Categorical c) {
                values.addAll(c.choices());
            } else if (e.getValue() instanceof org.plasticitysearch.search.Distribution.Fixed x) {
                values.add(x.value());
            }
            for (Object v : values) {
                Map<String, Object> params = new LinkedHashMap<>();
                params.put(e.getKey(), v);
                try {
                    org.plasticitysearch.trainer.process.TrialSpec.parse(JSON.writeValueAsString(trialSpec(params, 0)));
                } catch (org.plasticitysearch.trainer.process.SpecException | ClassCastException
                         | com.fasterxml.jackson.core.JsonProcessingException ex) {
                    throw new ConfigException("search_space." + e.getKey() + ": the value " + v + " is not allowed ("
                            + ex.getMessage() + ")");
                }
            }
        }
    }

    /**
     * The same config under another study name (a schedule's fire launches {@code NAME-yyyyMMdd-HHmmss}): the
     * top-level {@code name:} line of the YAML is rewritten, everything else is kept as the user wrote it.
     */
    public StudyConfig withName(String newName) {
        java.util.regex.Matcher m = Pattern.compile("(?m)^name:.*$").matcher(yaml);
        if (!m.find()) {
            throw new ConfigException("name: no top-level 'name:' line to rewrite in the study config");
        }
        return parse(yaml.substring(0, m.start()) + "name: " + newName + yaml.substring(m.end()));
    }

    /** What the store keeps of this study. */
    public org.plasticitysearch.orchestrator.store.StudyDefinition definition() {
        return new org.plasticitysearch.orchestrator.store.StudyDefinition(name, yaml, json.toString(),
                objective, direction, budget, parallelism);
    }

    /** The meta-test data set when it is not the meta-training one (transfer), else null. */
    public String testDataset() {
        return json.hasNonNull("test_dataset") ? json.get("test_dataset").asText() : null;
    }

    /** The trainer's spec of a trial with no searched parameter set: the config's fixed fields and defaults. */
    public org.plasticitysearch.trainer.process.TrialSpec baseSpec() {
        try {
            return org.plasticitysearch.trainer.process.TrialSpec.parse(JSON.writeValueAsString(trialSpec(Map.of(), 0)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The trainer spec (JSON object) of one trial with the sampler's params ({@link TrialPlan#spec}). */
    public Map<String, Object> trialSpec(Map<String, Object> params, long trialSeed) {
        return TrialPlan.spec(this, params, trialSeed);
    }

    /**
     * A config derived from this one by editing its fields (verification studies: another name, seed, budget,
     * meta-test data set); validated like any config. The YAML is regenerated, so comments are not kept.
     */
    public StudyConfig derive(java.util.function.Consumer<ObjectNode> edit) {
        ObjectNode copy = ((ObjectNode) json).deepCopy();
        edit.accept(copy);
        try {
            return parse(YAML.writeValueAsString(copy));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException("study config: cannot be written as YAML (" + e.getMessage() + ")");
        }
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>> LINKED_MAP =
            new com.fasterxml.jackson.core.type.TypeReference<>() { };

    private static String choice(JsonFields in, String f, String dflt, String... allowed) {
        String v = in.text(f, dflt);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new ConfigException(f + ": '" + v + "' is not allowed; use " + String.join(" or ", allowed));
    }

    private static Map<String, Object> map(JsonFields in, String f, Map<String, Object> dflt) {
        JsonNode n = in.node(f);
        if (n == null) {
            return dflt;
        }
        if (!n.isObject()) {
            throw new ConfigException(f + ": " + n + " is not allowed; give a mapping with a 'type'");
        }
        return JSON.convertValue(n, LINKED_MAP);
    }

    private static Duration duration(JsonFields in, String f, Duration dflt) {
        String v = in.text(f, null);
        if (v == null) {
            return dflt;
        }
        Matcher m = DURATION.matcher(v.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new ConfigException(f + ": '" + v + "' is not allowed; use a positive duration like 90s, 30m or 2h");
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2).equals("s") ? Duration.ofSeconds(n) : m.group(2).equals("m") ? Duration.ofMinutes(n)
                : Duration.ofHours(n);
    }

    private static String heapSize(JsonFields in) {
        String v = in.text("heap", "1g");
        if (!v.matches("\\d+[mMgG]")) {
            throw new ConfigException("heap: '" + v + "' is not allowed; use a JVM heap size like 768m or 2g");
        }
        return v;
    }
}
