package org.soilobs.sink;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.soilobs.storage.DbConfig;
import org.soilobs.storage.StorageConfig;

/**
 * The sink's settings, from {@code OBS_*} environment variables.
 *
 * @param flushInterval the longest a record waits in memory before it is written (DESIGN §7: 250 ms)
 * @param maxBatch the most records written in one transaction
 * @param storage the schema's layout and upkeep (TimescaleDB or native partitions, retention)
 * @param instanceId this instance's static group membership ({@code group.instance.id}): a restarted instance
 *        then takes its partitions back at once instead of waiting for the session of its dead self to time
 *        out; empty for dynamic membership
 */
public record SinkConfig(String kafkaBootstrap, String groupId, DbConfig db, Duration flushInterval, int maxBatch,
        StorageConfig storage, Optional<String> instanceId) {

    public SinkConfig {
        if (kafkaBootstrap == null || kafkaBootstrap.isBlank()) {
            throw new IllegalArgumentException("OBS_KAFKA_BOOTSTRAP must not be blank");
        }
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("OBS_SINK_GROUP must not be blank");
        }
        if (flushInterval.isNegative() || flushInterval.isZero() || flushInterval.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("OBS_SINK_FLUSH_INTERVAL must be in (0, 10 s], was " + flushInterval);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("OBS_SINK_MAX_BATCH must be positive, was " + maxBatch);
        }
        if (storage == null) {
            throw new IllegalArgumentException("storage settings must be given");
        }
        instanceId = instanceId == null ? Optional.empty() : instanceId.filter(id -> !id.isBlank());
    }

    /** With the default storage settings ({@link StorageConfig#defaults()}). */
    public SinkConfig(String kafkaBootstrap, String groupId, DbConfig db, Duration flushInterval, int maxBatch) {
        this(kafkaBootstrap, groupId, db, flushInterval, maxBatch, StorageConfig.defaults(), Optional.empty());
    }

    public static SinkConfig fromEnv(Map<String, String> env) {
        return new SinkConfig(
                env.getOrDefault("OBS_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                env.getOrDefault("OBS_SINK_GROUP", "soilobs-sink"),
                DbConfig.fromEnv(env),
                Duration.parse(env.getOrDefault("OBS_SINK_FLUSH_INTERVAL", "PT0.25S")),
                Integer.parseInt(env.getOrDefault("OBS_SINK_MAX_BATCH", "5000")),
                StorageConfig.fromEnv(env),
                Optional.ofNullable(env.get("OBS_SINK_INSTANCE_ID")));
    }
}
