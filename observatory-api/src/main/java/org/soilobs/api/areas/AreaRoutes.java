package org.soilobs.api.areas;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.soilobs.api.http.MediaTypes;
import org.soilobs.api.http.QueryParams;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.api.problem.ProblemType;
import org.soilobs.api.store.StoreException;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.reference.Area;
import org.soilobs.reference.ReferenceData;

/**
 * {@code GET /api/v1/areas}: without parameters, the hierarchy world → regions → sub-regions → countries,
 * each area with its number of registered fields. With {@code level=} (and optionally {@code parent=}),
 * the flat list of that level's areas; {@code level=field} lists registered fields with their place,
 * size and land use, {@code parent=} then being a country code.
 */
public final class AreaRoutes {

    public static final String PATH = "/api/v1/areas";
    private static final Set<String> PARAMETERS = Set.of("level", "parent");

    private final ReferenceData reference;
    private final DataSource dataSource;
    private final AreaHierarchy hierarchy;

    public AreaRoutes(ReferenceData reference, DataSource dataSource) {
        this.reference = reference;
        this.dataSource = dataSource;
        this.hierarchy = new AreaHierarchy(reference);
    }

    public void get(Context ctx) {
        QueryParams params = QueryParams.of(ctx.queryParamMap(), PARAMETERS);
        Optional<String> levelParam = params.optional("level");
        Optional<String> parent = params.optional("parent");
        Object body;
        if (levelParam.isEmpty()) {
            if (parent.isPresent()) {
                throw new ProblemException(ProblemType.MISSING_PARAMETER,
                        "'parent' filters the flat list of one level and needs 'level', e.g. level=country&parent=155.",
                        "level");
            }
            body = hierarchy.tree(fieldsByCountry());
        } else {
            Level level = QueryParams.parseLevel(levelParam.get(), "level", ProblemType.UNKNOWN_LEVEL);
            body = level == Level.FIELD ? new AreaList(level, parent.orElse(null), fields(parent))
                    : new AreaList(level, parent.orElse(null), referenceAreas(level, parent));
        }
        ctx.contentType(MediaTypes.JSON);
        ctx.result(json(body));
    }

    private List<AreaEntry> referenceAreas(Level level, Optional<String> parent) {
        List<AreaEntry> entries = new ArrayList<>();
        for (Area area : reference.areas(level)) {
            if (parent.isEmpty() || parent.get().equals(area.parentCode())) {
                entries.add(AreaEntry.area(area.code(), area.name(), area.parentCode()));
            }
        }
        entries.sort(Comparator.comparing(AreaEntry::code));
        return entries;
    }

    private List<AreaEntry> fields(Optional<String> country) {
        String sql = "SELECT id, lon, lat, area_ha, land_use, country FROM field"
                + (country.isPresent() ? " WHERE country = ?" : "") + " ORDER BY id";
        List<AreaEntry> entries = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            if (country.isPresent()) {
                statement.setString(1, country.get().toUpperCase(Locale.ROOT));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString("id");
                    entries.add(new AreaEntry(id, id, rs.getString("country"), rs.getDouble("lon"),
                            rs.getDouble("lat"), rs.getDouble("area_ha"), rs.getString("land_use")));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot list fields", e);
        }
        return entries;
    }

    private Map<String, Long> fieldsByCountry() {
        Map<String, Long> counts = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT country, count(*) FROM field GROUP BY country");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot count fields", e);
        }
        return counts;
    }

    private static byte[] json(Object body) {
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
