package org.plasticitysearch.search;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a search space from its description in a study config (parsed YAML/JSON): parameter name → a map with
 * {@code type} one of {@code float}, {@code int}, {@code categorical}, {@code bool}, {@code fixed}, and
 * {@code low}/{@code high}/{@code log}/{@code step}, {@code choices} or {@code value}. Every error names the
 * parameter, the field, the value and what is allowed.
 *
 * <pre>
 *   meta_lr:  {type: float, low: 1.0e-4, high: 1.0e-1, log: true}
 *   f2:       {type: bool}
 *   f0:       {type: fixed, value: true}
 *   episodes: {type: int, low: 50, high: 300, step: 50}
 * </pre>
 */
public final class SearchSpaceSpec {
    private static final Set<String> TYPES = Set.of("float", "int", "categorical", "bool", "fixed");
    /** The fields of each type, in the order they are usually written. */
    private static final Map<String, List<String>> FIELDS = new java.util.TreeMap<>(Map.of(
            "float", List.of("type", "low", "high", "log", "step"), "int", List.of("type", "low", "high", "log", "step"),
            "categorical", List.of("type", "choices"), "bool", List.of("type"), "fixed", List.of("type", "value")));

    private SearchSpaceSpec() {
    }

    public static SearchSpace parse(Map<String, ?> spec) {
        if (spec == null || spec.isEmpty()) {
            throw new IllegalArgumentException("search_space: empty; name at least one parameter");
        }
        SearchSpace.Builder b = SearchSpace.builder();
        for (Map.Entry<String, ?> e : spec.entrySet()) {
            String name = e.getKey();
            if (!(e.getValue() instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(name + ": " + e.getValue() + " is not allowed; describe the"
                        + " parameter as a map with a 'type'");
            }
            Object type = m.get("type");
            // a mistyped field ({typ: bool}) is named, not reported as a missing type
            List<String> allowed = type != null && FIELDS.containsKey(type.toString()) ? FIELDS.get(type.toString())
                    : FIELDS.values().stream().flatMap(List::stream).distinct().toList();
            for (Object k : m.keySet()) {
                if (!allowed.contains(String.valueOf(k))) {
                    throw new IllegalArgumentException(name + "." + k + ": unknown field; "
                            + (type != null && FIELDS.containsKey(type.toString()) ? "a " + type + " parameter has "
                            + allowed : "a parameter has a type and, by type, " + FIELDS));
                }
            }
            if (type == null || !TYPES.contains(type.toString())) {
                throw new IllegalArgumentException(name + ".type: " + type + " is not allowed; use one of "
                        + TYPES.stream().sorted().toList());
            }
            switch (type.toString()) {
                case "float": {
                    double low = number(name, m, "low");
                    double high = number(name, m, "high");
                    boolean log = bool(name, m, "log");
                    Object step = m.get("step");
                    if (step != null) {
                        if (log) {
                            throw new IllegalArgumentException(name + ": a step and log: true cannot be combined");
                        }
                        b.steppedFloat(name, low, high, number(name, m, "step"));
                    } else if (log) {
                        b.logFloat(name, low, high);
                    } else {
                        b.floatRange(name, low, high);
                    }
                    break;
                }
                case "int": {
                    long low = integer(name, m, "low");
                    long high = integer(name, m, "high");
                    long step = m.containsKey("step") ? integer(name, m, "step") : 1;
                    b.intRange(name, low, high, step, bool(name, m, "log"));
                    break;
                }
                case "categorical": {
                    Object c = m.get("choices");
                    if (!(c instanceof List<?> list)) {
                        throw new IllegalArgumentException(name + ".choices: " + c + " is not allowed; give a list");
                    }
                    b.categorical(name, list);
                    break;
                }
                case "bool":
                    b.categorical(name, List.of(false, true));
                    break;
                default:
                    if (!m.containsKey("value")) {
                        throw new IllegalArgumentException(name + ".value: missing; a fixed parameter needs a value");
                    }
                    b.fixed(name, m.get("value"));
            }
        }
        return b.build();
    }

    private static double number(String name, Map<?, ?> m, String field) {
        Object v = m.get(field);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(name + "." + field + ": " + v + " is not allowed; give a number");
        }
        return n.doubleValue();
    }

    private static long integer(String name, Map<?, ?> m, String field) {
        Object v = m.get(field);
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException(name + "." + field + ": " + v + " is not allowed; give an integer");
        }
        return n.longValue();
    }

    private static boolean bool(String name, Map<?, ?> m, String field) {
        Object v = m.get(field);
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean bv)) {
            throw new IllegalArgumentException(name + "." + field + ": " + v + " is not allowed; use true or false");
        }
        return bv;
    }
}
