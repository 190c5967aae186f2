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
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Json;
import org.soilobs.model.Placement;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Topics;
import org.soilobs.reference.ReferenceData;
import org.soilobs.storage.Database;
import org.soilobs.storage.DbConfig;
import org.soilobs.storage.StorageConfig;
import org.soilobs.testkit.EmbeddedKafka;
import org.soilobs.testkit.EmbeddedPostgres;

/** PostgreSQL stops for 30 s while readings flow: the sink waits with back-off and then stores every one. */
class SinkOutageIT {

    private static final int TRANSACTIONS = 30;
    private static final int READINGS_PER_TRANSACTION = 400;
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Placement FRANCE = new Placement("FRA", "155", "150");
    private static final Instant START = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);

    private static Path pgdata;
    private static EmbeddedKafka kafka;
    private static EmbeddedPostgres postgres;
    private static HikariDataSource pool;

    @BeforeAll
    static void startServers() throws Exception {
        Path dir = Files.createTempDirectory("sink-outage-it");
        pgdata = dir.resolve("pg");
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        postgres = EmbeddedPostgres.builder(pgdata).durable(false).start();
        kafka.createTopics(List.of(
                new NewTopic(Topics.READINGS_CLEAN, 2, (short) 1),
                new NewTopic(Topics.AGGREGATES, 1, (short) 1),
                new NewTopic(Topics.FIELDS, 1, (short) 1),
                new NewTopic(Topics.SENSORS, 1, (short) 1)));
        pool = Database.pool(dbConfig(), "sink-outage-it", 4);
        Database.migrate(pool, StorageConfig.defaults());
        ReferenceLoader.load(pool, ReferenceData.load());
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

    @Test
    void waitsOutADatabaseOutageWithBackOffAndThenStoresEveryReading() throws Exception {
        SinkConfig config = new SinkConfig(kafka.bootstrapServers(), "sink-outage-it", dbConfig(),
                Duration.ofMillis(100), 1000, StorageConfig.defaults(), Optional.empty());
        try (Sink sink = Sink.start(config, pool)) {
            CompletableFuture<Set<String>> producing = CompletableFuture.supplyAsync(SinkOutageIT::produce);
            await(() -> readingCountOrZero() > 0, Duration.ofSeconds(120));

            int port = postgres.port();
            postgres.close();
            long failedBefore = sink.failedWrites();
            Thread.sleep(OUTAGE.toMillis());
            long failedDuringOutage = sink.failedWrites() - failedBefore;
            postgres = EmbeddedPostgres.builder(pgdata).port(port).durable(false).start();

            Set<String> expected = producing.get(5, TimeUnit.MINUTES);
            await(() -> readingCountOrZero() >= expected.size(), Duration.ofSeconds(180));

            assertThat(failedDuringOutage).as("writes tried while the database was down").isPositive()
                    // with a back-off from 100 ms doubling to 5 s, 30 s hold at most a dozen attempts
                    .isLessThanOrEqualTo(15);
            assertThat(storedReadings()).isEqualTo(expected);
            assertThat(sink.readingsWritten()).isGreaterThanOrEqualTo(expected.size());
        }
    }

    private static Set<String> produce() {
        Set<String> readings = new HashSet<>();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sink-outage-it");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            int n = 0;
            for (int t = 0; t < TRANSACTIONS; t++) {
                producer.beginTransaction();
                for (int i = 0; i < READINGS_PER_TRANSACTION; i++, n++) {
                    String sensor = "outage-s" + (n % 20);
                    Instant time = START.plusSeconds(n / 20);
                    double value = (n % 300) / 1000.0;
                    EnrichedReading reading = new EnrichedReading(new Reading("gw-outage", n, sensor, "outage-f",
                            Quantity.VWC, time, value, 0, 10, time.plusSeconds(1)), FRANCE, 5.0, List.of("G"));
                    producer.send(new ProducerRecord<>(Topics.READINGS_CLEAN, sensor.getBytes(StandardCharsets.UTF_8),
                            Json.mapper().writeValueAsBytes(reading)));
                    readings.add(sensor + '|' + time + '|' + value);
                }
                producer.commitTransaction();
                // spread over about a minute, so that readings arrive before, during and after the outage
                Thread.sleep(2_000);
            }
        } catch (Exception e) {
            throw new IllegalStateException("producing failed", e);
        }
        return readings;
    }

    private static Set<String> storedReadings() throws SQLException {
        Set<String> stored = new HashSet<>();
        try (Connection connection = postgres.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT sensor, time, value FROM reading")) {
            while (rows.next()) {
                stored.add(rows.getString(1) + '|' + rows.getTimestamp(2).toInstant() + '|' + rows.getDouble(3));
            }
        }
        return stored;
    }

    /** Zero also while the server is down or restarting. */
    private static long readingCountOrZero() {
        try (Connection connection = postgres.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM reading")) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            return 0;
        }
    }

    private static DbConfig dbConfig() {
        return new DbConfig(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    private static void await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within %s", limit).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
