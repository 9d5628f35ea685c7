package io.github.fastgn.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A table of results with named columns, written as CSV (RFC 4180 quoting). */
public final class ResultTable {

    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();

    public ResultTable(String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.columns = List.of(columns);
    }

    /** Appends a row; numbers are written with full precision, everything else with toString. */
    public ResultTable add(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("row has " + values.length + " values, table has " + columns.size()
                    + " columns " + columns);
        }
        List<String> row = new ArrayList<>(values.length);
        for (Object v : values) {
            row.add(format(v));
        }
        rows.add(row);
        return this;
    }

    public List<String> columns() {
        return columns;
    }

    public int size() {
        return rows.size();
    }

    /** The cell at a row and a column name, as written. */
    public String get(int row, String column) {
        int c = columns.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException("no column '" + column + "' in " + columns);
        }
        return rows.get(row).get(c);
    }

    /** A numeric column, parsed back. */
    public double[] column(String column) {
        double[] out = new double[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = Double.parseDouble(get(r, column));
        }
        return out;
    }

    public String toCsv() {
        StringBuilder b = new StringBuilder();
        b.append(line(columns));
        for (List<String> row : rows) {
            b.append(line(row));
        }
        return b.toString();
    }

    public void writeCsv(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, toCsv(), StandardCharsets.UTF_8);
    }

    private static String line(List<String> cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            String c = cells.get(i);
            if (c.contains(",") || c.contains("\"") || c.contains("\n")) {
                b.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                b.append(c);
            }
        }
        return b.append('\n').toString();
    }

    private static String format(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isNaN(d) ? "NaN" : String.format(Locale.ROOT, "%.10g", d).trim();
        }
        if (v instanceof double[]) {
            return Arrays.toString((double[]) v);
        }
        return String.valueOf(v);
    }
}
