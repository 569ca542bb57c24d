package org.plasticitysearch.search;

import java.util.List;

/**
 * The range of one parameter. Samplers work on an internal number per parameter (the value itself for numbers,
 * the choice index for categories) and hand back the external value.
 */
public sealed interface Distribution
        permits Distribution.FloatRange, Distribution.IntRange, Distribution.Categorical, Distribution.Fixed {

    /** External value → internal number. */
    double toInternal(Object external);

    /** Internal number → external value (Double, Long, a choice, or the fixed value). */
    Object toExternal(double internal);

    /** Floats in [low, high], optionally on a log scale or a step grid. */
    record FloatRange(double low, double high, boolean log, Double step) implements Distribution {
        @Override
        public double toInternal(Object external) {
            return ((Number) external).doubleValue();
        }

        @Override
        public Object toExternal(double internal) {
            return internal;
        }
    }

    /** Integers in [low, high] with a step (1 by default), optionally log-scaled. */
    record IntRange(long low, long high, boolean log, long step) implements Distribution {
        @Override
        public double toInternal(Object external) {
            return ((Number) external).doubleValue();
        }

        @Override
        public Object toExternal(double internal) {
            return Math.round(internal);
        }
    }

    /** One of a list of choices (strings, numbers or booleans); e.g. {@code [false, true]} for "term r active". */
    record Categorical(List<Object> choices) implements Distribution {
        @Override
        public double toInternal(Object external) {
            for (int i = 0; i < choices.size(); i++) {
                Object c = choices.get(i);
                if (c.equals(external) || (c instanceof Number && external instanceof Number
                        && ((Number) c).doubleValue() == ((Number) external).doubleValue())) {
                    return i;
                }
            }
            throw new IllegalArgumentException("value " + external + " is not one of " + choices);
        }

        @Override
        public Object toExternal(double internal) {
            return choices.get((int) internal);
        }
    }

    /** Not searched: always this value. */
    record Fixed(Object value) implements Distribution {
        @Override
        public double toInternal(Object external) {
            return 0;
        }

        @Override
        public Object toExternal(double internal) {
            return value;
        }
    }
}
