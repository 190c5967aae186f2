package org.soilobs.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
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
 * <p>Rows travel as arrays and are expanded with {@code unnest}: one round trip per table and batch.
 */
final class BatchWriter {

    private static final String INSERT_READINGS = """
            INSERT INTO reading (time, sensor, quantity, value, field, country, subregion, region,
                                 depth_top_cm, depth_bottom_cm, flags, gateway, seq, received_at)
            SELECT r.time, r.sensor, r.quantity, r.value, r.field, r.country, r.subregion, r.region,
                   r.top, r.bottom, string_to_array(r.flags, ','), r.gateway, r.seq, r.received_at
            FROM unnest(?::timestamptz[], ?::text[], ?::text[], ?::float8[], ?::text[], ?::text[], ?::text[],
                        ?::text[], ?::int2[], ?::int2[], ?::text[], ?::text[], ?::int8[], ?::timestamptz[])
                 AS r(time, sensor, quantity, value, field, country, subregion, region, top, bottom, flags,
                      gateway, seq, received_at)
            ON CONFLICT (sensor, quantity, time) DO NOTHING
            """;

    private static final String UPSERT_AGGREGATES = """
            INSERT INTO aggregate (level, area, quantity, resolution, bucket, count, sum, sum_sq, min, max,
                                   first_time, last_time, area_ha, area_weighted_sum, flags, members, updated_at)
            SELECT a.level, a.area, a.quantity, a.resolution, a.bucket, a.count, a.sum, a.sum_sq, a.min, a.max,
                   a.first_time, a.last_time, a.area_ha, a.area_weighted_sum, a.flags::jsonb, a.members, now()
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::int8[], ?::float8[],
                        ?::float8[], ?::float8[], ?::float8[], ?::timestamptz[], ?::timestamptz[], ?::float8[],
                        ?::float8[], ?::text[], ?::int4[])
                 AS a(level, area, quantity, resolution, bucket, count, sum, sum_sq, min, max, first_time,
                      last_time, area_ha, area_weighted_sum, flags, members)
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

    private static final String BUMP_LAYERS =
            "UPDATE layer_version SET version = version + 1, updated_at = now() WHERE level = ANY (?)";

    private final DataSource dataSource;

    BatchWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void write(Batch batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
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
                bumpLayers(connection, levels);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Creates monthly reading partitions around now, so that live data never lands in the default one. */
    void preparePartitions() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT ensure_reading_partitions((date_trunc('month', now()) - interval '2 months')::date, 6)")) {
            statement.execute();
        }
    }

    private static void writeReadings(Connection connection, List<EnrichedReading> readings) throws SQLException {
        if (readings.isEmpty()) {
            return;
        }
        int n = readings.size();
        Timestamp[] time = new Timestamp[n];
        String[] sensor = new String[n];
        String[] quantity = new String[n];
        Double[] value = new Double[n];
        String[] field = new String[n];
        String[] country = new String[n];
        String[] subregion = new String[n];
        String[] region = new String[n];
        Short[] top = new Short[n];
        Short[] bottom = new Short[n];
        String[] flags = new String[n];
        String[] gateway = new String[n];
        Long[] seq = new Long[n];
        Timestamp[] receivedAt = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            EnrichedReading enriched = readings.get(i);
            Reading reading = enriched.reading();
            time[i] = Timestamp.from(reading.time());
            sensor[i] = reading.sensor();
            quantity[i] = reading.quantity().id();
            value[i] = reading.value();
            field[i] = reading.field();
            country[i] = enriched.placement().country();
            subregion[i] = enriched.placement().subregion();
            region[i] = enriched.placement().region();
            top[i] = (short) reading.depthTopCm();
            bottom[i] = (short) reading.depthBottomCm();
            flags[i] = String.join(",", enriched.flags());
            gateway[i] = reading.gateway();
            seq[i] = reading.seq();
            receivedAt[i] = Timestamp.from(reading.receivedAt());
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_READINGS)) {
            Object[][] columns = {time, sensor, quantity, value, field, country, subregion, region, top, bottom,
                flags, gateway, seq, receivedAt};
            String[] types = {"timestamptz", "text", "text", "float8", "text", "text", "text", "text", "int2",
                "int2", "text", "text", "int8", "timestamptz"};
            bindArrays(connection, statement, columns, types);
            statement.executeUpdate();
        }
    }

    private static Set<String> writeAggregates(Connection connection, Collection<Aggregate> aggregates)
            throws SQLException {
        Set<String> levels = new TreeSet<>();
        if (aggregates.isEmpty()) {
            return levels;
        }
        int n = aggregates.size();
        String[] level = new String[n];
        String[] area = new String[n];
        String[] quantity = new String[n];
        String[] resolution = new String[n];
        Timestamp[] bucket = new Timestamp[n];
        Long[] count = new Long[n];
        Double[] sum = new Double[n];
        Double[] sumSq = new Double[n];
        Double[] min = new Double[n];
        Double[] max = new Double[n];
        Timestamp[] first = new Timestamp[n];
        Timestamp[] last = new Timestamp[n];
        Double[] areaHa = new Double[n];
        Double[] weighted = new Double[n];
        String[] flags = new String[n];
        Integer[] members = new Integer[n];
        int i = 0;
        for (Aggregate aggregate : aggregates) {
            Stats stats = aggregate.stats();
            level[i] = aggregate.key().level().id();
            area[i] = aggregate.key().area();
            quantity[i] = aggregate.key().quantity().id();
            resolution[i] = aggregate.key().resolution().id();
            bucket[i] = Timestamp.from(aggregate.key().bucket());
            count[i] = stats.count();
            sum[i] = stats.sum();
            sumSq[i] = stats.sumSq();
            min[i] = stats.min();
            max[i] = stats.max();
            first[i] = timestamp(stats.first());
            last[i] = timestamp(stats.last());
            areaHa[i] = stats.areaHa();
            weighted[i] = stats.areaWeightedSum();
            flags[i] = flagsJson(stats.flags());
            members[i] = aggregate.members();
            levels.add(level[i]);
            i++;
        }
        try (PreparedStatement statement = connection.prepareStatement(UPSERT_AGGREGATES)) {
            Object[][] columns = {level, area, quantity, resolution, bucket, count, sum, sumSq, min, max, first, last,
                areaHa, weighted, flags, members};
            String[] types = {"text", "text", "text", "text", "timestamptz", "int8", "float8", "float8", "float8",
                "float8", "timestamptz", "timestamptz", "float8", "float8", "text", "int4"};
            bindArrays(connection, statement, columns, types);
            statement.executeUpdate();
        }
        return levels;
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
            bump.executeUpdate();
        }
    }

    private static void bindArrays(Connection connection, PreparedStatement statement, Object[][] columns,
            String[] types) throws SQLException {
        for (int c = 0; c < columns.length; c++) {
            Array array = connection.createArrayOf(types[c], columns[c]);
            statement.setArray(c + 1, array);
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static String flagsJson(Map<String, Long> flags) {
        try {
            return Json.mapper().writeValueAsString(flags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("flag counts are always serialisable", e);
        }
    }
}
