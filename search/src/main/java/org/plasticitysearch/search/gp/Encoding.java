package org.plasticitysearch.search.gp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plasticitysearch.search.Distribution;
import org.plasticitysearch.search.SearchSpace;

/**
 * Maps params to the GP's inputs and back. One input per searched (non-fixed) parameter, in the space's order:
 * <ul>
 *   <li>floats: [low, high] (in log space on log scales) → [0, 1];</li>
 *   <li>integers and stepped floats: relaxed to [low − step/2, high + step/2] (log space for log integers) → [0, 1],
 *       snapped to the centre of their grid bin whenever a point is decoded or evaluated;</li>
 *   <li>categoricals: the choice index; the kernel compares them by equality (a Hamming distance, see
 *       {@link Matern52}).</li>
 * </ul>
 * Fixed parameters have no input and are returned as their value.
 */
final class Encoding {
    enum Kind { CONTINUOUS, DISCRETE, CATEGORICAL }

    private final List<String> names = new ArrayList<>();
    private final List<Distribution> dists = new ArrayList<>();
    private final Map<String, Object> fixed = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();
    private final Kind[] kinds;
    private final double[] lo;
    private final double[] hi;

    Encoding(SearchSpace space) {
        for (Map.Entry<String, Distribution> e : space.params().entrySet()) {
            order.add(e.getKey());
            if (e.getValue() instanceof Distribution.Fixed f) {
                fixed.put(e.getKey(), f.value());
            } else {
                names.add(e.getKey());
                dists.add(e.getValue());
            }
        }
        int d = names.size();
        kinds = new Kind[d];
        lo = new double[d];
        hi = new double[d];
        for (int j = 0; j < d; j++) {
            Distribution dist = dists.get(j);
            if (dist instanceof Distribution.FloatRange f) {
                boolean stepped = f.step() != null;
                kinds[j] = stepped ? Kind.DISCRETE : Kind.CONTINUOUS;
                double half = stepped ? f.step() / 2 : 0;
                lo[j] = f.log() ? Math.log(f.low()) : f.low() - half;
                hi[j] = f.log() ? Math.log(f.high()) : f.high() + half;
            } else if (dist instanceof Distribution.IntRange i) {
                kinds[j] = Kind.DISCRETE;
                double half = i.step() / 2.0;
                lo[j] = i.log() ? Math.log(i.low() - half) : i.low() - half;
                hi[j] = i.log() ? Math.log(i.high() + half) : i.high() + half;
            } else {
                kinds[j] = Kind.CATEGORICAL;
                hi[j] = ((Distribution.Categorical) dist).choices().size() - 1;
            }
        }
    }

    int dims() {
        return names.size();
    }

    Kind kind(int j) {
        return kinds[j];
    }

    /** Number of choices (categoricals) or grid points (discrete); 0 for continuous inputs. */
    long levels(int j) {
        Distribution d = dists.get(j);
        if (d instanceof Distribution.Categorical c) {
            return c.choices().size();
        }
        if (d instanceof Distribution.IntRange i) {
            return (i.high() - i.low()) / i.step() + 1;
        }
        if (kinds[j] == Kind.DISCRETE) {
            Distribution.FloatRange f = (Distribution.FloatRange) d;
            return Math.round((f.high() - f.low()) / f.step()) + 1;
        }
        return 0;
    }

    /** The input of grid level k (discrete) or choice k (categorical). */
    double level(int j, long k) {
        if (kinds[j] == Kind.CATEGORICAL) {
            return k;
        }
        Distribution d = dists.get(j);
        double v = d instanceof Distribution.IntRange i ? i.low() + k * i.step()
                : ((Distribution.FloatRange) d).low() + k * ((Distribution.FloatRange) d).step();
        return encodeValue(j, v);
    }

    /** The inputs of a trial's params; null when a searched parameter is missing or not a valid value. */
    double[] encode(Map<String, Object> params) {
        double[] x = new double[names.size()];
        for (int j = 0; j < x.length; j++) {
            Object v = params.get(names.get(j));
            if (v == null) {
                return null;
            }
            try {
                x[j] = kinds[j] == Kind.CATEGORICAL ? dists.get(j).toInternal(v)
                        : encodeValue(j, ((Number) v).doubleValue());
            } catch (RuntimeException e) {
                return null;
            }
            if (!Double.isFinite(x[j])) {
                return null;
            }
        }
        return x;
    }

    private double encodeValue(int j, double v) {
        Distribution d = dists.get(j);
        boolean log = d instanceof Distribution.FloatRange f ? f.log() : ((Distribution.IntRange) d).log();
        double t = log ? Math.log(v) : v;
        return hi[j] > lo[j] ? (t - lo[j]) / (hi[j] - lo[j]) : 0.5;
    }

    /** The external value of input j (Double, Long or the choice), clamped to the range and snapped to its grid. */
    Object decode(int j, double u) {
        Distribution d = dists.get(j);
        if (d instanceof Distribution.Categorical c) {
            int k = (int) Math.max(0, Math.min(c.choices().size() - 1, Math.round(u)));
            return c.choices().get(k);
        }
        double t = lo[j] + Math.max(0, Math.min(1, u)) * (hi[j] - lo[j]);
        if (d instanceof Distribution.IntRange i) {
            double v = i.log() ? Math.exp(t) : t;
            long k = Math.round((v - i.low()) / i.step());
            k = Math.max(0, Math.min((i.high() - i.low()) / i.step(), k));
            return i.low() + k * i.step();
        }
        Distribution.FloatRange f = (Distribution.FloatRange) d;
        if (f.step() != null) {
            long kmax = Math.round((f.high() - f.low()) / f.step());
            long k = Math.max(0, Math.min(kmax, Math.round((t - f.low()) / f.step())));
            return Math.min(f.high(), f.low() + k * f.step());
        }
        if (u <= 0 || u >= 1) { // the exact bound, not exp(log(bound))
            return u <= 0 ? f.low() : f.high();
        }
        double v = f.log() ? Math.exp(t) : t;
        return Math.max(f.low(), Math.min(f.high(), v));
    }

    /** The point the decoded params encode to: discrete inputs move to their bin centre, categoricals to an index. */
    double[] snap(double[] u) {
        double[] x = u.clone();
        for (int j = 0; j < x.length; j++) {
            if (kinds[j] == Kind.CATEGORICAL) {
                x[j] = Math.max(0, Math.min(hi[j], Math.round(u[j])));
            } else if (kinds[j] == Kind.DISCRETE) {
                x[j] = encodeValue(j, ((Number) decode(j, u[j])).doubleValue());
            } else {
                x[j] = Math.max(0, Math.min(1, u[j]));
            }
        }
        return x;
    }

    /** The params of a point, in the space's order, fixed ones included. */
    Map<String, Object> decode(double[] u) {
        Map<String, Object> out = new LinkedHashMap<>();
        int j = 0;
        for (String name : order) {
            if (fixed.containsKey(name)) {
                out.put(name, fixed.get(name));
            } else {
                out.put(name, decode(j, u[j]));
                j++;
            }
        }
        return out;
    }

    /** True when every searched parameter is discrete or categorical. */
    boolean allDiscrete() {
        for (Kind k : kinds) {
            if (k == Kind.CONTINUOUS) {
                return false;
            }
        }
        return true;
    }
}
