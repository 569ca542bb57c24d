package org.plasticitysearch.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named parameter distributions, in a fixed order (the order samplers draw them in). Building one validates every
 * range and names the parameter in the error: an empty range, a log range that is not positive, a step that does
 * not divide the range, an empty or duplicated choice list.
 */
public final class SearchSpace {
    private final Map<String, Distribution> params;

    private SearchSpace(Map<String, Distribution> params) {
        this.params = Collections.unmodifiableMap(params);
    }

    public Map<String, Distribution> params() {
        return params;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adds parameters one by one, checking each. */
    public static final class Builder {
        private final Map<String, Distribution> params = new LinkedHashMap<>();

        public Builder floatRange(String name, double low, double high) {
            return add(name, checkFloat(name, low, high, false, null));
        }

        public Builder logFloat(String name, double low, double high) {
            return add(name, checkFloat(name, low, high, true, null));
        }

        public Builder steppedFloat(String name, double low, double high, double step) {
            return add(name, checkFloat(name, low, high, false, step));
        }

        public Builder intRange(String name, long low, long high) {
            return add(name, checkInt(name, low, high, false, 1));
        }

        public Builder intRange(String name, long low, long high, long step, boolean log) {
            return add(name, checkInt(name, low, high, log, step));
        }

        public Builder categorical(String name, List<?> choices) {
            if (choices == null || choices.isEmpty()) {
                throw new IllegalArgumentException(name + ": the choice list is empty; give at least one choice");
            }
            if (choices.stream().distinct().count() != choices.size()) {
                throw new IllegalArgumentException(name + ": the choices " + choices + " repeat a value");
            }
            for (Object c : choices) {
                if (!(c instanceof String || c instanceof Number || c instanceof Boolean)) {
                    throw new IllegalArgumentException(name + ": choice " + c + " is not allowed; use strings,"
                            + " numbers or booleans");
                }
            }
            return add(name, new Distribution.Categorical(List.copyOf(choices)));
        }

        public Builder fixed(String name, Object value) {
            return add(name, new Distribution.Fixed(value));
        }

        /** Adds a distribution described elsewhere (e.g. parsed from a study config); checked the same way. */
        public Builder add(String name, Distribution d) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("search space: a parameter has no name");
            }
            if (params.containsKey(name)) {
                throw new IllegalArgumentException(name + ": defined twice in the search space");
            }
            if (d instanceof Distribution.FloatRange f) {
                checkFloat(name, f.low(), f.high(), f.log(), f.step());
            } else if (d instanceof Distribution.IntRange i) {
                checkInt(name, i.low(), i.high(), i.log(), i.step());
            }
            params.put(name, d);
            return this;
        }

        public SearchSpace build() {
            if (params.isEmpty()) {
                throw new IllegalArgumentException("search space: no parameters");
            }
            return new SearchSpace(new LinkedHashMap<>(params));
        }

        private static Distribution checkFloat(String name, double low, double high, boolean log, Double step) {
            if (!Double.isFinite(low) || !Double.isFinite(high)) {
                throw new IllegalArgumentException(name + ": bounds [" + low + ", " + high + "] must be finite");
            }
            if (!(low <= high)) {
                throw new IllegalArgumentException(name + ": empty range [" + low + ", " + high + "]; low must be"
                        + " <= high");
            }
            if (log && low <= 0) {
                throw new IllegalArgumentException(name + ": log range [" + low + ", " + high + "] is not allowed;"
                        + " a log scale needs low > 0");
            }
            if (step != null) {
                if (log) {
                    throw new IllegalArgumentException(name + ": a step and a log scale cannot be combined");
                }
                if (!(step > 0)) {
                    throw new IllegalArgumentException(name + ": step " + step + " is not allowed; use a step > 0");
                }
                double k = (high - low) / step;
                if (Math.abs(k - Math.rint(k)) > 1e-8 * Math.max(1, k)) {
                    throw new IllegalArgumentException(name + ": step " + step + " does not divide the range ["
                            + low + ", " + high + "]");
                }
            }
            return new Distribution.FloatRange(low, high, log, step);
        }

        private static Distribution checkInt(String name, long low, long high, boolean log, long step) {
            if (low > high) {
                throw new IllegalArgumentException(name + ": empty range [" + low + ", " + high + "]; low must be"
                        + " <= high");
            }
            if (step < 1) {
                throw new IllegalArgumentException(name + ": step " + step + " is not allowed; use a step >= 1");
            }
            if (log && low < 1) {
                throw new IllegalArgumentException(name + ": log range [" + low + ", " + high + "] is not allowed;"
                        + " a log scale needs low >= 1");
            }
            if (log && step != 1) {
                throw new IllegalArgumentException(name + ": a step and a log scale cannot be combined");
            }
            if ((high - low) % step != 0) {
                throw new IllegalArgumentException(name + ": step " + step + " does not divide the range ["
                        + low + ", " + high + "]");
            }
            return new Distribution.IntRange(low, high, log, step);
        }
    }
}
