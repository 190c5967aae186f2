package org.soilobs.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Field;
import org.soilobs.model.Json;
import org.soilobs.model.Reading;
import org.soilobs.model.Sensor;
import org.soilobs.model.Stats;

/**
 * Writes one {@link Batch} in one transaction. Every statement is idempotent — readings insert
 * {@code ON CONFLICT DO NOTHING}, aggregates and registry entries upsert their full state — so a batch
 * replayed after a crash between the database commit and the offset commit changes nothing.
 *
 * <p>Readings and aggregates travel by binary {@code COPY} into temporary staging tables of the session
 * (emptied at every commit) and move on with one {@code INSERT … SELECT … ON CONFLICT} each: COPY is the
 * fastest way in, and the staging table gives it the conflict handling COPY lacks. Every level written
 * gets its {@code layer_version} bumped and a {@code NOTIFY layer_changed, '<level>'} in the same
 * transaction, so listeners hear of a change only once it is visible.
 */
final class BatchWriter {

    /** Rows buffered before they are streamed to the server, so that large batches need not fit twice. */
    private static final int STREAM_BYTES = 1 << 20;

    private static final String CREATE_STAGING = """
            CREATE TEMP TABLE IF NOT EXISTS reading_stage (
                time timestamptz, sensor text, quantity text, value float8, field text, country text, subregion text,
                region text, depth_top_cm int2, depth_bottom_cm int2, flags text[], gateway text, seq int8,
                received_at timestamptz) ON COMMIT DELETE ROWS;
            CREATE TEMP TABLE IF NOT EXISTS aggregate_stage (
                level text, area text, quantity text, resolution text, bucket timestamptz, count int8, sum float8,
                sum_sq float8, min float8, max float8, first_time timestamptz, last_time timestamptz, area_ha float8,
                area_weighted_sum float8, flags jsonb, members int4) ON COMMIT DELETE ROWS
            """;

    private static final String READING_COLUMNS = "time, sensor, quantity, value, field, country, subregion, region,"
            + " depth_top_cm, depth_bottom_cm, flags, gateway, seq, received_at";
    private static final int READING_COLUMN_COUNT = 14;

    private static final String COPY_READINGS = "COPY reading_stage (" + READING_COLUMNS + ") FROM STDIN (FORMAT binary)";

    private static final String INSERT_READINGS = "INSERT INTO reading (" + READING_COLUMNS + ") SELECT "
            + READING_COLUMNS + " FROM reading_stage ON CONFLICT (sensor, quantity, time) DO NOTHING";

    /**
     * Streams corrects a reading's flags when its successor shows it was a spike (docs/streams.md): the
     * correction carries D06, which a first version never does, so only it may overwrite the stored flags.
     */
    private static final String CORRECT_READINGS = "UPDATE reading r SET flags = s.flags FROM reading_stage s"
            + " WHERE r.sensor = s.sensor AND r.quantity = s.quantity AND r.time = s.time"
            + " AND 'D06' = ANY (s.flags) AND r.flags IS DISTINCT FROM s.flags";

    private static final String AGGREGATE_COLUMNS = "level, area, quantity, resolution, bucket, count, sum, sum_sq,"
            + " min, max, first_time, last_time, area_ha, area_weighted_sum, flags, members";
    private static final int AGGREGATE_COLUMN_COUNT = 16;

    private static final String COPY_AGGREGATES = "COPY aggregate_stage (" + AGGREGATE_COLUMNS
            + ") FROM STDIN (FORMAT binary)";

    private static final String UPSERT_AGGREGATES = "INSERT INTO aggregate (" + AGGREGATE_COLUMNS + ", updated_at)"
            + " SELECT " + AGGREGATE_COLUMNS + ", now() FROM aggregate_stage" + """

            ON CONFLICT (level, area, quantity, resolution, bucket) DO UPDATE SET
                count = EXCLUDED.count, sum = EXCLUDED.sum, sum_sq = EXCLUDED.sum_sq, min = EXCLUDED.min,
                max = EXCLUDED.max, first_time = EXCLUDED.first_time, last_time = EXCLUDED.last_time,
                area_ha = EXCLUDED.area_ha, area_weighted_sum = EXCLUDED.area_weighted_sum,
                flags = EXCLUDED.flags, members = EXCLUDED.members, updated_at = EXCLUDED.updated_at
            """;

    private static final String UPSERT_FIELD = """
            INSERT INTO field (id, lon, lat, area_ha, land_use, bulk_density, coarse_fraction, depth_cm,
                               country, subregion, region, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
            ON CONFLICT (id) DO UPDATE SET lon = EXCLUDED.lon, lat = EXCLUDED.lat, area_ha = EXCLUDED.area_ha,
                land_use = EXCLUDED.land_use, bulk_density = EXCLUDED.bulk_density,
                coarse_fraction = EXCLUDED.coarse_fraction, depth_cm = EXCLUDED.depth_cm,
                country = EXCLUDED.country, subregion = EXCLUDED.subregion, region = EXCLUDED.region,
                updated_at = EXCLUDED.updated_at
            """;

    private static final String UPSERT_SENSOR = """
            INSERT INTO sensor (id, gateway, field, model, updated_at) VALUES (?, ?, ?, ?, now())
            ON CONFLICT (id) DO UPDATE SET gateway = EXCLUDED.gateway, field = EXCLUDED.field,
                model = EXCLUDED.model, updated_at = EXCLUDED.updated_at
            """;

    private static final String BUMP_LAYERS = """
            WITH bumped AS (
                UPDATE layer_version SET version = version + 1, updated_at = now() WHERE level = ANY (?)
                RETURNING level)
            SELECT pg_notify('layer_changed', level) FROM bumped
            """;

    private final DataSource dataSource;
    /** Physical connections whose session already holds the staging tables. */
    private final Set<Object> staged = Collections.newSetFromMap(new WeakHashMap<>());
    private final PgBinaryRows rows = new PgBinaryRows();

    BatchWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void write(Batch batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            // In autocommit, so that a rolled-back batch cannot take the staging tables with it.
            prepareStaging(connection);
            connection.setAutoCommit(false);
            try {
                writeFields(connection, batch.fields);
                writeSensors(connection, batch.sensors);
                writeReadings(connection, batch.readings);
                Set<String> levels = writeAggregates(connection, batch.aggregates.values().stream()
                        .filter(Objects::nonNull).toList());
                levels.addAll(deleteAggregates(connection, batch.aggregates.entrySet().stream()
                        .filter(entry -> entry.getValue() == null).map(Map.Entry::getKey).toList()));
                if (!batch.fields.isEmpty()) {
                    levels.add("field");
                }
                ProgressWriter.write(connection, batch.progress);
                bumpLayers(connection, levels);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private void prepareStaging(Connection connection) throws SQLException {
        Object physical = connection.unwrap(PGConnection.class);
        if (staged.contains(physical)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_STAGING);
        }
        staged.add(physical);
    }

    private void writeReadings(Connection connection, List<EnrichedReading> readings) throws SQLException {
        if (readings.isEmpty()) {
            return;
        }
        CopyIn copy = copyManager(connection).copyIn(COPY_READINGS);
        try {
            rows.reset();
            for (EnrichedReading enriched : readings) {
                Reading reading = enriched.reading();
                rows.row(READING_COLUMN_COUNT)
                        .timestamptz(reading.time())
                        .text(reading.sensor())
                        .text(reading.quantity().id())
                        .float8(reading.value())
                        .text(reading.field())
                        .text(enriched.placement().country())
                        .text(enriched.placement().subregion())
                        .text(enriched.placement().region())
                        .int2(reading.depthTopCm())
                        .int2(reading.depthBottomCm())
                        .textArray(enriched.flags())
                        .text(reading.gateway())
                        .int8(reading.seq())
                        .timestamptz(reading.receivedAt());
                streamIfFull(copy);
            }
            endCopy(copy);
        } finally {
            cancelIfActive(copy);
        }
        try (Statement insert = connection.createStatement()) {
            insert.executeUpdate(INSERT_READINGS);
            insert.executeUpdate(CORRECT_READINGS);
        }
    }

    private Set<String> writeAggregates(Connection connection, Collection<Aggregate> aggregates) throws SQLException {
        Set<String> levels = new TreeSet<>();
        if (aggregates.isEmpty()) {
            return levels;
        }
        CopyIn copy = copyManager(connection).copyIn(COPY_AGGREGATES);
        try {
            rows.reset();
            for (Aggregate aggregate : aggregates) {
                Stats stats = aggregate.stats();
                AggregateKey key = aggregate.key();
                rows.row(AGGREGATE_COLUMN_COUNT)
                        .text(key.level().id())
                        .text(key.area())
                        .text(key.quantity().id())
                        .text(key.resolution().id())
                        .timestamptz(key.bucket())
                        .int8(stats.count())
                        .float8(stats.sum())
                        .float8(stats.sumSq())
                        .float8(stats.min())
                        .float8(stats.max())
                        .timestamptz(stats.first())
                        .timestamptz(stats.last())
                        .float8(stats.areaHa())
                        .float8(stats.areaWeightedSum())
                        .jsonb(flagsJson(stats.flags()))
                        .int4(aggregate.members());
                levels.add(key.level().id());
                streamIfFull(copy);
            }
            endCopy(copy);
        } finally {
            cancelIfActive(copy);
        }
        try (Statement upsert = connection.createStatement()) {
            upsert.executeUpdate(UPSERT_AGGREGATES);
        }
        return levels;
    }

    private void streamIfFull(CopyIn copy) throws SQLException {
        if (rows.length() >= STREAM_BYTES) {
            copy.writeToCopy(rows.array(), 0, rows.length());
            rows.drained();
        }
    }

    private void endCopy(CopyIn copy) throws SQLException {
        rows.finish();
        copy.writeToCopy(rows.array(), 0, rows.length());
        rows.drained();
        copy.endCopy();
    }

    /** A COPY left open by an exception would leave the connection unusable for the rollback. */
    private static void cancelIfActive(CopyIn copy) throws SQLException {
        if (copy.isActive()) {
            copy.cancelCopy();
        }
    }

    private static CopyManager copyManager(Connection connection) throws SQLException {
        return connection.unwrap(PGConnection.class).getCopyAPI();
    }

    private static Set<String> deleteAggregates(Connection connection, List<AggregateKey> keys) throws SQLException {
        Set<String> levels = new TreeSet<>();
        if (keys.isEmpty()) {
            return levels;
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM aggregate WHERE level = ? AND area = ? AND quantity = ? AND resolution = ? AND bucket = ?")) {
            for (AggregateKey key : keys) {
                delete.setString(1, key.level().id());
                delete.setString(2, key.area());
                delete.setString(3, key.quantity().id());
                delete.setString(4, key.resolution().id());
                delete.setTimestamp(5, Timestamp.from(key.bucket()));
                delete.addBatch();
                levels.add(key.level().id());
            }
            delete.executeBatch();
        }
        return levels;
    }

    private static void writeFields(Connection connection, Map<String, Field> fields) throws SQLException {
        if (fields.isEmpty()) {
            return;
        }
        List<String> removed = new ArrayList<>();
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_FIELD)) {
            for (Map.Entry<String, Field> entry : fields.entrySet()) {
                Field field = entry.getValue();
                if (field == null) {
                    removed.add(entry.getKey());
                    continue;
                }
                upsert.setString(1, field.id());
                upsert.setDouble(2, field.lon());
                upsert.setDouble(3, field.lat());
                upsert.setDouble(4, field.areaHa());
                upsert.setString(5, field.landUse());
                upsert.setDouble(6, field.bulkDensity());
                upsert.setDouble(7, field.coarseFraction());
                upsert.setInt(8, field.depthCm());
                upsert.setString(9, field.placement().country());
                upsert.setString(10, field.placement().subregion());
                upsert.setString(11, field.placement().region());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
        deleteByIds(connection, "field", removed);
    }

    private static void writeSensors(Connection connection, Map<String, Sensor> sensors) throws SQLException {
        if (sensors.isEmpty()) {
            return;
        }
        List<String> removed = new ArrayList<>();
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_SENSOR)) {
            for (Map.Entry<String, Sensor> entry : sensors.entrySet()) {
                Sensor sensor = entry.getValue();
                if (sensor == null) {
                    removed.add(entry.getKey());
                    continue;
                }
                upsert.setString(1, sensor.id());
                upsert.setString(2, sensor.gateway());
                upsert.setString(3, sensor.field());
                upsert.setString(4, sensor.model());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
        deleteByIds(connection, "sensor", removed);
    }

    private static void deleteByIds(Connection connection, String table, List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE id = ANY (?)")) {
            delete.setArray(1, connection.createArrayOf("text", ids.toArray()));
            delete.executeUpdate();
        }
    }

    private static void bumpLayers(Connection connection, Set<String> levels) throws SQLException {
        if (levels.isEmpty()) {
            return;
        }
        try (PreparedStatement bump = connection.prepareStatement(BUMP_LAYERS)) {
            bump.setArray(1, connection.createArrayOf("text", levels.toArray()));
            bump.executeQuery().close();
        }
    }

    private static String flagsJson(Map<String, Long> flags) {
        try {
            return Json.mapper().writeValueAsString(flags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("flag counts are always serialisable", e);
        }
    }
}
