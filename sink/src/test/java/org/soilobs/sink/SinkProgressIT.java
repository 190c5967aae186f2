package org.soilobs.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.model.Progress;
import org.soilobs.model.Progress.Status;
import org.soilobs.model.Topics;
import org.soilobs.storage.Database;
import org.soilobs.storage.DbConfig;
import org.soilobs.testkit.EmbeddedKafka;
import org.soilobs.testkit.EmbeddedPostgres;

/** The sink reads {@code soil.progress} (committed only) into the {@code progress} table, tombstones included. */
class SinkProgressIT {

    private static final Instant AS_OF = Instant.parse("2026-11-22T00:00:00Z");

    private static EmbeddedKafka kafka;
    private static EmbeddedPostgres postgres;
    private static HikariDataSource pool;

    @BeforeAll
    static void startServers() throws Exception {
        Path dir = Files.createTempDirectory("sink-progress-it");
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        postgres = EmbeddedPostgres.start(dir.resolve("postgres"));
        kafka.createTopics(List.of(new NewTopic(Topics.PROGRESS, 2, (short) 1),
                new NewTopic(Topics.READINGS_CLEAN, 1, (short) 1), new NewTopic(Topics.AGGREGATES, 1, (short) 1),
                new NewTopic(Topics.FIELDS, 1, (short) 1), new NewTopic(Topics.SENSORS, 1, (short) 1)));
        pool = Database.pool(new DbConfig(postgres.jdbcUrl(), postgres.user(), postgres.password()), "sink-progress-it", 2);
        Database.migrate(pool);
    }

    @AfterAll
    static void stopServers() {
        if (pool != null) {
            pool.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Progress world(double deltaT) {
        return progress(Level.WORLD, Level.WORLD_CODE, deltaT);
    }

    private static Progress progress(Level level, String area, double deltaT) {
        double half = 1.96;
        return new Progress(level, area, AS_OF, 2, 2, new TreeMap<>(Map.of("on_track", 2)), 2000,
                1000, deltaT, 1, 40, deltaT / 1000, (deltaT - half) / 1000, (deltaT + half) / 1000,
                Status.of((deltaT - half) / 1000, (deltaT + half) / 1000), null, null);
    }

    @Test
    void upsertsProgressAndDeletesItOnATombstoneButNotAnAbortedOne() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
            producer.initTransactions();
            producer.beginTransaction();
            send(producer, "world/001", world(9));
            send(producer, "world/001", world(10));
            send(producer, "country/FRA", progress(Level.COUNTRY, "FRA", 10));
            producer.commitTransaction();
            producer.beginTransaction();
            send(producer, "world/001", world(-50));
            producer.flush();
            producer.abortTransaction();
        }
        try (Sink sink = Sink.start(config(), pool)) {
            await(() -> count("SELECT count(*) FROM progress") == 2);
            assertThat(string("SELECT status || '|' || rate || '|' || fields_on_track FROM progress WHERE level = 'world'"))
                    .isEqualTo("on_track|0.01|2");
            try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(Topics.PROGRESS, "world/001".getBytes(StandardCharsets.UTF_8), null));
                producer.commitTransaction();
            }
            await(() -> count("SELECT count(*) FROM progress WHERE level = 'world'") == 0);
            assertThat(count("SELECT count(*) FROM progress")).isEqualTo(1);
            assertThat(sink.skipped()).isZero();
        }
    }

    private static SinkConfig config() {
        return new SinkConfig(kafka.bootstrapServers(), "sink-progress",
                new DbConfig(postgres.jdbcUrl(), postgres.user(), postgres.password()), Duration.ofMillis(100), 1000);
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sink-progress-it-" + UUID.randomUUID());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String key, Progress value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.PROGRESS, key.getBytes(StandardCharsets.UTF_8),
                Json.mapper().writeValueAsBytes(value)));
    }

    private static long count(String sql) {
        return Long.parseLong(string(sql));
    }

    private static String string(String sql) {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
