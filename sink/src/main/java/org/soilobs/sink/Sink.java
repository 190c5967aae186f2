package org.soilobs.sink;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
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
import org.soilobs.model.Progress;
import org.soilobs.model.Sensor;
import org.soilobs.model.Topics;
import org.soilobs.reference.ReferenceData;
import org.soilobs.storage.PartitionMaintenance;
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
    private static final Duration IN_FLIGHT_CHECK = Duration.ofMillis(10);
    /** How often native partitions are made ahead; a month is far away, the hour only bounds a missed run. */
    private static final Duration MAINTENANCE_INTERVAL = Duration.ofHours(1);

    private final SinkConfig config;
    private final BatchWriter writer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    /** The batch being filled by the consumer thread. */
    private Batch batch = new Batch();
    /** The batch being written on the writer thread, or null; its offsets are committed once it is written. */
    private Batch inFlight;
    private Future<?> writing;
    /** An emptied batch to fill next, so that two batches serve for ever. */
    private Batch spare = new Batch();
    /** Writes one batch while the consumer thread fetches and decodes the next: the two cores both work. */
    private final ExecutorService writerThread = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sink-writer");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong readingsWritten = new AtomicLong();
    private final AtomicLong aggregatesWritten = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final PartitionMaintenance maintenance;
    private final ScheduledExecutorService maintainer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sink-maintenance");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running = true;

    private Sink(SinkConfig config, DataSource dataSource) {
        this.config = config;
        this.writer = new BatchWriter(dataSource);
        this.maintenance = new PartitionMaintenance(dataSource, config.storage());
        this.consumer = new KafkaConsumer<>(consumerProperties(config));
        this.thread = new Thread(this::run, "sink");
    }

    /**
     * Makes reading partitions ahead (native layout), loads the reference areas, then starts consuming on a
     * thread of its own. The schema must be migrated ({@code Database.migrate}).
     */
    public static Sink start(SinkConfig config, DataSource dataSource) throws SQLException {
        LOG.info("Starting sink: {}", config);
        Sink sink = new Sink(config, dataSource);
        PartitionMaintenance.Outcome outcome = sink.maintenance.run();
        LOG.info("Reading partitions: {} made ahead, {} dropped by retention", outcome.created(), outcome.dropped());
        long began = System.nanoTime();
        int areas = ReferenceLoader.load(dataSource, ReferenceData.load());
        if (areas > 0) {
            LOG.info("Loaded {} reference areas in {} ms", areas, (System.nanoTime() - began) / 1_000_000);
        }
        sink.maintainer.scheduleWithFixedDelay(sink::maintain, MAINTENANCE_INTERVAL.toMinutes(),
                MAINTENANCE_INTERVAL.toMinutes(), TimeUnit.MINUTES);
        sink.thread.start();
        return sink;
    }

    private void maintain() {
        try {
            PartitionMaintenance.Outcome outcome = maintenance.run();
            if (outcome.created() > 0 || outcome.dropped() > 0) {
                LOG.info("Reading partitions: {} made ahead, {} dropped by retention", outcome.created(),
                        outcome.dropped());
            }
        } catch (SQLException e) {
            LOG.warn("Partition maintenance failed, will retry in {}: {}", MAINTENANCE_INTERVAL, e.getMessage());
        }
    }

    public long readingsWritten() {
        return readingsWritten.get();
    }

    public long aggregatesWritten() {
        return aggregatesWritten.get();
    }

    /** Database transactions that failed and were retried; each waits a back-off, so this grows slowly. */
    public long failedWrites() {
        return failedWrites.get();
    }

    /** Records that could not be decoded; they come from our own stages, so any is a bug to look at. */
    public long skipped() {
        return skipped.get();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.FIELDS, Topics.SENSORS, Topics.READINGS_CLEAN, Topics.AGGREGATES,
                    Topics.PROGRESS),
                    new FlushOnRevoke());
            long intervalNanos = config.flushInterval().toNanos();
            while (running) {
                // Wake up when the oldest record held is due, so that none waits longer than the interval.
                long waitNanos = batch.isEmpty() ? intervalNanos : Math.max(0, intervalNanos - batch.ageNanos());
                if (inFlight != null) {
                    // and look again soon, to commit the offsets of the batch being written once it is in
                    waitNanos = Math.min(waitNanos, IN_FLIGHT_CHECK.toNanos());
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofNanos(waitNanos));
                records.forEach(this::add);
                if (writing != null && writing.isDone()) {
                    settleInFlight();
                }
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
                if (settleOnce()) {
                    flushOnce();
                }
            } catch (RuntimeException e) {
                LOG.warn("Last flush at stop failed; its records will be replayed on restart: {}", e.getMessage());
            }
            writerThread.shutdown();
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
                case Topics.PROGRESS -> batch.progress.put(key(record),
                        record.value() == null ? null : Json.mapper().readValue(record.value(), Progress.class));
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

    /**
     * Hands the batch to the writer thread once the previous one is written and its offsets committed. A
     * failed write is retried with back-off while the database is away; consumption pauses meanwhile.
     */
    private void flushUntilWritten() {
        if (!settleInFlight()) {
            return;
        }
        Batch next = spare;
        inFlight = batch;
        batch = next;
        spare = null;
        Batch toWrite = inFlight;
        writing = writerThread.submit(() -> {
            writer.write(toWrite);
            return null;
        });
    }

    /** Waits for the batch in flight and commits its offsets, retrying its write with back-off; false when stopping. */
    private boolean settleInFlight() {
        boolean written = awaitWriting();
        Duration backoff = Duration.ofMillis(100);
        while (inFlight != null && !written) {
            if (!running) {
                return false;
            }
            consumer.pause(consumer.assignment());
            // Polling while paused keeps the group membership alive without fetching anything.
            consumer.poll(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            // A rebalance during that poll may have settled or dropped the batch already.
            written = inFlight == null || writeNow(inFlight);
        }
        consumer.resume(consumer.paused());
        committed();
        return true;
    }

    /** Settles the batch in flight with at most one more try; false when it had to be dropped for replay. */
    private boolean settleOnce() {
        if (inFlight == null) {
            return true;
        }
        if (awaitWriting() || writeNow(inFlight)) {
            committed();
            return true;
        }
        spare = inFlight;
        spare.clear();
        inFlight = null;
        return false;
    }

    /** Whether the write in flight (if any) succeeded. */
    private boolean awaitWriting() {
        if (inFlight == null || writing == null) {
            return inFlight == null;
        }
        Future<?> pending = writing;
        writing = null;
        try {
            pending.get();
            return true;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof SQLException)) {
                throw new IllegalStateException("writing a batch failed", e.getCause());
            }
            failedWrites.incrementAndGet();
            LOG.warn("Database write failed, will retry: {}", e.getCause().getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean writeNow(Batch toWrite) {
        try {
            writer.write(toWrite);
            return true;
        } catch (SQLException e) {
            failedWrites.incrementAndGet();
            LOG.warn("Database write failed, will retry: {}", e.getMessage());
            return false;
        }
    }

    /** The batch in flight is in the database: commit its offsets and recycle it. */
    private void committed() {
        if (inFlight == null) {
            return;
        }
        consumer.commitSync(inFlight.offsets);
        readingsWritten.addAndGet(inFlight.readings.size());
        aggregatesWritten.addAndGet(inFlight.aggregates.size());
        inFlight.clear();
        spare = inFlight;
        inFlight = null;
    }

    /** Writes the batch being filled on this thread; used at stop and on revocation, after the one in flight. */
    private boolean flushOnce() {
        if (batch.isEmpty()) {
            return true;
        }
        if (!writeNow(batch)) {
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
        maintainer.shutdownNow();
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
        config.instanceId().ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
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
            if (!settleOnce() || !flushOnce()) {
                batch.clear();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }
}
