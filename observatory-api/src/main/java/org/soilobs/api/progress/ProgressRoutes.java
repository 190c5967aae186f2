package org.soilobs.api.progress;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.soilobs.api.http.EntityTags;
import org.soilobs.api.http.MediaTypes;
import org.soilobs.api.http.QueryParams;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.api.problem.ProblemType;
import org.soilobs.api.store.StoreException;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.model.Progress;
import org.soilobs.reference.Area;
import org.soilobs.reference.ReferenceData;

/**
 * {@code GET /api/v1/progress?level=…[&area=…]}: progress towards "4 per 1000" per area (docs/api.md,
 * docs/science.md), from the {@code progress} table the sink fills from {@code soil.progress}. Areas are
 * ranked by rate, highest first, those without a rate last.
 *
 * <p>The strong {@code ETag} is a digest of the body, so it changes exactly when the answer does; with
 * {@code Cache-Control: no-cache} a client revalidates every time and gets a 304 while nothing changed.
 */
public final class ProgressRoutes {

    public static final String PATH = "/api/v1/progress";
    private static final Set<String> PARAMETERS = Set.of("level", "area");
    private static final String COLUMNS = "area, as_of, status, rate, rate_low, rate_high, stock_t, baseline_stock_t,"
            + " delta_t_per_year, area_ha, fields, fields_with_trend, fields_on_track, fields_not_on_track,"
            + " fields_losing, fields_insufficient";
    private static final String BY_LEVEL = "SELECT " + COLUMNS + " FROM progress WHERE level = ?"
            + " ORDER BY rate DESC NULLS LAST, area";
    private static final String BY_AREA = "SELECT " + COLUMNS + " FROM progress WHERE level = ? AND area = ?";

    private final ReferenceData reference;
    private final DataSource dataSource;

    public ProgressRoutes(ReferenceData reference, DataSource dataSource) {
        this.reference = reference;
        this.dataSource = dataSource;
    }

    public void get(Context ctx) {
        QueryParams params = QueryParams.of(ctx.queryParamMap(), PARAMETERS);
        Level level = params.optional("level")
                .map(raw -> QueryParams.parseLevel(raw, "level", ProblemType.UNKNOWN_LEVEL))
                .orElse(Level.COUNTRY);
        Optional<String> area = params.optional("area").map(code -> normalise(level, code));
        area.ifPresent(code -> requireKnown(level, code));

        List<Map<String, Object>> areas = query(level, area);
        if (area.isPresent() && areas.isEmpty()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No field of " + level.id() + " '" + area.get()
                    + "' has a SOC stock yet, so it has no progress towards 4 per 1000.", "area");
        }
        byte[] body = json(body(level, areas));
        String etag = EntityTags.strong("progress-" + digest(body));
        ctx.header(Header.CACHE_CONTROL, "no-cache");
        ctx.header(Header.ETAG, etag);
        if (EntityTags.matches(ctx.header(Header.IF_NONE_MATCH), etag)) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(MediaTypes.JSON);
        ctx.result(body);
    }

    private static String normalise(Level level, String code) {
        return level == Level.COUNTRY ? code.toUpperCase(Locale.ROOT) : code;
    }

    /** A field is known once it has progress; an area above must be one of the reference areas. */
    private void requireKnown(Level level, String code) {
        if (level == Level.FIELD || reference.area(level, code).isPresent()) {
            return;
        }
        String hint = switch (level) {
            case COUNTRY -> "an ISO 3166-1 alpha-3 code, e.g. FRA";
            case SUBREGION -> "a UN M49 sub-region code, e.g. 155";
            case REGION -> "a UN M49 region code, e.g. 150";
            case WORLD -> "001";
            case FIELD -> "a registered field id";
        };
        throw new ProblemException(ProblemType.UNKNOWN_AREA,
                "There is no " + level.id() + " '" + code + "'; use " + hint + " (see /api/v1/areas).", "area");
    }

    private List<Map<String, Object>> query(Level level, Optional<String> area) {
        List<Map<String, Object>> areas = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(area.isPresent() ? BY_AREA : BY_LEVEL)) {
            statement.setString(1, level.id());
            if (area.isPresent()) {
                statement.setString(2, area.get());
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    areas.add(entry(level, rs));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read progress", e);
        }
        return areas;
    }

    private Map<String, Object> entry(Level level, ResultSet rs) throws SQLException {
        String code = rs.getString("area");
        int fields = rs.getInt("fields");
        int withTrend = rs.getInt("fields_with_trend");
        double stock = rs.getDouble("stock_t");
        double areaHa = rs.getDouble("area_ha");
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("level", level.id());
        entry.put("code", code);
        entry.put("name", level == Level.FIELD ? code : reference.area(level, code).map(Area::name).orElse(code));
        entry.put("rate", nullableDouble(rs, "rate"));
        entry.put("rate_low", nullableDouble(rs, "rate_low"));
        entry.put("rate_high", nullableDouble(rs, "rate_high"));
        entry.put("status", rs.getString("status"));
        entry.put("stock_t", stock);
        entry.put("baseline_stock_t", rs.getDouble("baseline_stock_t"));
        entry.put("delta_t_per_year", rs.getDouble("delta_t_per_year"));
        entry.put("stock_density_t_ha", stock / areaHa);
        entry.put("area_ha", areaHa);
        entry.put("fields", fields);
        entry.put("fields_with_trend", withTrend);
        Map<String, Integer> byStatus = new LinkedHashMap<>();
        byStatus.put(Progress.Status.ON_TRACK.id(), rs.getInt("fields_on_track"));
        byStatus.put(Progress.Status.NOT_ON_TRACK.id(), rs.getInt("fields_not_on_track"));
        byStatus.put(Progress.Status.LOSING.id(), rs.getInt("fields_losing"));
        byStatus.put(Progress.Status.INSUFFICIENT_DATA.id(), rs.getInt("fields_insufficient"));
        entry.put("fields_by_status", byStatus);
        entry.put("coverage", (double) withTrend / fields);
        entry.put("as_of", rs.getTimestamp("as_of").toInstant());
        return entry;
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    /** {@code as_of} of the response is the latest of its areas'; each area's own stays internal. */
    private static Map<String, Object> body(Level level, List<Map<String, Object>> areas) {
        Instant asOf = null;
        for (Map<String, Object> area : areas) {
            Instant own = (Instant) area.remove("as_of");
            asOf = asOf == null || own.isAfter(asOf) ? own : asOf;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("level", level.id());
        body.put("target_rate", Progress.TARGET_RATE);
        body.put("as_of", asOf == null ? null : asOf.toString());
        body.put("areas", areas);
        return body;
    }

    private static byte[] json(Object body) {
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
