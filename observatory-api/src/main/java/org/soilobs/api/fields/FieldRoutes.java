package org.soilobs.api.fields;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.soilobs.api.http.MediaTypes;
import org.soilobs.api.http.QueryParams;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.api.problem.ProblemType;
import org.soilobs.api.series.SeriesPoint;
import org.soilobs.api.store.AggregateRows;
import org.soilobs.api.store.StoreException;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;

/**
 * {@code GET /api/v1/fields/{id}}: what the map's field popup shows. Each quantity's latest reading and
 * its last daily buckets are found by a descending index scan that stops early
 * ({@code unnest(quantities) CROSS JOIN LATERAL (… ORDER BY … DESC LIMIT n)}), so the cost does not grow
 * with the field's history. One connection, three queries.
 */
public final class FieldRoutes {

    public static final String PATH = "/api/v1/fields/{id}";
    static final int DAILY_POINTS = 30;

    private static final String FIELD = "SELECT id, lon, lat, area_ha, land_use, depth_cm, country, subregion, region "
            + "FROM field WHERE id = ?";
    private static final String LATEST = "SELECT q.quantity, r.time, r.value, r.sensor, r.flags\n"
            + "FROM unnest(?::text[]) AS q(quantity)\n"
            + "CROSS JOIN LATERAL (\n"
            + "    SELECT time, value, sensor, flags FROM reading\n"
            + "    WHERE field = ? AND quantity = q.quantity ORDER BY time DESC LIMIT 1) r\n"
            + "ORDER BY q.quantity";
    private static final String DAILY = "SELECT q.quantity, " + AggregateRows.columns("a") + "\n"
            + "FROM unnest(?::text[]) AS q(quantity)\n"
            + "CROSS JOIN LATERAL (\n"
            + "    SELECT * FROM aggregate\n"
            + "    WHERE level = 'field' AND area = ? AND quantity = q.quantity AND resolution = 'P1D'\n"
            + "    ORDER BY bucket DESC LIMIT " + DAILY_POINTS + ") a\n"
            + "ORDER BY q.quantity, a.bucket";

    private final DataSource dataSource;

    public FieldRoutes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void get(Context ctx) {
        QueryParams.of(ctx.queryParamMap(), Set.of());
        String id = ctx.pathParam("id");
        FieldDetail detail = read(id);
        ctx.contentType(MediaTypes.JSON);
        try {
            ctx.result(Json.mapper().writeValueAsBytes(detail));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FieldDetail read(String id) {
        String[] quantities = Arrays.stream(Quantity.values()).map(Quantity::id).toArray(String[]::new);
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            FieldDetail field;
            try (PreparedStatement statement = connection.prepareStatement(FIELD)) {
                statement.setString(1, id);
                try (ResultSet rs = statement.executeQuery()) {
                    if (!rs.next()) {
                        throw new ProblemException(ProblemType.UNKNOWN_AREA,
                                "No registered field '" + QueryParams.echo(id) + "'.");
                    }
                    field = new FieldDetail(rs.getString("id"), rs.getDouble("lon"), rs.getDouble("lat"),
                            rs.getDouble("area_ha"), rs.getString("land_use"), rs.getInt("depth_cm"),
                            rs.getString("country"), rs.getString("subregion"), rs.getString("region"),
                            List.of(), Map.of());
                }
            }
            List<FieldDetail.LatestReading> latest = new ArrayList<>();
            Array array = connection.createArrayOf("text", quantities);
            try (PreparedStatement statement = connection.prepareStatement(LATEST)) {
                statement.setArray(1, array);
                statement.setString(2, id);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        Quantity quantity = Quantity.fromId(rs.getString("quantity"));
                        Array flags = rs.getArray("flags");
                        latest.add(new FieldDetail.LatestReading(quantity.id(), quantity.unit(),
                                AggregateRows.instant(rs, "time"), rs.getDouble("value"), rs.getString("sensor"),
                                flags == null ? List.of() : Arrays.asList((String[]) flags.getArray())));
                    }
                }
            }
            Map<String, List<SeriesPoint>> daily = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(DAILY)) {
                statement.setArray(1, array);
                statement.setString(2, id);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        Quantity quantity = Quantity.fromId(rs.getString("quantity"));
                        daily.computeIfAbsent(quantity.id(), key -> new ArrayList<>()).add(SeriesPoint.of(
                                AggregateRows.read(rs, Level.FIELD, id, quantity, Resolution.DAY)));
                    }
                }
            }
            array.free();
            daily.replaceAll((quantity, points) -> Collections.unmodifiableList(points));
            return new FieldDetail(field.id(), field.lon(), field.lat(), field.areaHa(), field.landUse(),
                    field.depthCm(), field.country(), field.subregion(), field.region(), List.copyOf(latest), daily);
        } catch (SQLException e) {
            throw new StoreException("cannot read field " + id, e);
        }
    }
}
