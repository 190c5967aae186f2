package org.soilobs.api.layers;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
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
 * the layer instead. A layer at one bucket ({@code time=}) reads that bucket of each area, by primary key.
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

    private static final String AREAS_AT_BUCKET = "SELECT a.area AS code, " + AggregateRows.columns("a") + "\n"
            + "FROM aggregate a\n"
            + "WHERE a.level = ? AND a.area = ANY (?::text[]) AND a.quantity = ? AND a.resolution = ? AND a.bucket = ?\n"
            + "  AND a.count > 0";

    private static final String FIELDS_AT_BUCKET = "SELECT f.id, f.lon, f.lat, f.country, "
            + AggregateRows.columns("a") + "\n"
            + "FROM field f\n"
            + "LEFT JOIN aggregate a ON a.level = 'field' AND a.area = f.id AND a.quantity = ? AND a.resolution = ?\n"
            + "    AND a.bucket = ? AND a.count > 0\n"
            + "ORDER BY f.id";

    private static final String BUCKET_RANGE = "SELECT min(bucket) AS first, max(bucket) AS last FROM aggregate\n"
            + "WHERE level = ? AND quantity = ? AND resolution = ? AND count > 0";

    private static final int FIELD_FETCH_SIZE = 1000;

    /** The first and last bucket with good readings of a layer; both null when it has none. */
    record BucketRange(Instant first, Instant last) {
    }

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
        boolean at = request.bucket() != null;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(at ? AREAS_AT_BUCKET : LATEST_BY_AREA)) {
            Array array = connection.createArrayOf("text", codes.toArray());
            statement.setString(at ? 1 : 2, request.level().id());
            statement.setArray(at ? 2 : 1, array);
            statement.setString(3, request.quantity().id());
            statement.setString(4, request.resolution().id());
            if (at) {
                AggregateRows.setInstant(statement, 5, request.bucket());
            }
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

    /** The buckets a layer has data for; one index probe at each end. */
    BucketRange bucketRange(LayerRequest request) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(BUCKET_RANGE)) {
            statement.setString(1, request.level().id());
            statement.setString(2, request.quantity().id());
            statement.setString(3, request.resolution().id());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new BucketRange(AggregateRows.instant(rs, "first"), AggregateRows.instant(rs, "last"));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the buckets of layer " + request, e);
        }
    }

    /** Every registered field in id order, with its latest aggregate or null; streamed through a cursor. */
    void forEachField(LayerRequest request, FieldVisitor visitor) {
        try (Connection connection = dataSource.getConnection()) {
            // A cursor (fetch size) needs a transaction; without one the driver reads all rows at once.
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            boolean at = request.bucket() != null;
            try (PreparedStatement statement = connection.prepareStatement(at ? FIELDS_AT_BUCKET : LATEST_BY_FIELD)) {
                statement.setFetchSize(FIELD_FETCH_SIZE);
                statement.setString(1, request.quantity().id());
                statement.setString(2, request.resolution().id());
                if (at) {
                    AggregateRows.setInstant(statement, 3, request.bucket());
                }
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
