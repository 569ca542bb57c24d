package org.plasticitysearch.orchestrator.api;

import org.plasticitysearch.search.Direction;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.plasticitysearch.orchestrator.store.EpisodeMetric;
import org.plasticitysearch.orchestrator.store.Study;
import org.plasticitysearch.search.TrialState;
import org.plasticitysearch.orchestrator.store.TrialStore;
import org.plasticitysearch.orchestrator.store.TrialTable;
import org.plasticitysearch.search.Distribution;
import org.plasticitysearch.trainer.rule.TermPool;

/**
 * A study in Optuna's journal-storage format (Optuna >= 3.1, {@code JournalFileStorage}: one JSON operation per
 * line), so that {@code optuna-dashboard FILE} and {@code optuna.load_study(storage=JournalStorage(...))} read it.
 * One create-study operation, the study's objective and config as user attributes, then one create-trial operation
 * per trial carrying everything at once: state, value, UTC start and completion times (naive, as Optuna writes
 * them), params with their distributions, the per-episode accuracies as intermediate values, and theta_F0..F9,
 * share_F0..F9, the meta-test interval, attempts and the error as user attributes.
 */
public final class OptunaJournal {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
    private static final String WORKER = "plasticity-search-export";

    /** Optuna's TrialState values. */
    static int optunaState(TrialState s) {
        return switch (s) {
            case RUNNING -> 0;
            case COMPLETE -> 1;
            case PRUNED -> 2;
            case FAILED -> 3;
            case QUEUED -> 4; // WAITING
        };
    }

    private OptunaJournal() {
    }

    /** Writes the study; returns how many trials. */
    public static int write(TrialStore store, Study study, Map<String, Distribution> space, Writer out)
            throws IOException {
        ObjectNode create = op(0);
        create.put("study_name", study.name());
        create.putArray("directions").add(study.direction() == Direction.MINIMIZE ? 1 : 2);
        line(out, create);
        for (var attr : Map.of("objective", study.objective(), "config_yaml", study.configYaml()).entrySet()) {
            ObjectNode set = op(2); // one attribute per operation, as Optuna writes them
            set.put("study_id", 0);
            set.putObject("user_attr").put(attr.getKey(), attr.getValue());
            line(out, set);
        }
        List<TrialTable.Row> rows = new TrialTable(store.dataSource()).rows(study.id());
        for (TrialTable.Row r : rows) {
            line(out, trial(store, r, space));
        }
        out.flush();
        return rows.size();
    }

    private static ObjectNode trial(TrialStore store, TrialTable.Row r, Map<String, Distribution> space) {
        ObjectNode t = op(4);
        t.put("study_id", 0);
        t.put("state", optunaState(r.state()));
        t.put("value", r.state() == TrialState.FAILED ? null : r.value());
        t.putNull("values");
        t.put("datetime_start", time(r.start()));
        if (r.complete() != null && r.state() != TrialState.RUNNING && r.state() != TrialState.QUEUED) {
            t.put("datetime_complete", time(r.complete()));
        }
        ObjectNode dists = t.putObject("distributions");
        ObjectNode params = t.putObject("params");
        ObjectNode user = t.putObject("user_attrs");
        r.params().forEach((name, value) -> {
            Distribution d = space.get(name);
            Double internal = d == null ? null : internal(d, value);
            if (internal == null) {
                user.set("param_" + name, JSON.valueToTree(value)); // outside the space (enqueued by hand)
                return;
            }
            dists.put(name, distribution(d));
            params.put(name, internal);
        });
        t.putObject("system_attrs");
        ObjectNode intermediate = t.putObject("intermediate_values");
        for (EpisodeMetric m : store.metrics(r.id())) {
            if (m.accuracy() != null) {
                intermediate.put(Integer.toString(m.episode()), m.accuracy());
            }
        }
        for (int k = 0; k < TermPool.SIZE; k++) {
            if (r.theta() != null && r.theta()[k] != null) {
                user.put("theta_F" + k, r.theta()[k]);
            }
            if (r.share() != null && r.share()[k] != null) {
                user.put("share_F" + k, r.share()[k]);
            }
        }
        putIf(user, "test_accuracy", r.testAccuracy());
        putIf(user, "test_ci_low", r.ciLow());
        putIf(user, "test_ci_high", r.ciHigh());
        user.put("attempts", r.attempts());
        if (r.error() != null) {
            user.put("error", r.error());
        }
        return t;
    }

    /** Optuna's internal representation: the number for ranges, the index of the choice for categoricals. */
    static Double internal(Distribution d, Object value) {
        if (d instanceof Distribution.FloatRange || d instanceof Distribution.IntRange) {
            return value instanceof Number n ? n.doubleValue() : null;
        }
        List<Object> choices = d instanceof Distribution.Categorical c ? c.choices()
                : List.of(((Distribution.Fixed) d).value());
        for (int i = 0; i < choices.size(); i++) {
            if (same(choices.get(i), value)) {
                return (double) i;
            }
        }
        return null;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return java.util.Objects.equals(a, b);
    }

    /** Optuna's distribution_to_json: {"name": class name, "attributes": its fields}, as a JSON string. */
    static String distribution(Distribution d) {
        ObjectNode n = JSON.createObjectNode();
        ObjectNode a = JSON.createObjectNode();
        if (d instanceof Distribution.FloatRange f) {
            n.put("name", "FloatDistribution");
            a.put("low", f.low()).put("high", f.high()).put("step", f.step()).put("log", f.log());
        } else if (d instanceof Distribution.IntRange i) {
            n.put("name", "IntDistribution");
            a.put("low", i.low()).put("high", i.high()).put("step", i.step()).put("log", i.log());
        } else {
            n.put("name", "CategoricalDistribution");
            List<Object> choices = d instanceof Distribution.Categorical c ? c.choices()
                    : List.of(((Distribution.Fixed) d).value());
            a.set("choices", JSON.valueToTree(choices));
        }
        n.set("attributes", a);
        return n.toString();
    }

    private static void putIf(ObjectNode n, String key, Double v) {
        if (v != null) {
            n.put(key, v);
        }
    }

    private static String time(Instant t) {
        return t == null ? null : LocalDateTime.ofInstant(t, ZoneOffset.UTC).format(ISO);
    }

    private static ObjectNode op(int code) {
        ObjectNode n = JSON.createObjectNode();
        n.put("op_code", code);
        n.put("worker_id", WORKER);
        return n;
    }

    private static void line(Writer out, ObjectNode n) throws IOException {
        out.write(n.toString());
        out.write('\n');
    }
}
