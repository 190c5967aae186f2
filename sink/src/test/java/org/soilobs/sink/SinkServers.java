package org.soilobs.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.soilobs.model.Json;
import org.soilobs.storage.Database;
import org.soilobs.storage.DbConfig;
import org.soilobs.storage.StorageConfig;
import org.soilobs.testkit.EmbeddedKafka;
import org.soilobs.testkit.EmbeddedPostgres;

/**
 * A Kafka broker and a PostgreSQL of one sink test class's own (the sink's consumer groups and tables
 * must start empty), the topics created and the schema migrated, with what the tests do to them: write
 * in Kafka transactions, count rows, wait for a condition. PostgreSQL can be stopped and started again on
 * its port and data for an outage. Closing stops the pool, PostgreSQL, then Kafka.
 */
final class SinkServers implements AutoCloseable {

    private final String name;
    private final Path postgresDir;
    private final boolean durable;
    private final EmbeddedKafka kafka;
    private final HikariDataSource pool;
    private EmbeddedPostgres postgres;

    private SinkServers(String name, Path postgresDir, boolean durable, EmbeddedKafka kafka, EmbeddedPostgres postgres,
            StorageConfig storage, int poolSize) {
        this.name = name;
        this.postgresDir = postgresDir;
        this.durable = durable;
        this.kafka = kafka;
        this.postgres = postgres;
        this.pool = Database.pool(db(), name, poolSize);
        Database.migrate(pool, storage);
    }

    /**
     * Starts both servers under a new temporary directory, creates {@code topics} and migrates the schema.
     *
     * @param name the pool's name and the transactional ids' prefix
     * @param durable false runs PostgreSQL without {@code fsync} (for a test that only restarts it cleanly)
     */
    static SinkServers start(String name, boolean durable, StorageConfig storage, int poolSize, List<NewTopic> topics)
            throws IOException {
        Path dir = Files.createTempDirectory(name);
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        EmbeddedPostgres postgres = null;
        try {
            postgres = EmbeddedPostgres.builder(dir.resolve("postgres")).durable(durable).start();
            kafka.createTopics(topics);
            return new SinkServers(name, dir.resolve("postgres"), durable, kafka, postgres, storage, poolSize);
        } catch (RuntimeException e) {
            if (postgres != null) {
                postgres.close();
            }
            kafka.close();
            throw e;
        }
    }

    EmbeddedKafka kafka() {
        return kafka;
    }

    EmbeddedPostgres postgres() {
        return postgres;
    }

    HikariDataSource pool() {
        return pool;
    }

    DbConfig db() {
        return new DbConfig(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    /** Stops PostgreSQL, as an outage; {@link #startPostgresAgain()} ends it. */
    void stopPostgres() {
        postgres.close();
    }

    /** Starts PostgreSQL again on its port and data directory, where the pool finds it. */
    void startPostgresAgain() {
        postgres = EmbeddedPostgres.builder(postgresDir).port(postgres.port()).durable(durable).start();
    }

    /** A producer with a transactional id of its own, not yet initialised. */
    KafkaProducer<byte[], byte[]> transactionalProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, name + "-" + UUID.randomUUID());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }

    /** Sends {@code value} as JSON under {@code key}. */
    static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, Object value)
            throws IOException {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                Json.mapper().writeValueAsBytes(value)));
    }

    /** The single value {@code sql} selects, as text. */
    String string(String sql) {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String sql) {
        return Long.parseLong(string(sql));
    }

    /** Waits until {@code condition} holds, failing once {@code limit} has passed. */
    static void await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within %s", limit).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        pool.close();
        postgres.close();
        kafka.close();
    }
}
