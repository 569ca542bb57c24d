package org.plasticitysearch.search.tpe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.plasticitysearch.search.Distribution;
import org.plasticitysearch.search.SearchSpace;
import org.plasticitysearch.search.TrialRecord;

/**
 * Duplicate avoidance on the categorical part of a space (e.g. which rule terms are active): the combinations of
 * the trials in flight, and the TPE's scored candidates per categorical parameter. If the proposal's combination is
 * in flight, it is replaced by the best-scoring combination of candidate values that is not (the univariate TPE's
 * acquisition is a sum over parameters, so "best" is the largest sum of log l(x) - log g(x)). If every combination
 * of the candidates is in flight, the proposal stays as it is.
 */
final class InFlightSubsets {
    /** Combinations looked at before giving up; far more than a space of ten booleans needs. */
    private static final int MAX_VISITS = 20_000;

    private final List<String> names = new ArrayList<>();
    private final List<Distribution> dists = new ArrayList<>();
    private final Set<List<Integer>> busy = new HashSet<>();
    /** Per categorical parameter: its distinct candidate choices (indices), best score first, and their scores. */
    private final Map<String, double[][]> ranked = new LinkedHashMap<>();

    InFlightSubsets(SearchSpace space, List<TrialRecord> inFlight) {
        for (Map.Entry<String, Distribution> e : space.params().entrySet()) {
            if (e.getValue() instanceof Distribution.Categorical) {
                names.add(e.getKey());
                dists.add(e.getValue());
            }
        }
        for (TrialRecord t : inFlight) {
            List<Integer> key = key(t.params());
            if (key != null) {
                busy.add(key);
            }
        }
    }

    boolean contains(Map<String, Object> params) {
        List<Integer> k = key(params);
        return k != null && busy.contains(k);
    }

    /** The scored candidates of one categorical parameter (internal values are choice indices). */
    void offer(String name, Distribution d, double[] cand, double[] ll, double[] lg) {
        if (busy.isEmpty()) {
            return;
        }
        Map<Integer, Double> best = new LinkedHashMap<>(); // first occurrence wins ties, as the argmax does
        for (int i = 0; i < cand.length; i++) {
            best.putIfAbsent((int) cand[i], ll[i] - lg[i]);
        }
        List<Map.Entry<Integer, Double>> order = new ArrayList<>(best.entrySet());
        order.sort(Comparator.comparingDouble(e -> -e.getValue())); // stable
        double[][] r = new double[2][order.size()];
        for (int i = 0; i < order.size(); i++) {
            r[0][i] = order.get(i).getKey();
            r[1][i] = order.get(i).getValue();
        }
        ranked.put(name, r);
    }

    /** The proposal, or the best candidate combination not in flight (continuous parameters unchanged). */
    Map<String, Object> avoid(Map<String, Object> proposal) {
        if (!contains(proposal) || ranked.size() != names.size()) {
            return proposal;
        }
        int p = names.size();
        record Node(int[] rank, double cost) {
        }
        PriorityQueue<Node> queue = new PriorityQueue<>(Comparator.comparingDouble(Node::cost)
                .thenComparing(Node::rank, java.util.Arrays::compare));
        Set<List<Integer>> seen = new HashSet<>();
        queue.add(new Node(new int[p], 0));
        for (int visits = 0; !queue.isEmpty() && visits < MAX_VISITS; visits++) {
            Node n = queue.poll();
            List<Integer> combination = new ArrayList<>(p);
            for (int j = 0; j < p; j++) {
                combination.add((int) ranked.get(names.get(j))[0][n.rank()[j]]);
            }
            if (!busy.contains(combination)) {
                Map<String, Object> out = new LinkedHashMap<>(proposal);
                for (int j = 0; j < p; j++) {
                    out.put(names.get(j), dists.get(j).toExternal(combination.get(j)));
                }
                return out;
            }
            for (int j = 0; j < p; j++) { // next: one parameter takes its next-best candidate choice
                double[][] r = ranked.get(names.get(j));
                if (n.rank()[j] + 1 < r[0].length) {
                    int[] next = n.rank().clone();
                    next[j]++;
                    if (seen.add(java.util.Arrays.stream(next).boxed().toList())) {
                        queue.add(new Node(next, n.cost() + r[1][n.rank()[j]] - r[1][next[j]]));
                    }
                }
            }
        }
        return proposal;
    }

    /** The choice indices of the categorical parameters, or null if a value is missing or not a choice. */
    private List<Integer> key(Map<String, Object> params) {
        List<Integer> k = new ArrayList<>(names.size());
        for (int j = 0; j < names.size(); j++) {
            Object v = params.get(names.get(j));
            if (v == null) {
                return null;
            }
            try {
                k.add((int) dists.get(j).toInternal(v));
            } catch (IllegalArgumentException e) {
                return null; // a value no longer among the choices cannot collide
            }
        }
        return k;
    }
}
