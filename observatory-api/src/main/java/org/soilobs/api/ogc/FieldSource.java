package org.soilobs.api.ogc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.locationtech.jts.geom.Envelope;
import org.soilobs.api.store.StoreException;

/**
 * The registered fields (table {@code field}) as points, filtered and paged by the database. Fields are
 * timeless here: {@code datetime} does not filter them.
 */
final class FieldSource implements FeatureSource {

    private static final String COLUMNS = "id, lon, lat, area_ha, land_use, depth_cm, country, subregion, region";
    // Two longitude ranges, so that a box across the antimeridian is one query; the second is empty otherwise.
    private static final String WHERE = "WHERE lat BETWEEN ? AND ? AND (lon BETWEEN ? AND ? OR lon BETWEEN ? AND ?)";

    private final DataSource dataSource;

    FieldSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Page items(ItemsQuery query) {
        double[] box = bounds(query);
        try (Connection connection = dataSource.getConnection()) {
            long matched;
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM field " + WHERE)) {
                bind(count, box);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    matched = rs.getLong(1);
                }
            }
            List<OgcFeature> features = new ArrayList<>();
            try (PreparedStatement page = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM field " + WHERE + " ORDER BY id LIMIT ? OFFSET ?")) {
                bind(page, box);
                page.setInt(7, query.limit());
                page.setLong(8, query.offset());
                try (ResultSet rs = page.executeQuery()) {
                    while (rs.next()) {
                        features.add(feature(rs));
                    }
                }
            }
            return new Page(features, matched);
        } catch (SQLException e) {
            throw new StoreException("cannot read the fields", e);
        }
    }

    @Override
    public Optional<OgcFeature> item(String id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT " + COLUMNS + " FROM field WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(feature(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read field " + id, e);
        }
    }

    static String point(double lon, double lat) {
        return "{\"type\":\"Point\",\"coordinates\":[" + lon + "," + lat + "]}";
    }

    private static OgcFeature feature(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("code", id);
        properties.put("area_ha", rs.getDouble("area_ha"));
        properties.put("land_use", rs.getString("land_use"));
        properties.put("depth_cm", rs.getInt("depth_cm"));
        properties.put("country", rs.getString("country"));
        properties.put("subregion", rs.getString("subregion"));
        properties.put("region", rs.getString("region"));
        return new OgcFeature(id, point(rs.getDouble("lon"), rs.getDouble("lat")), properties);
    }

    /** south, north, then two longitude ranges. */
    private static double[] bounds(ItemsQuery query) {
        if (query.bbox().isEmpty()) {
            return new double[] {-90, 90, -180, 180, 1, 0};
        }
        List<Envelope> envelopes = query.bbox().get().envelopes();
        Envelope first = envelopes.get(0);
        boolean split = envelopes.size() > 1;
        return new double[] {first.getMinY(), first.getMaxY(), first.getMinX(), first.getMaxX(),
                split ? envelopes.get(1).getMinX() : 1, split ? envelopes.get(1).getMaxX() : 0};
    }

    private static void bind(PreparedStatement statement, double[] box) throws SQLException {
        for (int i = 0; i < box.length; i++) {
            statement.setDouble(i + 1, box[i]);
        }
    }
}
