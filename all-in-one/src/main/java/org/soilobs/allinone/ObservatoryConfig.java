package org.soilobs.allinone;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the one-JVM observatory runs against. An endpoint left unset ({@code OBS_MQTT_URL},
 * {@code OBS_KAFKA_BOOTSTRAP}, {@code OBS_DB_URL}) is replaced by an embedded server whose data lives
 * under {@code dataDir}.
 *
 * @param env the environment every component reads its own settings from
 * @param simulate whether the built-in fleet publishes live readings
 */
public record ObservatoryConfig(
        Map<String, String> env,
        Path dataDir,
        Optional<String> mqttUrl,
        Optional<String> kafkaBootstrap,
        Optional<String> dbUrl,
        int embeddedMqttPort,
        int embeddedKafkaPort,
        int embeddedPostgresPort,
        boolean simulate) {

    public ObservatoryConfig {
        env = Map.copyOf(env);
        for (int port : new int[] {embeddedMqttPort, embeddedKafkaPort, embeddedPostgresPort}) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("ports must be in 0..65535 (0 = any free port), was " + port);
            }
        }
    }

    public static ObservatoryConfig fromEnv(Map<String, String> env) {
        return new ObservatoryConfig(
                env,
                Path.of(env.getOrDefault("OBS_DATA_DIR", "var")).toAbsolutePath(),
                nonBlank(env.get("OBS_MQTT_URL")),
                nonBlank(env.get("OBS_KAFKA_BOOTSTRAP")),
                nonBlank(env.get("OBS_DB_URL")),
                Integer.parseInt(env.getOrDefault("OBS_EMBEDDED_MQTT_PORT", "1883")),
                Integer.parseInt(env.getOrDefault("OBS_EMBEDDED_KAFKA_PORT", "9092")),
                Integer.parseInt(env.getOrDefault("OBS_EMBEDDED_POSTGRES_PORT", "55432")),
                Boolean.parseBoolean(env.getOrDefault("OBS_SIMULATE", "true")));
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
