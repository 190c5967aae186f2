package org.soilobs.ingest.registry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.soilobs.model.Json;
import org.soilobs.model.Sensor;
import org.soilobs.model.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link SensorRegistry} equal to the compacted topic {@link Topics#SENSORS}: one thread, a
 * consumer without group that is assigned every partition and reads from the beginning. Key = sensor id,
 * value = {@link Sensor} JSON, null value (tombstone) = removal.
 *
 * <p>{@link #awaitCaughtUp(Duration)} tells when everything that was in the topic at start has been
 * read: ingest waits for it before taking messages, so that a registered sensor is never rejected as
 * unknown just because ingest restarted. Partitions added to the topic later are not followed (the
 * registry topic's partition count is fixed at creation).
 */
public final class RegistryFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(5);

    private final String topic;
    private final SensorRegistry registry;
    private final Consumer<String, byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean started;

    /** Follows {@link Topics#SENSORS} on {@code bootstrapServers}. */
    public RegistryFollower(String bootstrapServers, String clientId, SensorRegistry registry) {
        this(Topics.SENSORS, consumerProperties(bootstrapServers, clientId), registry);
    }

    /** @param consumerProperties any consumer settings; deserializers, group and commits are set here */
    public RegistryFollower(String topic, Properties consumerProperties, SensorRegistry registry) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.registry = Objects.requireNonNull(registry, "registry");
        Properties props = new Properties();
        props.putAll(consumerProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Creating it here would give the registry a topic that is not compacted.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "ingest-registry-follower");
        this.thread.setDaemon(true);
    }

    public static Properties consumerProperties(String bootstrapServers, String clientId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return props;
    }

    public RegistryFollower start() {
        started = true;
        thread.start();
        return this;
    }

    /**
     * Waits until the registry holds everything the topic held when following started.
     *
     * @return false if that did not happen within {@code timeout}
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    @Override
    public void close() {
        running = false;
        if (!started) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions == null) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
            LOG.info("Following {} ({} partitions) into the sensor registry", topic, partitions.size());
            checkCaughtUp(ends);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                checkCaughtUp(ends);
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("Sensor registry follower woken up unexpectedly; the registry is no longer updated");
            }
        } catch (RuntimeException e) {
            LOG.error("Sensor registry follower stopped; the registry is no longer updated", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private List<TopicPartition> awaitPartitions() {
        long attempts = 0;
        while (running) {
            String missing;
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_WAIT);
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                }
                missing = "topic " + topic + " does not exist yet";
            } catch (TimeoutException e) {
                missing = "no answer from Kafka about " + topic + " (" + e.getMessage() + ")";
                // partitionsFor may return at once when the cluster is unreachable; do not spin.
                sleepQuietly(METADATA_WAIT);
            }
            if (attempts++ % 6 == 0) {
                LOG.warn("The sensor registry is waiting: {}", missing);
            }
        }
        return null;
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkCaughtUp(Map<TopicPartition, Long> ends) {
        if (ends.isEmpty()) {
            return;
        }
        ends.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
        if (ends.isEmpty()) {
            LOG.info("Sensor registry caught up with {}: {} sensors", topic, registry.size());
            caughtUp.countDown();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            LOG.warn("Ignoring {} record at {}-{}@{} without key", topic, record.topic(), record.partition(),
                    record.offset());
            return;
        }
        if (record.value() == null) {
            registry.remove(key);
            return;
        }
        Sensor sensor;
        try {
            sensor = Json.mapper().readValue(record.value(), Sensor.class);
        } catch (Exception e) {
            LOG.warn("Ignoring {} record for sensor {} at offset {}-{}: not a sensor ({})", topic, key,
                    record.partition(), record.offset(), e.getMessage());
            return;
        }
        if (!key.equals(sensor.id())) {
            LOG.warn("Ignoring {} record at {}-{}: key {} differs from the sensor id {}", topic, record.partition(),
                    record.offset(), key, sensor.id());
            return;
        }
        registry.put(sensor);
    }
}
