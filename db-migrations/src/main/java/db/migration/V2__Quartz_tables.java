package db.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Version 2: Quartz's own tables (QRTZ_*), for the clustered JDBC job store of scheduled sweeps. The DDL is the one
 * shipped inside the quartz jar on the class path ({@code org/quartz/impl/jdbcjobstore/tables_postgres.sql}), so it
 * always matches the Quartz version in use. Its DROP statements and its final COMMIT are skipped: Flyway runs the
 * migration in its own transaction on an empty schema.
 */
public class V2__Quartz_tables extends BaseJavaMigration {
    static final String DDL = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

    @Override
    public void migrate(Context context) throws Exception {
        String sql;
        try (InputStream in = V2__Quartz_tables.class.getClassLoader().getResourceAsStream(DDL)) {
            if (in == null) {
                throw new IOException("Quartz DDL " + DDL + " not found on the class path (is quartz a dependency?)");
            }
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Statement st = context.getConnection().createStatement()) {
            for (String statement : statements(sql)) {
                st.execute(statement);
            }
        }
    }

    /** The DDL's statements without comments, DROPs and COMMIT. */
    static java.util.List<String> statements(String sql) {
        StringBuilder clean = new StringBuilder();
        for (String line : sql.split("\n")) {
            String t = line.trim();
            if (!t.startsWith("--") && !t.startsWith("#")) {
                clean.append(line).append('\n');
            }
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String s : clean.toString().split(";")) {
            String t = s.trim();
            String upper = t.toUpperCase(java.util.Locale.ROOT);
            if (t.isEmpty() || upper.startsWith("DROP ") || upper.equals("COMMIT")) {
                continue;
            }
            out.add(t);
        }
        return out;
    }
}
