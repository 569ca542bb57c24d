package org.plasticitysearch.search;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the options of a sampler or pruner from a config map ({@code {type: tpe, n_startup_trials: 10}}): unknown
 * options and values of the wrong kind are IllegalArgumentExceptions naming {@code prefix.option}, the value and
 * what is allowed.
 */
final class OptionReader {
    private final String prefix;
    private final Map<String, Object> options;

    OptionReader(String prefix, Map<String, Object> options, List<String> allowed) {
        this.prefix = prefix;
        this.options = options;
        Set<String> known = new TreeSet<>(allowed);
        for (String k : options.keySet()) {
            if (!k.equals("type") && !known.contains(k)) {
                throw new IllegalArgumentException(prefix + "." + k + ": unknown option for type " + options.get("type")
                        + "; " + (known.isEmpty() ? "it takes none" : "allowed are " + known));
            }
        }
    }

    int integer(String k, int dflt, int min) {
        Object v = options.get(k);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < min
                || n.doubleValue() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(prefix + "." + k + ": " + v + " is not allowed; use an integer >= "
                    + min);
        }
        return n.intValue();
    }

    boolean bool(String k, boolean dflt) {
        Object v = options.get(k);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException(prefix + "." + k + ": " + v + " is not allowed; use true or false");
        }
        return b;
    }

    static String type(String prefix, Map<String, Object> options, List<String> types) {
        Object t = options.get("type");
        if (t == null || !types.contains(t.toString())) {
            throw new IllegalArgumentException(prefix + ".type: " + t + " is not allowed; use " + String.join(", ",
                    types));
        }
        return t.toString();
    }
}
