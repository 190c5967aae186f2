package org.soilobs.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Configuration of the streams jobs, read from {@code OBS_*} environment variables (see the module
 * README). Nothing here is secret, so {@link #toString()} shows every value.
 *
 * @param bootstrap Kafka bootstrap servers ({@code OBS_KAFKA_BOOTSTRAP})
 * @param appId prefix of each job's application id, and so of its internal topics ({@code OBS_STREAMS_APP_ID})
 * @param stateDir where local state lives ({@code OBS_STREAMS_STATE_DIR}); a fixed directory so that a
 *     restart reuses it instead of restoring everything from the changelogs
 * @param grace how long after a bucket ends a late reading may still change it ({@code OBS_STREAMS_GRACE})
 * @param dedupRetention how long a reading's identity is remembered to drop redeliveries
 *     ({@code OBS_STREAMS_DEDUP_RETENTION})
 * @param commitInterval how often each job commits its transaction ({@code OBS_STREAMS_COMMIT_INTERVAL}):
 *     what a job writes becomes visible to {@code read_committed} readers only then, and updates of one
 *     aggregate within it coalesce in the record cache into one
 * @param threads stream threads per job ({@code OBS_STREAMS_THREADS})
 * @param partitions partitions of the pipeline topics created at start ({@code OBS_TOPIC_PARTITIONS})
 * @param replication replication factor of pipeline and internal topics ({@code OBS_TOPIC_REPLICATION})
 */
public record StreamsSettings(
        String bootstrap,
        String appId,
        Path stateDir,
        Duration grace,
        Duration dedupRetention,
        Duration commitInterval,
        int threads,
        int partitions,
        short replication) {

    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    public static final String DEFAULT_APP_ID = "soilobs";
    public static final Duration DEFAULT_GRACE = Duration.ofHours(6);

    /** Per job: enough to absorb a commit interval of updates at demo load without starving the heap. */
    static final long CACHE_MAX_BYTES = 16L * 1024 * 1024;
    /** Two jobs in a row, each adding up to one interval, stay well inside the 1 s freshness aim (DESIGN §10). */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);

    /** Application ids prefix topic names, so they keep to the characters a topic name allows. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public StreamsSettings {
        requireName(appId, "OBS_STREAMS_APP_ID");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("OBS_KAFKA_BOOTSTRAP must not be blank");
        }
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("OBS_STREAMS_GRACE must not be negative, was " + grace);
        }
        Objects.requireNonNull(dedupRetention, "dedupRetention");
        if (dedupRetention.isNegative() || dedupRetention.isZero()) {
            throw new IllegalArgumentException("OBS_STREAMS_DEDUP_RETENTION must be positive, was " + dedupRetention);
        }
        Objects.requireNonNull(commitInterval, "commitInterval");
        if (commitInterval.toMillis() < 1) {
            throw new IllegalArgumentException("OBS_STREAMS_COMMIT_INTERVAL must be at least 1 ms, was " + commitInterval);
        }
        requirePositive(threads, "OBS_STREAMS_THREADS");
        requirePositive(partitions, "OBS_TOPIC_PARTITIONS");
        requirePositive(replication, "OBS_TOPIC_REPLICATION");
    }

    public static StreamsSettings defaults() {
        return fromEnv(Map.of());
    }

    public static StreamsSettings fromEnv() {
        return fromEnv(System.getenv());
    }

    public static StreamsSettings fromEnv(Map<String, String> env) {
        return new StreamsSettings(
                get(env, "OBS_KAFKA_BOOTSTRAP", DEFAULT_BOOTSTRAP, Function.identity()),
                get(env, "OBS_STREAMS_APP_ID", DEFAULT_APP_ID, Function.identity()),
                get(env, "OBS_STREAMS_STATE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "soilobs-streams"), Path::of),
                get(env, "OBS_STREAMS_GRACE", DEFAULT_GRACE, Duration::parse),
                get(env, "OBS_STREAMS_DEDUP_RETENTION", EnrichReadings.DEFAULT_DEDUP_RETENTION, Duration::parse),
                get(env, "OBS_STREAMS_COMMIT_INTERVAL", DEFAULT_COMMIT_INTERVAL, Duration::parse),
                get(env, "OBS_STREAMS_THREADS", 1, Integer::parseInt),
                get(env, "OBS_TOPIC_PARTITIONS", 4, Integer::parseInt),
                get(env, "OBS_TOPIC_REPLICATION", (short) 1, Short::parseShort));
    }

    /** Streams properties of one job; its application id is {@code <appId>-<job>}. */
    public Properties toProperties(String job) {
        requireName(job, "job name");
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, appId + "-" + job);
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs());
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication);
        properties.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                String.valueOf(TopicBootstrap.minInSyncReplicas(replication)));
        properties.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, CACHE_MAX_BYTES);
        // Opts in to what becomes the default in Streams 5.0 (named by string: the constant is deprecated).
        properties.put("processing.exception.handler.global.enabled", true);
        return properties;
    }

    public long commitIntervalMs() {
        return commitInterval.toMillis();
    }

    @Override
    public String toString() {
        return "OBS_KAFKA_BOOTSTRAP=" + bootstrap
                + " OBS_STREAMS_APP_ID=" + appId
                + " OBS_STREAMS_STATE_DIR=" + stateDir
                + " OBS_STREAMS_GRACE=" + grace
                + " OBS_STREAMS_DEDUP_RETENTION=" + dedupRetention
                + " OBS_STREAMS_COMMIT_INTERVAL=" + commitInterval
                + " OBS_STREAMS_THREADS=" + threads
                + " OBS_TOPIC_PARTITIONS=" + partitions
                + " OBS_TOPIC_REPLICATION=" + replication;
    }

    private static <T> T get(Map<String, String> env, String name, T fallback, Function<String, T> parse) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return parse.apply(raw.strip());
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(name + " cannot be read from \"" + raw + "\": " + e.getMessage(), e);
        }
    }

    private static void requireName(String value, String what) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must consist of letters, digits, '.', '_' and '-', was " + value);
        }
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }
}
