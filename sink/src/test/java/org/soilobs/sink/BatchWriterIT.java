package org.soilobs.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Level;
import org.soilobs.model.Placement;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Resolution;
import org.soilobs.model.Stats;
import org.soilobs.reference.ReferenceData;
import org.soilobs.storage.Database;
import org.soilobs.storage.PartitionMaintenance;
import org.soilobs.storage.StorageConfig;
import org.soilobs.testkit.EmbeddedPostgres;

/** The write path against a real server: binary COPY, staging, conflicts, notifications, reference areas. */
class BatchWriterIT {

    private static final Placement KENYA = new Placement("KEN", "202", "002");
    private static final TopicPartition PARTITION = new TopicPartition("t", 0);

    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder(Files.createTempDirectory("batch-writer-it").resolve("pg"))
                .durable(false).start();
        dataSource = postgres.dataSource();
        Database.migrate(dataSource, StorageConfig.defaults());
        new PartitionMaintenance(dataSource, StorageConfig.defaults()).run();
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void copiesEveryColumnOfReadingsExactlyAndSkipsKnownOnes() throws SQLException {
        Instant old = Instant.parse("1999-12-31T23:59:59.123456Z");
        Instant now = Instant.parse("2026-11-20T10:00:00.5Z");
        EnrichedReading before2000 = reading("s-ü-1", old, 0.25, List.of("G"), -3);
        EnrichedReading twoFlags = reading("s-ü-1", now, 0.75, List.of("S", "R"), 42);
        EnrichedReading good = reading("s-ü-2", now, 0.0, List.of("G"), 0);
        Batch batch = new Batch();
        batch.readings.addAll(List.of(before2000, twoFlags, good, twoFlags));
        batch.track(PARTITION, 1);
        new BatchWriter(dataSource).write(batch);
        // replayed after a crash, with one changed value: the stored readings stay as they were
        batch.readings.set(0, reading("s-ü-1", old, 0.99, List.of("G"), -3));
        new BatchWriter(dataSource).write(batch);

        List<String> rows = strings("""
                SELECT sensor || '|' || quantity || '|' || to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')
                       || '|' || value || '|' || array_to_string(flags, ',') || '|' || cardinality(flags) || '|'
                       || depth_top_cm || '-' || depth_bottom_cm || '|' || gateway || '|' || seq || '|' || country
                       || subregion || region || '|' || field
                       || '|' || to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')
                FROM reading WHERE sensor LIKE 's-ü-%' ORDER BY sensor, time""");
        assertThat(rows).containsExactly(
                "s-ü-1|vwc|1999-12-31T23:59:59.123456|0.25|G|1|5-15|gw-ü|-3|KEN202002|f-ü|2000-01-01T00:00:00.123456",
                "s-ü-1|vwc|2026-11-20T10:00:00.500000|0.75|S,R|2|5-15|gw-ü|42|KEN202002|f-ü|2026-11-20T10:00:01.500000",
                "s-ü-2|vwc|2026-11-20T10:00:00.500000|0|G|1|5-15|gw-ü|0|KEN202002|f-ü|2026-11-20T10:00:01.500000");
    }

    @Test
    void replacesTheFlagsOfAReadingThatStreamsCorrectedToASpikeAndOnlyThen() throws SQLException {
        Instant time = Instant.parse("2026-11-20T11:00:00Z");
        EnrichedReading first = reading("s-spike", time, 0.42, List.of("D08"), 7);
        EnrichedReading corrected = new EnrichedReading(first.reading(), KENYA, 3.0, List.of("D06"), List.of("D08"));
        Batch both = new Batch();
        both.readings.addAll(List.of(first, corrected));
        both.track(PARTITION, 1);
        new BatchWriter(dataSource).write(both);
        // a replay of the first version alone changes nothing
        Batch replay = new Batch();
        replay.readings.add(first);
        replay.track(PARTITION, 2);
        new BatchWriter(dataSource).write(replay);

        assertThat(strings("SELECT array_to_string(flags, ',') FROM reading WHERE sensor = 's-spike'"))
                .containsExactly("D06");
    }

    @Test
    void upsertsTheFullStateOfAggregatesAndNotifiesTheLevel() throws Exception {
        Instant hour = Instant.parse("2026-11-20T10:00:00Z");
        AggregateKey key = new AggregateKey(Level.REGION, "002", Quantity.PH, Resolution.HOUR, hour);
        TreeMap<String, Long> flags = new TreeMap<>();
        flags.put("G", 3L);
        flags.put("S", 1L);
        Aggregate first = new Aggregate(key, new Stats(3, 19.5, 127.0, 6.0, 7.0, hour, hour.plusSeconds(60), 30,
                195, flags), 2);
        Aggregate empty = new Aggregate(new AggregateKey(Level.WORLD, "001", Quantity.PH, Resolution.DAY,
                Resolution.DAY.bucketOf(hour)),
                Stats.empty(), 1);
        try (Connection listener = dataSource.getConnection(); Statement listen = listener.createStatement()) {
            listen.execute("LISTEN layer_changed");
            Batch batch = new Batch();
            batch.aggregates.put(key, first);
            batch.aggregates.put(empty.key(), empty);
            batch.track(PARTITION, 2);
            new BatchWriter(dataSource).write(batch);
            Aggregate second = new Aggregate(key, new Stats(4, 26.0, 169.25, 6.0, 7.0, hour, hour.plusSeconds(90), 30,
                    260, flags), 3);
            batch.aggregates.put(key, second);
            batch.aggregates.remove(empty.key());
            new BatchWriter(dataSource).write(batch);

            assertThat(strings("""
                    SELECT count || '|' || sum || '|' || sum_sq || '|' || min || '|' || max || '|'
                           || to_char(last_time AT TIME ZONE 'UTC', 'HH24:MI:SS') || '|' || area_weighted_sum || '|'
                           || flags::text || '|' || members
                    FROM aggregate WHERE level = 'region' AND area = '002'""")).containsExactly(
                    "4|26|169.25|6|7|10:01:30|260|{\"G\": 3, \"S\": 1}|3");
            assertThat(strings("SELECT coalesce(min::text, 'null') || '|' || count FROM aggregate WHERE level = 'world'"))
                    .containsExactly("null|0");
            List<String> heard = new ArrayList<>();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (heard.size() < 3 && System.nanoTime() < deadline) {
                PGNotification[] notes = listener.unwrap(PGConnection.class).getNotifications(1000);
                Arrays.stream(notes == null ? new PGNotification[0] : notes).map(PGNotification::getParameter)
                        .forEach(heard::add);
            }
            assertThat(heard).containsExactlyInAnyOrder("region", "world", "region");
        }
    }

    @Test
    void loadsTheReferenceAreasOnceForTheSameSeeds() throws SQLException {
        ReferenceData reference = ReferenceData.load();
        int expected = reference.areas(Level.COUNTRY).size() + reference.areas(Level.SUBREGION).size()
                + reference.areas(Level.REGION).size() + reference.areas(Level.WORLD).size();

        assertThat(ReferenceLoader.load(dataSource, reference)).isEqualTo(expected);
        assertThat(ReferenceLoader.load(dataSource, reference)).isZero();

        assertThat(strings("SELECT count(*)::text FROM area")).containsExactly(String.valueOf(expected));
        assertThat(strings("SELECT name || '|' || parent_code || '|' || (geometry_geojson::jsonb ->> 'type')"
                + " FROM area WHERE level = 'country' AND code = 'KEN'")).hasSize(1)
                .allSatisfy(row -> assertThat(row)
                        .startsWith("Kenya|" + reference.placementOf("KEN").orElseThrow().subregion() + "|")
                        .endsWith("Polygon"));
        assertThat(strings("SELECT code FROM area WHERE parent_code IS NULL")).containsExactly("001");
    }

    private static EnrichedReading reading(String sensor, Instant time, double vwc, List<String> flags, long seq) {
        Reading reading = new Reading("gw-ü", seq, sensor, "f-ü", Quantity.VWC, time, vwc, 5, 15,
                time.plusSeconds(1));
        return new EnrichedReading(reading, KENYA, 3.0, flags);
    }

    private static List<String> strings(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
