package org.soilobs.sink;

import java.time.Duration;
import java.util.Map;
import org.soilobs.storage.DbConfig;

/**
 * The sink's settings, from {@code OBS_*} environment variables.
 *
 * @param flushInterval the longest a record waits in memory before it is written (DESIGN §7: 250 ms)
 * @param maxBatch the most records written in one transaction
 */
public record SinkConfig(String kafkaBootstrap, String groupId, DbConfig db, Duration flushInterval, int maxBatch) {

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
    }

    public static SinkConfig fromEnv(Map<String, String> env) {
        return new SinkConfig(
                env.getOrDefault("OBS_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                env.getOrDefault("OBS_SINK_GROUP", "soilobs-sink"),
                DbConfig.fromEnv(env),
                Duration.parse(env.getOrDefault("OBS_SINK_FLUSH_INTERVAL", "PT0.25S")),
                Integer.parseInt(env.getOrDefault("OBS_SINK_MAX_BATCH", "5000")));
    }
}
