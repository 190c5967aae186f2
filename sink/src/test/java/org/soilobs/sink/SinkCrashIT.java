package org.soilobs.sink;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.model.Placement;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Resolution;
import org.soilobs.model.Stats;
import org.soilobs.model.Topics;
import org.soilobs.reference.ReferenceData;
import org.soilobs.storage.Database;
import org.soilobs.storage.StorageConfig;
import org.soilobs.testkit.EmbeddedKafka;
import org.soilobs.testkit.EmbeddedPostgres;

/**
 * The sink as its own process ({@link SinkApp}), killed with SIGKILL again and again while readings and
 * aggregates flow: afterwards the tables hold exactly what was produced — nothing lost, nothing twice.
 */
class SinkCrashIT {

    /** At least this many transactions, and more until the last kill: every kill then falls mid-stream. */
    private static final int TRANSACTIONS = 16;
    private static final AtomicBoolean KILLS_DONE = new AtomicBoolean();
    private static final int READINGS_PER_TRANSACTION = 1_000;
    private static final int SENSORS = 50;
    private static final int AGGREGATE_KEYS = 12;
    private static final int KILLS = 3;
    private static final Placement FRANCE = new Placement("FRA", "155", "150");
    private static final Instant START = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(6, ChronoUnit.HOURS);

    private static Path dir;
    private static EmbeddedKafka kafka;
    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;
    private Process sink;
    private int run;

    @BeforeAll
    static void startServers() throws Exception {
        dir = Files.createTempDirectory("sink-crash-it");
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        postgres = EmbeddedPostgres.builder(dir.resolve("pg")).durable(false).start();
        kafka.createTopics(List.of(
                new NewTopic(Topics.READINGS_CLEAN, 3, (short) 1),
                new NewTopic(Topics.AGGREGATES, 3, (short) 1),
                new NewTopic(Topics.FIELDS, 1, (short) 1),
                new NewTopic(Topics.SENSORS, 1, (short) 1)));
        dataSource = postgres.dataSource();
        Database.migrate(dataSource, StorageConfig.defaults());
        // Loaded once here, so that each restarted sink finds the areas current and starts quickly.
        ReferenceLoader.load(dataSource, ReferenceData.load());
    }

    @AfterEach
    void stopSink() throws InterruptedException {
        if (sink != null && sink.isAlive()) {
            sink.destroyForcibly();
            sink.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopServers() {
        if (postgres != null) {
            postgres.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void killedAgainAndAgainTheSinkStoresEveryRecordExactlyOnce() throws Exception {
        CompletableFuture<Expected> producing = CompletableFuture.supplyAsync(SinkCrashIT::produce);
        long stored = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            startSink();
            long before = stored;
            // killed only once it has written something, so that every life commits and replays
            await(() -> readingCount() > before || !sink.isAlive(), Duration.ofSeconds(120));
            assertThat(sink.isAlive()).as("sink process %d alive; see %s", run, log(run)).isTrue();
            Thread.sleep(300L * kill);
            sink.destroyForcibly();
            assertThat(sink.waitFor(30, TimeUnit.SECONDS)).isTrue();
            stored = readingCount();
        }
        KILLS_DONE.set(true);
        Expected expected = producing.get(5, TimeUnit.MINUTES);
        assertThat(stored).as("readings stored before the last kill").isLessThan(expected.readings.size());

        startSink();
        await(() -> readingCount() >= expected.readings.size() && aggregatesMatch(expected.aggregateCounts),
                Duration.ofSeconds(180));
        sink.destroy();
        assertThat(sink.waitFor(60, TimeUnit.SECONDS)).as("sink stops on SIGTERM").isTrue();

        assertThat(storedReadings()).hasSize(expected.readings.size()).isEqualTo(expected.readings);
        assertThat(readingCount()).isEqualTo(expected.readings.size());
        assertThat(aggregatesMatch(expected.aggregateCounts)).isTrue();
        assertThat(longOf("SELECT count(*) FROM aggregate")).isEqualTo(AGGREGATE_KEYS);
    }

    /** Produces every reading once, a tenth of them again (redelivery), and ever newer aggregate states. */
    private static Expected produce() {
        Set<String> readings = new HashSet<>();
        Map<String, Long> aggregateCounts = new HashMap<>();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sink-crash-it");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            int n = 0;
            for (int t = 0; t < TRANSACTIONS || !KILLS_DONE.get(); t++) {
                producer.beginTransaction();
                for (int i = 0; i < READINGS_PER_TRANSACTION; i++, n++) {
                    String sensor = "crash-s" + (n % SENSORS);
                    Instant time = START.plusSeconds(n / SENSORS);
                    double value = (n % 500) / 1000.0;
                    EnrichedReading reading = new EnrichedReading(new Reading("gw-crash", n, sensor, "crash-f",
                            Quantity.VWC, time, value, 0, 10, time.plusSeconds(1)), FRANCE, 5.0, List.of("G"));
                    byte[] json = Json.mapper().writeValueAsBytes(reading);
                    producer.send(new ProducerRecord<>(Topics.READINGS_CLEAN, bytes(sensor), json));
                    if (n % 10 == 0) {
                        producer.send(new ProducerRecord<>(Topics.READINGS_CLEAN, bytes(sensor), json));
                    }
                    readings.add(identity(sensor, time, value));
                }
                long count = t + 1L;
                for (int k = 0; k < AGGREGATE_KEYS; k++) {
                    AggregateKey key = new AggregateKey(Level.COUNTRY, "C" + k, Quantity.VWC, Resolution.HOUR, START);
                    TreeMap<String, Long> flags = new TreeMap<>();
                    flags.put("G", count);
                    Aggregate aggregate = new Aggregate(key, new Stats(count, 0.5 * count, 0.25 * count, 0.5, 0.5,
                            START, START.plusSeconds(count), 5, 2.5 * count, flags), 1);
                    producer.send(new ProducerRecord<>(Topics.AGGREGATES,
                            Json.mapper().writeValueAsBytes(key), Json.mapper().writeValueAsBytes(aggregate)));
                    aggregateCounts.put("C" + k, count);
                }
                producer.commitTransaction();
                Thread.sleep(500);
            }
        } catch (Exception e) {
            throw new IllegalStateException("producing failed", e);
        }
        return new Expected(readings, aggregateCounts);
    }

    private record Expected(Set<String> readings, Map<String, Long> aggregateCounts) {
    }

    private void startSink() throws Exception {
        run++;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path")));
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            command.add("-Dlogback.configurationFile=" + logback);
        }
        command.add(SinkApp.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log(run).toFile());
        Map<String, String> env = builder.environment();
        env.put("OBS_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("OBS_DB_URL", postgres.jdbcUrl());
        env.put("OBS_DB_USER", postgres.user());
        env.put("OBS_DB_PASSWORD", postgres.password());
        env.put("OBS_SINK_GROUP", "sink-crash-it");
        env.put("OBS_SINK_FLUSH_INTERVAL", "PT0.1S");
        env.put("OBS_SINK_MAX_BATCH", "700");
        env.put("OBS_SINK_INSTANCE_ID", "sink-crash-it-1");
        sink = builder.start();
    }

    private static Path log(int run) {
        return dir.resolve("sink-" + run + ".log");
    }

    private static boolean aggregatesMatch(Map<String, Long> expected) {
        Map<String, Long> stored = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT area, count FROM aggregate WHERE area_weighted_sum = 2.5 * count AND members = 1")) {
            while (rows.next()) {
                stored.put(rows.getString(1), rows.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return stored.equals(expected);
    }

    private static Set<String> storedReadings() throws SQLException {
        Set<String> stored = new HashSet<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT sensor, time, value FROM reading")) {
            while (rows.next()) {
                stored.add(identity(rows.getString(1), rows.getTimestamp(2).toInstant(), rows.getDouble(3)));
            }
        }
        return stored;
    }

    private static String identity(String sensor, Instant time, double value) {
        return sensor + '|' + time + '|' + value;
    }

    private static long readingCount() {
        return longOf("SELECT count(*) FROM reading");
    }

    private static long longOf(String sql) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within %s", limit).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
