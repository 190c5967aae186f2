package org.soilobs.api.export;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soilobs.api.http.Csv;
import org.soilobs.api.http.Streaming;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.api.problem.ProblemType;
import org.soilobs.api.series.SeriesPoint;
import org.soilobs.api.store.AggregateRows;
import org.soilobs.api.store.StoreException;
import org.soilobs.model.Aggregate;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.reference.Area;
import org.soilobs.reference.ReferenceData;

/**
 * Bulk exports for analysts, streamed from a database cursor to the client row by row, never held in
 * memory: {@code GET /api/v1/export/aggregates} (every bucket of a level, or of one area, as CSV,
 * NDJSON or GeoJSON) and {@code GET /api/v1/export/readings} (the stored readings of one field, as CSV or
 * NDJSON).
 *
 * <p>Before the first byte the export is checked whole: the parameters, the span
 * ({@code OBS_API_EXPORT_MAX_DAYS}), the area, and the number of rows, counted up to
 * {@code OBS_API_EXPORT_MAX_ROWS} + 1 in the same read-only snapshot that is then streamed. So every
 * refusal is a problem body, and an answer that starts is complete unless the connection fails, in
 * which case it is cut without its last chunk rather than ended as if it were whole.
 */
public final class ExportRoutes {

    public static final String AGGREGATES_PATH = "/api/v1/export/aggregates";
    public static final String READINGS_PATH = "/api/v1/export/readings";
    private static final Logger LOG = LoggerFactory.getLogger(ExportRoutes.class);
    private static final int FETCH_SIZE = 2_000;

    private static final String AGGREGATE_WHERE = "WHERE a.level = ? AND a.quantity = ? AND a.resolution = ?\n"
            + "  AND a.bucket >= ? AND a.bucket < ? AND (?::text IS NULL OR a.area = ?)\n";
    private static final String COUNT_AGGREGATES = "SELECT count(*) FROM (SELECT 1 FROM aggregate a\n"
            + AGGREGATE_WHERE + "LIMIT ?) t";
    private static final String AGGREGATES = "SELECT a.area, f.lon, f.lat, " + AggregateRows.columns("a") + "\n"
            + "FROM aggregate a LEFT JOIN field f ON a.level = 'field' AND f.id = a.area\n"
            + AGGREGATE_WHERE + "ORDER BY a.area, a.bucket";

    private static final String READING_WHERE = "WHERE r.field = ? AND (?::text IS NULL OR r.quantity = ?)\n"
            + "  AND r.time >= ? AND r.time < ?\n";
    private static final String COUNT_READINGS = "SELECT count(*) FROM (SELECT 1 FROM reading r\n" + READING_WHERE
            + "LIMIT ?) t";
    private static final String READINGS = "SELECT r.time, r.sensor, r.quantity, r.value, r.field, r.country, "
            + "r.depth_top_cm, r.depth_bottom_cm, r.flags, r.gateway, r.seq, r.received_at\n"
            + "FROM reading r\n" + READING_WHERE + "ORDER BY r.time, r.sensor, r.quantity";

    static final List<String> AGGREGATE_COLUMNS;
    static final List<String> READING_COLUMNS = List.of("time", "sensor", "quantity", "unit", "value", "field",
            "country", "depth_top_cm", "depth_bottom_cm", "flags", "gateway", "seq", "received_at");

    static {
        List<String> columns = new ArrayList<>(List.of("level", "area", "name", "quantity", "unit", "resolution"));
        columns.addAll(SeriesPoint.CSV_HEADER);
        AGGREGATE_COLUMNS = List.copyOf(columns);
    }

    private final ReferenceData reference;
    private final DataSource dataSource;
    private final Clock clock;
    private final long maxRows;
    private final int maxDays;

    public ExportRoutes(ReferenceData reference, DataSource dataSource, Clock clock, long maxRows, int maxDays) {
        this.reference = reference;
        this.dataSource = dataSource;
        this.clock = clock;
        this.maxRows = maxRows;
        this.maxDays = maxDays;
    }

    public void aggregates(Context ctx) {
        ExportRequest request = ExportRequest.aggregates(ctx.queryParamMap(), clock, maxDays);
        if (request.area() != null && request.level() != Level.FIELD
                && reference.area(request.level(), request.area()).isEmpty()) {
            throw unknownArea(request.level(), request.area());
        }
        export(ctx, request, COUNT_AGGREGATES, AGGREGATES);
    }

    public void readings(Context ctx) {
        export(ctx, ExportRequest.readings(ctx.queryParamMap(), clock, maxDays), COUNT_READINGS, READINGS);
    }

    private void export(Context ctx, ExportRequest request, String countSql, String rowsSql) {
        try (Connection connection = dataSource.getConnection()) {
            // One snapshot for the count and the rows; a cursor (fetch size) needs a transaction.
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                if (request.area() != null && request.level() == Level.FIELD && !fieldExists(connection, request.area())) {
                    throw unknownArea(Level.FIELD, request.area());
                }
                long rows = count(connection, request, countSql);
                if (rows > maxRows) {
                    throw new ProblemException(ProblemType.EXPORT_TOO_LARGE, "This export has more than " + maxRows
                            + " rows, the most one answer holds; export a shorter range"
                            + (request.area() == null && !request.readings() ? " or one area (area=…)" : "")
                            + (request.readings() && request.quantity() == null ? " or one quantity" : "") + ".");
                }
                try (PreparedStatement statement = connection.prepareStatement(rowsSql)) {
                    statement.setFetchSize(FETCH_SIZE);
                    bind(statement, request);
                    try (ResultSet rs = statement.executeQuery()) {
                        stream(ctx, request, rs);
                    }
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot export " + request, e);
        }
    }

    private static boolean fieldExists(Connection connection, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM field WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    private long count(Connection connection, ExportRequest request, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = bind(statement, request);
            statement.setLong(next, maxRows + 1);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Binds the shared WHERE clause; returns the next parameter index. */
    private static int bind(PreparedStatement statement, ExportRequest request) throws SQLException {
        String quantity = request.quantity() == null ? null : request.quantity().id();
        if (request.readings()) {
            statement.setString(1, request.area());
            statement.setString(2, quantity);
            statement.setString(3, quantity);
            AggregateRows.setInstant(statement, 4, request.from());
            AggregateRows.setInstant(statement, 5, request.to());
            return 6;
        }
        statement.setString(1, request.level().id());
        statement.setString(2, quantity);
        statement.setString(3, request.resolution().id());
        AggregateRows.setInstant(statement, 4, request.resolution().bucketOf(request.from()));
        AggregateRows.setInstant(statement, 5, request.to());
        statement.setString(6, request.area());
        statement.setString(7, request.area());
        return 8;
    }

    private void stream(Context ctx, ExportRequest request, ResultSet rs) throws SQLException {
        ctx.contentType(request.format().mediaType());
        ctx.header(Header.CACHE_CONTROL, "no-store");
        ctx.header(Header.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName(request) + "\"");
        OutputStream out = ctx.outputStream();
        try {
            RowWriter writer = switch (request.format()) {
                case CSV -> new CsvRows(out);
                case NDJSON -> new JsonRows(out, false);
                case GEOJSON -> new JsonRows(out, true);
            };
            writer.begin(request.readings() ? READING_COLUMNS : AGGREGATE_COLUMNS);
            while (rs.next()) {
                if (request.readings()) {
                    writer.reading(rs);
                } else {
                    writer.aggregate(request, rs, name(request.level(), rs.getString("area")));
                }
            }
            writer.end();
        } catch (IOException | SQLException | RuntimeException e) {
            // The status line is out: no problem body can follow. Cut the answer so it reads as incomplete.
            LOG.warn("{} {}: export cut after it started: {}", ctx.method(), ctx.path(), e.toString());
            Streaming.abort(ctx, e);
        }
    }

    private String name(Level level, String code) {
        return level == Level.FIELD ? code : reference.area(level, code).map(Area::name).orElse(code);
    }

    private static ProblemException unknownArea(Level level, String area) {
        return new ProblemException(ProblemType.UNKNOWN_AREA, "There is no " + level.id() + " '" + area
                + "' (see /api/v1/areas).", level == Level.FIELD ? "field" : "area");
    }

    private static String fileName(ExportRequest request) {
        String what = request.readings()
                ? "readings-" + request.area() + (request.quantity() == null ? "" : "-" + request.quantity().id())
                : "aggregates-" + request.level().id() + (request.area() == null ? "" : "-" + request.area()) + "-"
                        + request.quantity().id() + "-" + request.resolution().id();
        return (what + "." + (request.format() == ExportRequest.Format.NDJSON ? "ndjson"
                : request.format() == ExportRequest.Format.GEOJSON ? "geojson" : "csv"))
                .replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** One output format, fed row by row. */
    private interface RowWriter {
        void begin(List<String> columns) throws IOException;

        void aggregate(ExportRequest request, ResultSet rs, String name) throws IOException, SQLException;

        void reading(ResultSet rs) throws IOException, SQLException;

        void end() throws IOException;
    }

    /** RFC 4180, CRLF line ends, a header row; flags as {@code G=12;D06=1} (aggregates), {@code G;D06} (readings). */
    private static final class CsvRows implements RowWriter {
        private final Writer out;

        CsvRows(OutputStream stream) {
            this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024);
        }

        @Override
        public void begin(List<String> columns) throws IOException {
            row(columns);
        }

        @Override
        public void aggregate(ExportRequest request, ResultSet rs, String name) throws IOException, SQLException {
            String area = rs.getString("area");
            Aggregate aggregate = AggregateRows.read(rs, request.level(), area, request.quantity(), request.resolution());
            List<String> fields = new ArrayList<>(AGGREGATE_COLUMNS.size());
            fields.addAll(Arrays.asList(request.level().id(), area, name, request.quantity().id(),
                    request.quantity().unit(), request.resolution().id()));
            fields.addAll(SeriesPoint.of(aggregate).csvRow());
            row(fields);
        }

        @Override
        public void reading(ResultSet rs) throws IOException, SQLException {
            String quantity = rs.getString("quantity");
            row(Arrays.asList(AggregateRows.instant(rs, "time").toString(), rs.getString("sensor"), quantity,
                    Quantity.byId(quantity).map(Quantity::unit).orElse(null), Double.toString(rs.getDouble("value")),
                    rs.getString("field"), rs.getString("country"), rs.getString("depth_top_cm"),
                    rs.getString("depth_bottom_cm"), String.join(";", flags(rs)), rs.getString("gateway"),
                    rs.getString("seq"), AggregateRows.instant(rs, "received_at").toString()));
        }

        @Override
        public void end() throws IOException {
            out.flush();
        }

        private void row(List<String> fields) throws IOException {
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(Csv.field(fields.get(i)));
            }
            out.write("\r\n");
        }
    }

    /** NDJSON (one object per line) or a GeoJSON FeatureCollection of the same objects as properties. */
    private final class JsonRows implements RowWriter {
        private final JsonGenerator json;
        private final boolean geo;
        private long rows;

        JsonRows(OutputStream stream, boolean geo) throws IOException {
            this.json = Json.mapper().getFactory().createGenerator(stream);
            // NDJSON: each value on its own line (RFC 7464's sibling, https://github.com/ndjson/ndjson-spec).
            json.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
            this.geo = geo;
        }

        @Override
        public void begin(List<String> columns) throws IOException {
            if (geo) {
                json.writeStartObject();
                json.writeStringField("type", "FeatureCollection");
                json.writeArrayFieldStart("features");
            }
        }

        @Override
        public void aggregate(ExportRequest request, ResultSet rs, String name) throws IOException, SQLException {
            String area = rs.getString("area");
            Aggregate aggregate = AggregateRows.read(rs, request.level(), area, request.quantity(), request.resolution());
            SeriesPoint point = SeriesPoint.of(aggregate);
            rows++;
            json.writeStartObject();
            if (geo) {
                json.writeStringField("type", "Feature");
                json.writeStringField("id", request.level().id() + "." + area + "." + point.bucket());
                json.writeFieldName("geometry");
                geometry(request.level(), area, rs);
                json.writeObjectFieldStart("properties");
            }
            json.writeStringField("level", request.level().id());
            json.writeStringField("area", area);
            json.writeStringField("name", name);
            json.writeStringField("quantity", request.quantity().id());
            json.writeStringField("unit", request.quantity().unit());
            json.writeStringField("resolution", request.resolution().id());
            json.writeStringField("bucket", point.bucket().toString());
            json.writeNumberField("count", point.count());
            number("mean", point.mean());
            number("value", point.value());
            number("min", point.min());
            number("max", point.max());
            number("stddev", point.stddev());
            json.writeNumberField("members", point.members());
            json.writeNumberField("area_ha", point.areaHa());
            json.writeNumberField("flagged", point.flagged());
            json.writeObjectFieldStart("flags");
            for (Map.Entry<String, Long> flag : point.flags().entrySet()) {
                json.writeNumberField(flag.getKey(), flag.getValue());
            }
            json.writeEndObject();
            if (geo) {
                json.writeEndObject();
            }
            json.writeEndObject();
        }

        @Override
        public void reading(ResultSet rs) throws IOException, SQLException {
            String quantity = rs.getString("quantity");
            rows++;
            json.writeStartObject();
            json.writeStringField("time", AggregateRows.instant(rs, "time").toString());
            json.writeStringField("sensor", rs.getString("sensor"));
            json.writeStringField("quantity", quantity);
            json.writeStringField("unit", Quantity.byId(quantity).map(Quantity::unit).orElse(null));
            json.writeNumberField("value", rs.getDouble("value"));
            json.writeStringField("field", rs.getString("field"));
            json.writeStringField("country", rs.getString("country"));
            json.writeNumberField("depth_top_cm", rs.getInt("depth_top_cm"));
            json.writeNumberField("depth_bottom_cm", rs.getInt("depth_bottom_cm"));
            json.writeArrayFieldStart("flags");
            for (String flag : flags(rs)) {
                json.writeString(flag);
            }
            json.writeEndArray();
            json.writeStringField("gateway", rs.getString("gateway"));
            json.writeNumberField("seq", rs.getLong("seq"));
            json.writeStringField("received_at", AggregateRows.instant(rs, "received_at").toString());
            json.writeEndObject();
        }

        @Override
        public void end() throws IOException {
            if (geo) {
                json.writeEndArray();
                json.writeEndObject();
            } else if (rows > 0) {
                json.writeRaw('\n');
            }
            json.close();
        }

        private void geometry(Level level, String area, ResultSet rs) throws IOException, SQLException {
            if (level == Level.FIELD) {
                double lon = rs.getDouble("lon");
                if (rs.wasNull()) {
                    json.writeNull();
                    return;
                }
                json.writeStartObject();
                json.writeStringField("type", "Point");
                json.writeArrayFieldStart("coordinates");
                json.writeNumber(lon);
                json.writeNumber(rs.getDouble("lat"));
                json.writeEndArray();
                json.writeEndObject();
                return;
            }
            String geometry = reference.displayGeoJson(level, area);
            if (geometry == null || geometry.isBlank()) {
                json.writeNull();
            } else {
                json.writeRawValue(geometry);
            }
        }

        private void number(String name, Double value) throws IOException {
            if (value == null) {
                json.writeNullField(name);
            } else {
                json.writeNumberField(name, value);
            }
        }
    }

    private static List<String> flags(ResultSet rs) throws SQLException {
        Array array = rs.getArray("flags");
        if (array == null) {
            return List.of();
        }
        try {
            return Arrays.asList((String[]) array.getArray());
        } finally {
            array.free();
        }
    }
}
