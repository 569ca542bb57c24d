package org.plasticitysearch.trainer.process;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/**
 * Typed, checked reads of the fields of a JSON (or YAML) object: a field of the wrong kind or out of range is an
 * error naming the field, the value and what is allowed, made by the caller's factory (the trainer's
 * {@link SpecException}, the orchestrator's config error). Absent and null fields give the default.
 */
public final class JsonFields {
    private final JsonNode root;
    private final Function<String, ? extends RuntimeException> error;

    public JsonFields(JsonNode root, Function<String, ? extends RuntimeException> error) {
        this.root = root;
        this.error = error;
    }

    /** The field's node, or null when it is absent or null. */
    public JsonNode node(String f) {
        JsonNode n = root.get(f);
        return n == null || n.isNull() ? null : n;
    }

    public RuntimeException error(String message) {
        return error.apply(message);
    }

    public String text(String f, String dflt) {
        JsonNode n = node(f);
        if (n == null) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw error(f + ": " + n + " is not allowed; use a string");
        }
        return n.asText();
    }

    /** An integer in [min, max]; a default below min makes the field required. */
    public int integer(String f, int dflt, int min, int max) {
        JsonNode n = node(f);
        String range = "an integer from " + min + (max == Integer.MAX_VALUE ? " up" : " to " + max);
        if (n == null) {
            if (dflt < min) {
                throw error(f + ": missing; give " + range);
            }
            return dflt;
        }
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            throw error(f + ": " + n + " is not allowed; use " + range);
        }
        return n.asInt();
    }

    public long longValue(String f, long dflt) {
        JsonNode n = node(f);
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw error(f + ": " + n + " is not allowed; use an integer");
        }
        return n.asLong();
    }

    public double number(String f, double dflt, double min, double max) {
        JsonNode n = node(f);
        if (n == null) {
            return dflt;
        }
        if (!n.isNumber() || !(n.asDouble() >= min) || !(n.asDouble() <= max)) {
            throw error(f + ": " + n + " is not allowed; use a number from " + min + " to " + max);
        }
        return n.asDouble();
    }

    public boolean bool(String f, boolean dflt) {
        JsonNode n = node(f);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw error(f + ": " + n + " is not allowed; use true or false");
        }
        return n.asBoolean();
    }

    public int[] intArray(String f, int[] dflt) {
        JsonNode n = node(f);
        if (n == null) {
            return dflt;
        }
        if (!n.isArray()) {
            throw error(f + ": " + n + " is not allowed; give a list of integers");
        }
        int[] r = new int[n.size()];
        for (int i = 0; i < r.length; i++) {
            if (!n.get(i).isIntegralNumber()) {
                throw error(f + "[" + i + "]: " + n.get(i) + " is not allowed; use an integer");
            }
            r[i] = n.get(i).asInt();
        }
        return r;
    }
}
