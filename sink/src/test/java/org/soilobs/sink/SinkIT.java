package org.soilobs.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.soilobs.sink.SinkServers.send;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Field;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.model.Placement;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Resolution;
import org.soilobs.model.Sensor;
import org.soilobs.model.Stats;
import org.soilobs.model.Topics;
import org.soilobs.storage.StorageConfig;

class SinkIT {

    private static final Placement FRANCE = new Placement("FRA", "155", "150");
    private static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);

    private static SinkServers servers;
    private static HikariDataSource pool;

    @BeforeAll
    static void startServers() throws Exception {
        servers = SinkServers.start("sink-it", true, StorageConfig.fromEnv(System.getenv()), 4, List.of(
                new NewTopic(Topics.READINGS_CLEAN, 2, (short) 1),
                new NewTopic(Topics.AGGREGATES, 2, (short) 1),
                new NewTopic(Topics.FIELDS, 1, (short) 1),
                new NewTopic(Topics.SENSORS, 1, (short) 1)));
        pool = servers.pool();
    }

    @AfterAll
    static void stopServers() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void writesCommittedRecordsOnceAndIgnoresAbortedOnesAndReplays() throws Exception {
        Field field = new Field("f-fra-0001", 2.35, 48.85, 12.5, "cropland", 1.3, 0.05, 30, FRANCE);
        Sensor sensor = new Sensor("f-fra-0001-p1", "gw-fra-0001", field.id(), "soilobs-probe-1");
        List<EnrichedReading> readings = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            readings.add(enriched(sensor, HOUR.plusSeconds(30L * i), 0.2 + i / 1000.0));
        }
        AggregateKey key = new AggregateKey(Level.COUNTRY, "FRA", Quantity.VWC, Resolution.HOUR, HOUR);
        Aggregate early = new Aggregate(key, Stats.of(0.2, HOUR, List.of("G")).weightedByFieldArea(12.5), 1);
        Aggregate late = new Aggregate(key, early.stats().merge(Stats.of(0.4, HOUR.plusSeconds(60), List.of("G"))), 1);

        try (KafkaProducer<byte[], byte[]> producer = servers.transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            send(producer, Topics.FIELDS, field.id(), field);
            send(producer, Topics.SENSORS, sensor.id(), sensor);
            for (EnrichedReading reading : readings) {
                send(producer, Topics.READINGS_CLEAN, sensor.id(), reading);
            }
            // a redelivered duplicate of the first ten readings
            for (EnrichedReading reading : readings.subList(0, 10)) {
                send(producer, Topics.READINGS_CLEAN, sensor.id(), reading);
            }
            send(producer, Topics.AGGREGATES, Json.mapper().writeValueAsString(key), early);
            send(producer, Topics.AGGREGATES, Json.mapper().writeValueAsString(key), late);
            producer.commitTransaction();

            producer.beginTransaction();
            send(producer, Topics.READINGS_CLEAN, sensor.id(), enriched(sensor, HOUR.minusSeconds(600), 0.9));
            producer.flush();
            producer.abortTransaction();
        }

        try (Sink sink = Sink.start(config("sink-a"), pool)) {
            await(() -> servers.count("SELECT count(*) FROM reading") == 100
                    && servers.count("SELECT count(*) FROM aggregate WHERE area = 'FRA' AND count = 2") == 1);
        }
        assertThat(servers.count("SELECT count(*) FROM reading WHERE value = 0.9")).isZero();
        assertThat(servers.count("SELECT count(*) FROM field")).isEqualTo(1);
        assertThat(servers.count("SELECT count(*) FROM sensor")).isEqualTo(1);
        assertThat(servers.count("SELECT version FROM layer_version WHERE level = 'country'")).isPositive();
        assertThat(servers.count("SELECT count(*) FROM reading WHERE flags = ARRAY['G'] AND country = 'FRA'"))
                .isEqualTo(100);

        // A second consumer group replays every record: the tables must not change.
        try (Sink replay = Sink.start(config("sink-b"), pool)) {
            await(() -> replay.readingsWritten() == 110);
        }
        assertThat(servers.count("SELECT count(*) FROM reading")).isEqualTo(100);
        assertThat(servers.count("SELECT count(*) FROM aggregate WHERE area = 'FRA'")).isEqualTo(1);
        assertThat(doubleOf("SELECT max FROM aggregate WHERE area = 'FRA'")).isEqualTo(0.4);
        assertThat(doubleOf("SELECT area_weighted_sum / area_ha FROM aggregate WHERE area = 'FRA'")).isEqualTo(0.2);
    }

    @Test
    void deletesAnAggregateOnItsTombstone() throws Exception {
        AggregateKey key = new AggregateKey(Level.COUNTRY, "BEL", Quantity.PH, Resolution.DAY,
                Resolution.DAY.bucketOf(HOUR));
        String keyJson = Json.mapper().writeValueAsString(key);
        String where = "level = 'country' AND area = 'BEL' AND quantity = 'ph'";
        try (KafkaProducer<byte[], byte[]> producer = servers.transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            send(producer, Topics.AGGREGATES, keyJson, new Aggregate(key, Stats.of(6.5, HOUR, List.of("G")), 1));
            producer.commitTransaction();
        }
        try (Sink sink = Sink.start(config("sink-tombstone"), pool)) {
            await(() -> servers.count("SELECT count(*) FROM aggregate WHERE " + where) == 1);
            try (KafkaProducer<byte[], byte[]> producer = servers.transactionalProducer()) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(Topics.AGGREGATES, keyJson.getBytes(StandardCharsets.UTF_8), null));
                producer.commitTransaction();
            }
            await(() -> servers.count("SELECT count(*) FROM aggregate WHERE " + where) == 0);
            assertThat(sink.skipped()).isZero();
        }
    }

    private static EnrichedReading enriched(Sensor sensor, Instant time, double vwc) {
        Reading reading = new Reading(sensor.gateway(), 1, sensor.id(), sensor.field(), Quantity.VWC, time, vwc, 0, 10,
                time.plusSeconds(1));
        return new EnrichedReading(reading, FRANCE, 12.5, List.of("G"));
    }

    private static SinkConfig config(String group) {
        return new SinkConfig(servers.kafka().bootstrapServers(), group, servers.db(), Duration.ofMillis(100), 1000);
    }

    private static double doubleOf(String sql) throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getDouble(1);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        SinkServers.await(condition, Duration.ofSeconds(60));
    }
}
