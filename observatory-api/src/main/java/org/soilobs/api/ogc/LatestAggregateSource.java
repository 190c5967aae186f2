package org.soilobs.api.ogc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.locationtech.jts.geom.Geometry;
import org.soilobs.api.store.AggregateRows;
import org.soilobs.api.store.Measures;
import org.soilobs.api.store.StoreException;
import org.soilobs.model.Aggregate;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;
import org.soilobs.reference.Area;
import org.soilobs.reference.ReferenceData;

/**
 * The latest bucket of every area, quantity and resolution (table {@code aggregate}): one feature each,
 * with the area's display geometry (a point for a field). {@code datetime} selects buckets before the
 * latest is taken, so {@code datetime=../2025-06-01T00:00:00Z} answers "the latest as of then". The id
 * is {@code level.area.quantity.resolution}, e.g. {@code country.FRA.vwc.PT1H}.
 *
 * <p>Every matching row is read and the bbox applied in memory: the collection has a few rows per area,
 * one query per page, and an analyst's request rate, not a map's.
 */
final class LatestAggregateSource implements FeatureSource {

    private static final String SELECT = "SELECT DISTINCT ON (a.level, a.area, a.quantity, a.resolution) "
            + "a.level, a.area, a.quantity, a.resolution, f.lon, f.lat, " + AggregateRows.columns("a") + "\n"
            + "FROM aggregate a LEFT JOIN field f ON a.level = 'field' AND f.id = a.area\n";
    private static final String ORDER = "ORDER BY a.level, a.area, a.quantity, a.resolution, a.bucket DESC";
    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final DataSource dataSource;
    private final ReferenceData reference;

    LatestAggregateSource(DataSource dataSource, ReferenceData reference) {
        this.dataSource = dataSource;
        this.reference = reference;
    }

    @Override
    public Page items(ItemsQuery query) {
        List<OgcFeature> matched = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        SELECT + "WHERE a.bucket BETWEEN ? AND ?\n" + ORDER)) {
            TimeInterval datetime = query.datetime();
            AggregateRows.setInstant(statement, 1, datetime.start() == null ? EARLIEST : datetime.start());
            AggregateRows.setInstant(statement, 2, datetime.end() == null ? LATEST : datetime.end());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    feature(rs, query.bbox()).ifPresent(matched::add);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the latest aggregates", e);
        }
        return AreaSource.page(matched, query);
    }

    @Override
    public Optional<OgcFeature> item(String id) {
        String[] parts = id.split("\\.");
        if (parts.length < 4) {
            return Optional.empty();
        }
        String area = String.join(".", Arrays.copyOfRange(parts, 1, parts.length - 2));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(SELECT
                        + "WHERE a.level = ? AND a.area = ? AND a.quantity = ? AND a.resolution = ?\n" + ORDER)) {
            statement.setString(1, parts[0]);
            statement.setString(2, area);
            statement.setString(3, parts[parts.length - 2]);
            statement.setString(4, parts[parts.length - 1]);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? feature(rs, Optional.empty()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read aggregate " + id, e);
        }
    }

    /** Empty for a row outside the bbox, or of a level, quantity or area this build does not know. */
    private Optional<OgcFeature> feature(ResultSet rs, Optional<Bbox> bbox) throws SQLException {
        Optional<Level> level = Level.byId(rs.getString("level"));
        Optional<Quantity> quantity = Quantity.byId(rs.getString("quantity"));
        Optional<Resolution> resolution = Resolution.byId(rs.getString("resolution"));
        if (level.isEmpty() || quantity.isEmpty() || resolution.isEmpty()) {
            return Optional.empty();
        }
        String area = rs.getString("area");
        String name;
        String geometry;
        if (level.get() == Level.FIELD) {
            double lon = rs.getDouble("lon");
            if (rs.wasNull()) {
                return Optional.empty();
            }
            double lat = rs.getDouble("lat");
            if (bbox.isPresent() && !bbox.get().contains(lon, lat)) {
                return Optional.empty();
            }
            name = area;
            geometry = FieldSource.point(lon, lat);
        } else {
            Optional<Area> known = reference.area(level.get(), area);
            if (known.isEmpty()) {
                return Optional.empty();
            }
            Geometry boundary = reference.geometry(level.get(), known.get().code());
            if (bbox.isPresent() && !bbox.get().intersects(boundary)) {
                return Optional.empty();
            }
            name = known.get().name();
            geometry = reference.displayGeoJson(level.get(), known.get().code());
        }
        Aggregate aggregate = AggregateRows.read(rs, level.get(), area, quantity.get(), resolution.get());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("level", level.get().id());
        properties.put("area", area);
        properties.put("name", name);
        properties.put("quantity", quantity.get().id());
        properties.put("unit", quantity.get().unit());
        properties.put("resolution", resolution.get().id());
        properties.put("bucket", aggregate.key().bucket().toString());
        properties.put("value", Measures.value(aggregate));
        properties.put("mean", Measures.mean(aggregate));
        properties.put("stddev", Measures.stddev(aggregate));
        properties.put("count", aggregate.stats().count());
        properties.put("min", aggregate.stats().min());
        properties.put("max", aggregate.stats().max());
        properties.put("members", aggregate.members());
        properties.put("area_ha", aggregate.stats().areaHa());
        properties.put("flagged", aggregate.stats().flaggedTotal());
        String id = level.get().id() + "." + area + "." + quantity.get().id() + "." + resolution.get().id();
        return Optional.of(new OgcFeature(id, geometry, properties));
    }
}
