package org.soilobs.api.layers;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.soilobs.api.store.AggregateRows;
import org.soilobs.api.store.StoreException;
import org.soilobs.model.Aggregate;
import org.soilobs.model.Level;

/**
 * The latest bucket with good readings of every area of a layer, in one query. A newer bucket whose
 * readings were all flagged by quality control (frozen soil, a spike) has no value to draw, so the map
 * shows the last good one, with its bucket time.
 *
 * <p>Each area's latest row is found by a descending scan of the primary key (level, area, quantity,
 * resolution, bucket) that stops at the first row: a handful of index probes per area, however long the
 * history. {@code DISTINCT ON (area) … ORDER BY area, bucket DESC} would read and sort every bucket of
 * the layer instead.
 */
final class LayerRepository {

    private static final String LATEST_BY_AREA = "SELECT c.code, " + AggregateRows.columns("a") + "\n"
            + "FROM unnest(?::text[]) AS c(code)\n"
            + "CROSS JOIN LATERAL (\n"
            + "    SELECT * FROM aggregate\n"
            + "    WHERE level = ? AND area = c.code AND quantity = ? AND resolution = ? AND count > 0\n"
            + "    ORDER BY bucket DESC LIMIT 1) a";

    private static final String LATEST_BY_FIELD = "SELECT f.id, f.lon, f.lat, f.country, "
            + AggregateRows.columns("a") + "\n"
            + "FROM field f\n"
            + "LEFT JOIN LATERAL (\n"
            + "    SELECT * FROM aggregate\n"
            + "    WHERE level = 'field' AND area = f.id AND quantity = ? AND resolution = ? AND count > 0\n"
            + "    ORDER BY bucket DESC LIMIT 1) a ON true\n"
            + "ORDER BY f.id";

    private static final int FIELD_FETCH_SIZE = 1000;

    @FunctionalInterface
    interface FieldVisitor {
        void field(String id, double lon, double lat, String country, Aggregate latest);
    }

    private final DataSource dataSource;

    LayerRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The latest aggregate of each of {@code codes} that has one, by area code. */
    Map<String, Aggregate> latestByArea(LayerRequest request, List<String> codes) {
        Map<String, Aggregate> latest = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(LATEST_BY_AREA)) {
            Array array = connection.createArrayOf("text", codes.toArray());
            statement.setArray(1, array);
            statement.setString(2, request.level().id());
            statement.setString(3, request.quantity().id());
            statement.setString(4, request.resolution().id());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String code = rs.getString("code");
                    latest.put(code, AggregateRows.read(rs, request.level(), code, request.quantity(),
                            request.resolution()));
                }
            }
            array.free();
        } catch (SQLException e) {
            throw new StoreException("cannot read layer " + request, e);
        }
        return latest;
    }

    /** Every registered field in id order, with its latest aggregate or null; streamed through a cursor. */
    void forEachField(LayerRequest request, FieldVisitor visitor) {
        try (Connection connection = dataSource.getConnection()) {
            // A cursor (fetch size) needs a transaction; without one the driver reads all rows at once.
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (PreparedStatement statement = connection.prepareStatement(LATEST_BY_FIELD)) {
                statement.setFetchSize(FIELD_FETCH_SIZE);
                statement.setString(1, request.quantity().id());
                statement.setString(2, request.resolution().id());
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString("id");
                        visitor.field(id, rs.getDouble("lon"), rs.getDouble("lat"), rs.getString("country"),
                                AggregateRows.read(rs, Level.FIELD, id, request.quantity(), request.resolution()));
                    }
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read layer " + request, e);
        }
    }
}
