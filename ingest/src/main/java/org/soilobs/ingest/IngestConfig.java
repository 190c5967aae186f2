package org.soilobs.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.soilobs.ingest.bridge.GatewayTopic;
import org.soilobs.ingest.bridge.SourceType;
import org.soilobs.ingest.decode.CanonicalDecoder;
import org.soilobs.ingest.decode.PayloadDecoding;

/**
 * Everything ingest needs to run, read from {@code OBS_*} environment variables (see the module's
 * README for the table).
 *
 * @param mqttUrl the broker, {@code tcp://host:port} (or {@code ssl://}, {@code ws://}, {@code wss://})
 * @param mqttUsername null for none
 * @param mqttPassword null for none; never printed
 * @param clientId fixed per instance: the broker keeps this client's session (and its unacknowledged
 *     messages) across restarts under it
 * @param receiveMaximum how many QoS 1 messages the broker may have in flight to this client: the
 *     bound on ingest's work in progress (back-pressure)
 * @param sessionExpiry how long the broker keeps the session (and queues for it) while ingest is away
 * @param maxPayloadBytes larger messages are rejected unparsed; capped so that a rejected message still
 *     fits into one Kafka record as base64
 * @param futureTolerance how far ahead of its receipt a reading's time may be
 * @param sourceName names this MQTT source in dead letters
 * @param startupTimeout how long start-up waits for the sensor registry and the first MQTT connection
 * @param extraSources further MQTT sources (LoRaWAN network servers, …), each its own connection, besides
 *     the observatory broker above
 * @param mqttTls the trust store for an {@code ssl://} observatory broker; null for the JVM's default trust
 */
public record IngestConfig(
        String mqttUrl,
        String mqttUsername,
        String mqttPassword,
        String clientId,
        int receiveMaximum,
        Duration sessionExpiry,
        String kafkaBootstrap,
        int maxPayloadBytes,
        Duration futureTolerance,
        String sourceName,
        Duration startupTimeout,
        List<MqttSource> extraSources,
        MqttTls mqttTls) {

    public static final String DEFAULT_MQTT_URL = "tcp://127.0.0.1:1883";
    public static final String DEFAULT_CLIENT_ID = "ingest-1";
    public static final int DEFAULT_RECEIVE_MAXIMUM = 1000;
    public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofHours(24);
    public static final String DEFAULT_KAFKA_BOOTSTRAP = "127.0.0.1:9092";
    public static final String DEFAULT_SOURCE_NAME = "observatory";
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /** Base64 of this many bytes plus the dead letter's other fields stays under Kafka's 1 MiB record limit. */
    public static final int MAX_PAYLOAD_BYTES_CEILING = 512 * 1024;

    // MQTT 5 session expiry is an unsigned 32-bit count of seconds; 0xFFFFFFFF means "never".
    private static final long MAX_SESSION_EXPIRY_SECONDS = 0xFFFF_FFFEL;

    /** Trusting the JVM's default certificates. */
    public IngestConfig(String mqttUrl, String mqttUsername, String mqttPassword, String clientId, int receiveMaximum,
            Duration sessionExpiry, String kafkaBootstrap, int maxPayloadBytes, Duration futureTolerance,
            String sourceName, Duration startupTimeout, List<MqttSource> extraSources) {
        this(mqttUrl, mqttUsername, mqttPassword, clientId, receiveMaximum, sessionExpiry, kafkaBootstrap,
                maxPayloadBytes, futureTolerance, sourceName, startupTimeout, extraSources, null);
    }

    public IngestConfig {
        MqttSource.requireUrl(mqttUrl, "OBS_MQTT_URL");
        if (mqttUsername != null && mqttUsername.isEmpty()) {
            mqttUsername = null;
        }
        if (mqttPassword != null && mqttPassword.isEmpty()) {
            mqttPassword = null;
        }
        requireText(clientId, "OBS_INGEST_CLIENT_ID");
        if (receiveMaximum < 1 || receiveMaximum > 65_535) {
            throw new IllegalArgumentException("OBS_INGEST_RECEIVE_MAXIMUM must be in 1..65535, was " + receiveMaximum);
        }
        Objects.requireNonNull(sessionExpiry, "sessionExpiry");
        if (sessionExpiry.getSeconds() < 1 || sessionExpiry.getSeconds() > MAX_SESSION_EXPIRY_SECONDS) {
            throw new IllegalArgumentException("OBS_INGEST_SESSION_EXPIRY must be at least PT1S (a session that expires "
                    + "on disconnect loses messages) and at most " + MAX_SESSION_EXPIRY_SECONDS + " s, was "
                    + sessionExpiry);
        }
        requireText(kafkaBootstrap, "OBS_KAFKA_BOOTSTRAP");
        if (maxPayloadBytes < 1024 || maxPayloadBytes > MAX_PAYLOAD_BYTES_CEILING) {
            throw new IllegalArgumentException("OBS_INGEST_MAX_PAYLOAD_BYTES must be in 1024.."
                    + MAX_PAYLOAD_BYTES_CEILING + ", was " + maxPayloadBytes);
        }
        Objects.requireNonNull(futureTolerance, "futureTolerance");
        if (futureTolerance.isNegative()) {
            throw new IllegalArgumentException("OBS_INGEST_FUTURE_TOLERANCE must not be negative, was "
                    + futureTolerance);
        }
        requireText(sourceName, "OBS_INGEST_SOURCE_NAME");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("OBS_INGEST_STARTUP_TIMEOUT must be positive, was " + startupTimeout);
        }
        // Fails here, not at start, on a source name unfit for metrics and dead letters.
        new MqttSource(sourceName, SourceType.OBSERVATORY, mqttUrl, GatewayTopic.FILTER, null, null, clientId);
        extraSources = List.copyOf(extraSources);
        Set<String> names = new HashSet<>();
        Set<String> clientIds = new HashSet<>();
        names.add(sourceName);
        clientIds.add(clientId + "@" + mqttUrl);
        for (MqttSource source : extraSources) {
            if (!names.add(source.name())) {
                throw new IllegalArgumentException("OBS_INGEST_SOURCES names source " + source.name() + " twice (or "
                        + "as OBS_INGEST_SOURCE_NAME)");
            }
            if (!clientIds.add(source.clientId() + "@" + source.url())) {
                throw new IllegalArgumentException("source " + source.name() + " uses client id " + source.clientId()
                        + " on " + source.url() + " like another source: one session would take over the other");
            }
        }
    }

    /** Every default, talking to the given broker and Kafka: handy for tests and the all-in-one launcher. */
    public static IngestConfig of(String mqttUrl, String kafkaBootstrap) {
        return new IngestConfig(mqttUrl, null, null, DEFAULT_CLIENT_ID, DEFAULT_RECEIVE_MAXIMUM,
                DEFAULT_SESSION_EXPIRY, kafkaBootstrap, PayloadDecoding.DEFAULT_MAX_PAYLOAD_BYTES,
                CanonicalDecoder.DEFAULT_FUTURE_TOLERANCE, DEFAULT_SOURCE_NAME, DEFAULT_STARTUP_TIMEOUT, List.of());
    }

    public static IngestConfig fromEnv() {
        return fromEnv(System.getenv());
    }

    public static IngestConfig fromEnv(Map<String, String> env) {
        String clientId = get(env, "OBS_INGEST_CLIENT_ID", DEFAULT_CLIENT_ID, Function.identity());
        return new IngestConfig(
                get(env, "OBS_MQTT_URL", DEFAULT_MQTT_URL, Function.identity()),
                get(env, "OBS_MQTT_USERNAME", null, Function.identity()),
                get(env, "OBS_MQTT_PASSWORD", null, Function.identity()),
                clientId,
                get(env, "OBS_INGEST_RECEIVE_MAXIMUM", DEFAULT_RECEIVE_MAXIMUM, Integer::valueOf),
                get(env, "OBS_INGEST_SESSION_EXPIRY", DEFAULT_SESSION_EXPIRY, Duration::parse),
                get(env, "OBS_KAFKA_BOOTSTRAP", DEFAULT_KAFKA_BOOTSTRAP, Function.identity()),
                get(env, "OBS_INGEST_MAX_PAYLOAD_BYTES", PayloadDecoding.DEFAULT_MAX_PAYLOAD_BYTES, Integer::valueOf),
                get(env, "OBS_INGEST_FUTURE_TOLERANCE", CanonicalDecoder.DEFAULT_FUTURE_TOLERANCE, Duration::parse),
                get(env, "OBS_INGEST_SOURCE_NAME", DEFAULT_SOURCE_NAME, Function.identity()),
                get(env, "OBS_INGEST_STARTUP_TIMEOUT", DEFAULT_STARTUP_TIMEOUT, Duration::parse),
                extraSources(env, clientId),
                tls(env, "OBS_MQTT_TRUSTSTORE"));
    }

    // OBS_INGEST_SOURCES=ttn,chirpstack, then OBS_INGEST_SOURCE_TTN_TYPE, _URL, _TOPIC, _USERNAME, _PASSWORD,
    // _CLIENT_ID for each.
    private static List<MqttSource> extraSources(Map<String, String> env, String clientId) {
        String listed = env.get("OBS_INGEST_SOURCES");
        if (listed == null || listed.isBlank()) {
            return List.of();
        }
        List<MqttSource> sources = new ArrayList<>();
        for (String raw : listed.split(",")) {
            String name = raw.strip();
            if (name.isEmpty()) {
                continue;
            }
            String prefix = "OBS_INGEST_SOURCE_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
            String typeName = env.get(prefix + "TYPE");
            if (typeName == null || typeName.isBlank()) {
                throw new IllegalArgumentException(prefix + "TYPE must name the source's type (observatory, ttn-v3, "
                        + "chirpstack-v4)");
            }
            SourceType type = SourceType.byId(typeName);
            sources.add(new MqttSource(name, type,
                    get(env, prefix + "URL", null, Function.identity()),
                    get(env, prefix + "TOPIC", type.defaultFilter(), Function.identity()),
                    get(env, prefix + "USERNAME", null, Function.identity()),
                    get(env, prefix + "PASSWORD", null, Function.identity()),
                    get(env, prefix + "CLIENT_ID", clientId + "-" + name, Function.identity()),
                    tls(env, prefix + "TRUSTSTORE")));
        }
        return sources;
    }

    // A trust store file and its password (variable + "_PASSWORD"); none means the JVM's default trust.
    private static MqttTls tls(Map<String, String> env, String variable) {
        String path = env.get(variable);
        if (path == null || path.isBlank()) {
            return null;
        }
        try {
            return new MqttTls(Path.of(path.strip()), env.get(variable + "_PASSWORD"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + ": " + e.getMessage());
        }
    }

    /** Every source: the observatory broker first, then {@link #extraSources()}. */
    public List<MqttSource> sources() {
        List<MqttSource> all = new ArrayList<>(1 + extraSources.size());
        all.add(new MqttSource(sourceName, SourceType.OBSERVATORY, mqttUrl, GatewayTopic.FILTER, mqttUsername,
                mqttPassword, clientId, mqttTls));
        all.addAll(extraSources);
        return all;
    }

    public IngestConfig withClientId(String otherClientId) {
        return new IngestConfig(mqttUrl, mqttUsername, mqttPassword, otherClientId, receiveMaximum, sessionExpiry,
                kafkaBootstrap, maxPayloadBytes, futureTolerance, sourceName, startupTimeout, extraSources, mqttTls);
    }

    public IngestConfig withExtraSources(List<MqttSource> sources) {
        return new IngestConfig(mqttUrl, mqttUsername, mqttPassword, clientId, receiveMaximum, sessionExpiry,
                kafkaBootstrap, maxPayloadBytes, futureTolerance, sourceName, startupTimeout, sources, mqttTls);
    }

    public IngestConfig withCredentials(String username, String password) {
        return new IngestConfig(mqttUrl, username, password, clientId, receiveMaximum, sessionExpiry,
                kafkaBootstrap, maxPayloadBytes, futureTolerance, sourceName, startupTimeout, extraSources, mqttTls);
    }

    /** The settings as logged at start, the password masked. */
    @Override
    public String toString() {
        return "IngestConfig[mqttUrl=" + mqttUrl
                + ", mqttUsername=" + (mqttUsername == null ? "(none)" : mqttUsername)
                + ", mqttPassword=" + (mqttPassword == null ? "(none)" : "****")
                + ", clientId=" + clientId
                + ", receiveMaximum=" + receiveMaximum
                + ", sessionExpiry=" + sessionExpiry
                + ", kafkaBootstrap=" + kafkaBootstrap
                + ", maxPayloadBytes=" + maxPayloadBytes
                + ", futureTolerance=" + futureTolerance
                + ", sourceName=" + sourceName
                + ", startupTimeout=" + startupTimeout
                + ", extraSources=" + extraSources
                + ", mqttTls=" + (mqttTls == null ? "(JVM default trust)" : mqttTls) + "]";
    }

    private static <T> T get(Map<String, String> env, String name, T fallback, Function<String, T> parse) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return parse.apply(raw.strip());
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(name + " cannot be read: " + raw.strip()
                    + (fallback instanceof Duration ? " (expected an ISO 8601 duration such as PT24H)" : ""));
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
