package org.plasticitysearch.orchestrator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A result table for people or programs: aligned text cut to the terminal's width, CSV (RFC 4180, a header row,
 * empty cells for missing values) or JSON (an array of records: {@code pandas.read_json(f)}).
 */
final class TableOutput {
    /** How a command prints its table. */
    enum Format { table, csv, json }

    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    TableOutput(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    TableOutput row(List<Object> values) {
        if (values.size() != columns.size()) {
            throw new IllegalArgumentException(values.size() + " values for " + columns.size() + " columns");
        }
        rows.add(new ArrayList<>(values));
        return this;
    }

    void write(Format format, PrintStream out) {
        switch (format) {
            case csv -> csv(out);
            case json -> json(out);
            case table -> table(out);
        }
        out.flush();
    }

    private void csv(PrintStream out) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setNullValue("");
        columns.forEach(schema::addColumn);
        try {
            out.print(new CsvMapper().writer(schema.build()).writeValueAsString(
                    rows.stream().map(r -> r.stream().map(TableOutput::scalar).toList()).toList()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void json(PrintStream out) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (List<Object> r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                m.put(columns.get(i), scalar(r.get(i)));
            }
            records.add(m);
        }
        try {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(records));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Columns as wide as their widest cell; the last one is cut to the terminal's width ($COLUMNS, else 160). */
    private void table(PrintStream out) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(columns);
        for (List<Object> r : rows) {
            cells.add(r.stream().map(TableOutput::text).toList());
        }
        int[] width = new int[columns.size()];
        for (List<String> r : cells) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        int terminal = terminalWidth();
        for (List<String> r : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(i == r.size() - 1 ? r.get(i)
                        : String.format(Locale.ROOT, "%-" + width[i] + "s  ", r.get(i)));
            }
            String s = line.toString().stripTrailing();
            out.println(s.length() > terminal ? s.substring(0, terminal - 1) + "…" : s);
        }
    }

    static int terminalWidth() {
        try {
            int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "160"));
            return Math.max(40, c);
        } catch (NumberFormatException e) {
            return 160;
        }
    }

    private static Object scalar(Object v) {
        if (v instanceof java.time.Instant || v instanceof Enum<?>) {
            return v.toString();
        }
        return v;
    }

    private static String text(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Double d) {
            return Math.abs(d) >= 1e-3 || d == 0 ? String.format(Locale.ROOT, "%.4f", d)
                    : String.format(Locale.ROOT, "%.3g", d);
        }
        if (v instanceof java.time.Instant t) {
            return t.toString().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z");
        }
        return v.toString().replace('\n', ' ');
    }
}
