package org.soilobs.sink;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Field;
import org.soilobs.model.Json;
import org.soilobs.model.Sensor;
import org.soilobs.model.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes clean readings, aggregates and the registry and writes them to the database (DESIGN §2, §7).
 *
 * <p>Offsets are committed only after the database transaction that holds their records committed;
 * a crash in between replays records into idempotent statements. The consumer reads committed data
 * only, so output of aborted Streams transactions never reaches the database.
 */
public final class Sink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sink.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final SinkConfig config;
    private final BatchWriter writer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Batch batch = new Batch();
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong readingsWritten = new AtomicLong();
    private final AtomicLong aggregatesWritten = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile boolean running = true;

    private Sink(SinkConfig config, DataSource dataSource) {
        this.config = config;
        this.writer = new BatchWriter(dataSource);
        this.consumer = new KafkaConsumer<>(consumerProperties(config));
        this.thread = new Thread(this::run, "sink");
    }

    /** Starts consuming on a thread of its own. */
    public static Sink start(SinkConfig config, DataSource dataSource) throws SQLException {
        LOG.info("Starting sink: {}", config);
        Sink sink = new Sink(config, dataSource);
        sink.writer.preparePartitions();
        sink.thread.start();
        return sink;
    }

    public long readingsWritten() {
        return readingsWritten.get();
    }

    public long aggregatesWritten() {
        return aggregatesWritten.get();
    }

    /** Records that could not be decoded; they come from our own stages, so any is a bug to look at. */
    public long skipped() {
        return skipped.get();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.FIELDS, Topics.SENSORS, Topics.READINGS_CLEAN, Topics.AGGREGATES),
                    new FlushOnRevoke());
            long pollMillis = Math.max(1, config.flushInterval().toMillis() / 2);
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(pollMillis));
                records.forEach(this::add);
                if (batch.size() >= config.maxBatch()
                        || batch.ageNanos() >= config.flushInterval().toNanos()) {
                    flushUntilWritten();
                }
            }
        } catch (WakeupException e) {
            // close() woke the consumer up: write what was read, then leave.
        } catch (RuntimeException e) {
            LOG.error("Sink stopped by an unexpected error; uncommitted records will be replayed on restart", e);
        } finally {
            try {
                flushOnce();
            } catch (RuntimeException e) {
                LOG.warn("Last flush at stop failed; its records will be replayed on restart: {}", e.getMessage());
            }
            consumer.close(Duration.ofSeconds(5));
            stopped.countDown();
        }
    }

    private void add(ConsumerRecord<byte[], byte[]> record) {
        batch.track(new TopicPartition(record.topic(), record.partition()), record.offset());
        try {
            switch (record.topic()) {
                case Topics.READINGS_CLEAN -> batch.readings.add(Json.mapper().readValue(record.value(), EnrichedReading.class));
                case Topics.AGGREGATES -> {
                    // A tombstone: every field of the area moved elsewhere within the bucket.
                    AggregateKey key = Json.mapper().readValue(record.key(), AggregateKey.class);
                    batch.aggregates.put(key,
                            record.value() == null ? null : Json.mapper().readValue(record.value(), Aggregate.class));
                }
                case Topics.FIELDS -> batch.fields.put(key(record),
                        record.value() == null ? null : Json.mapper().readValue(record.value(), Field.class));
                case Topics.SENSORS -> batch.sensors.put(key(record),
                        record.value() == null ? null : Json.mapper().readValue(record.value(), Sensor.class));
                default -> throw new IllegalStateException("not subscribed to " + record.topic());
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            skipped.incrementAndGet();
            LOG.error("Skipping undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes the batch, retrying with back-off while the database is away; consumption pauses meanwhile. */
    private void flushUntilWritten() {
        Duration backoff = Duration.ofMillis(100);
        while (!flushOnce()) {
            if (!running) {
                return;
            }
            consumer.pause(consumer.assignment());
            // Polling while paused keeps the group membership alive without fetching anything.
            consumer.poll(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        consumer.resume(consumer.paused());
    }

    private boolean flushOnce() {
        if (batch.isEmpty()) {
            return true;
        }
        try {
            writer.write(batch);
        } catch (SQLException e) {
            LOG.warn("Database write failed, will retry: {}", e.getMessage());
            return false;
        }
        consumer.commitSync(batch.offsets);
        readingsWritten.addAndGet(batch.readings.size());
        aggregatesWritten.addAndGet(batch.aggregates.size());
        batch.clear();
        return true;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                LOG.warn("Sink did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Properties consumerProperties(SinkConfig config) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxBatch());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }

    /** Before partitions move to another instance, write what was read from them, or drop it for replay. */
    private final class FlushOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!flushOnce()) {
                batch.clear();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }
}
