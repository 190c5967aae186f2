package org.soilobs.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.soilobs.sink.SinkServers.send;

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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Placement;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Topics;
import org.soilobs.reference.ReferenceData;
import org.soilobs.storage.StorageConfig;

/** PostgreSQL stops for 30 s while readings flow: the sink waits with back-off and then stores every one. */
class SinkOutageIT {

    private static final int TRANSACTIONS = 30;
    private static final int READINGS_PER_TRANSACTION = 400;
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Placement FRANCE = new Placement("FRA", "155", "150");
    private static final Instant START = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);

    private static SinkServers servers;

    @BeforeAll
    static void startServers() throws Exception {
        servers = SinkServers.start("sink-outage-it", false, StorageConfig.defaults(), 4, List.of(
                new NewTopic(Topics.READINGS_CLEAN, 2, (short) 1),
                new NewTopic(Topics.AGGREGATES, 1, (short) 1),
                new NewTopic(Topics.FIELDS, 1, (short) 1),
                new NewTopic(Topics.SENSORS, 1, (short) 1)));
        ReferenceLoader.load(servers.pool(), ReferenceData.load());
    }

    @AfterAll
    static void stopServers() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void waitsOutADatabaseOutageWithBackOffAndThenStoresEveryReading() throws Exception {
        SinkConfig config = new SinkConfig(servers.kafka().bootstrapServers(), "sink-outage-it", servers.db(),
                Duration.ofMillis(100), 1000, StorageConfig.defaults(), Optional.empty());
        try (Sink sink = Sink.start(config, servers.pool())) {
            CompletableFuture<Set<String>> producing = CompletableFuture.supplyAsync(SinkOutageIT::produce);
            SinkServers.await(() -> readingCountOrZero() > 0, Duration.ofSeconds(120));

            servers.stopPostgres();
            long failedBefore = sink.failedWrites();
            Thread.sleep(OUTAGE.toMillis());
            long failedDuringOutage = sink.failedWrites() - failedBefore;
            servers.startPostgresAgain();

            Set<String> expected = producing.get(5, TimeUnit.MINUTES);
            SinkServers.await(() -> readingCountOrZero() >= expected.size(), Duration.ofSeconds(180));

            assertThat(failedDuringOutage).as("writes tried while the database was down").isPositive()
                    // with a back-off from 100 ms doubling to 5 s, 30 s hold at most a dozen attempts
                    .isLessThanOrEqualTo(15);
            assertThat(storedReadings()).isEqualTo(expected);
            assertThat(sink.readingsWritten()).isGreaterThanOrEqualTo(expected.size());
        }
    }

    private static Set<String> produce() {
        Set<String> readings = new HashSet<>();
        try (KafkaProducer<byte[], byte[]> producer = servers.transactionalProducer()) {
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
                    send(producer, Topics.READINGS_CLEAN, sensor, reading);
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
        try (Connection connection = servers.postgres().dataSource().getConnection();
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
        try (Connection connection = servers.postgres().dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM reading")) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            return 0;
        }
    }
}
