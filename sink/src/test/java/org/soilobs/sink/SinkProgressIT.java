package org.soilobs.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soilobs.model.Level;
import org.soilobs.model.Progress;
import org.soilobs.model.Progress.Status;
import org.soilobs.model.Topics;
import org.soilobs.storage.StorageConfig;

/** The sink reads {@code soil.progress} (committed only) into the {@code progress} table, tombstones included. */
class SinkProgressIT {

    private static final Instant AS_OF = Instant.parse("2026-11-22T00:00:00Z");

    private static SinkServers servers;

    @BeforeAll
    static void startServers() throws Exception {
        servers = SinkServers.start("sink-progress-it", true, StorageConfig.fromEnv(System.getenv()), 2, List.of(
                new NewTopic(Topics.PROGRESS, 2, (short) 1), new NewTopic(Topics.READINGS_CLEAN, 1, (short) 1),
                new NewTopic(Topics.AGGREGATES, 1, (short) 1), new NewTopic(Topics.FIELDS, 1, (short) 1),
                new NewTopic(Topics.SENSORS, 1, (short) 1)));
    }

    @AfterAll
    static void stopServers() {
        if (servers != null) {
            servers.close();
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
        try (KafkaProducer<byte[], byte[]> producer = servers.transactionalProducer()) {
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
        try (Sink sink = Sink.start(config(), servers.pool())) {
            await(() -> servers.count("SELECT count(*) FROM progress") == 2);
            assertThat(servers.string(
                    "SELECT status || '|' || rate || '|' || fields_on_track FROM progress WHERE level = 'world'"))
                    .isEqualTo("on_track|0.01|2");
            try (KafkaProducer<byte[], byte[]> producer = servers.transactionalProducer()) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(Topics.PROGRESS, "world/001".getBytes(StandardCharsets.UTF_8), null));
                producer.commitTransaction();
            }
            await(() -> servers.count("SELECT count(*) FROM progress WHERE level = 'world'") == 0);
            assertThat(servers.count("SELECT count(*) FROM progress")).isEqualTo(1);
            assertThat(sink.skipped()).isZero();
        }
    }

    private static SinkConfig config() {
        return new SinkConfig(servers.kafka().bootstrapServers(), "sink-progress", servers.db(), Duration.ofMillis(100),
                1000);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String key, Progress value) throws Exception {
        SinkServers.send(producer, Topics.PROGRESS, key, value);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        SinkServers.await(condition, Duration.ofSeconds(60));
    }
}
