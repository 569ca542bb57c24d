package org.plasticitysearch.trainer.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes one JSON object per line (the trial process's stdout protocol) and flushes each line. */
public final class EventSink {
    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();

    public EventSink(PrintStream out) {
        this.out = out;
    }

    /** An event object with its "type" first. */
    public static Map<String, Object> event(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        return m;
    }

    public synchronized void emit(Map<String, Object> event) {
        try {
            out.println(json.writeValueAsString(sanitize(event)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event not serialisable: " + e.getMessage(), e);
        }
        out.flush();
    }

    /** JSON has no NaN or infinity: such numbers become null. */
    private static Object sanitize(Object v) {
        if (v instanceof Double && !Double.isFinite((Double) v)) {
            return null;
        }
        if (v instanceof double[]) {
            double[] a = (double[]) v;
            Object[] r = new Object[a.length];
            for (int i = 0; i < a.length; i++) {
                r[i] = Double.isFinite(a[i]) ? a[i] : null;
            }
            return r;
        }
        if (v instanceof Map) {
            Map<String, Object> r = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                r.put(String.valueOf(e.getKey()), sanitize(e.getValue()));
            }
            return r;
        }
        return v;
    }
}
