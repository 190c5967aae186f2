package org.soilobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soilobs.ingest.bridge.SourceType;

class IngestConfigTest {

    @Test
    void defaultsWhenNothingIsSet() {
        IngestConfig config = IngestConfig.fromEnv(Map.of());

        assertThat(config.mqttUrl()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(config.mqttUsername()).isNull();
        assertThat(config.mqttPassword()).isNull();
        assertThat(config.clientId()).isEqualTo("ingest-1");
        assertThat(config.receiveMaximum()).isEqualTo(1000);
        assertThat(config.sessionExpiry()).isEqualTo(Duration.ofHours(24));
        assertThat(config.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(config.maxPayloadBytes()).isEqualTo(262_144);
        assertThat(config.futureTolerance()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config).isEqualTo(IngestConfig.of("tcp://127.0.0.1:1883", "127.0.0.1:9092"));
    }

    @Test
    void readsEveryVariable() {
        IngestConfig config = IngestConfig.fromEnv(Map.ofEntries(
                Map.entry("OBS_MQTT_URL", "ssl://mqtt.example.org:8883"),
                Map.entry("OBS_MQTT_USERNAME", "ingest"),
                Map.entry("OBS_MQTT_PASSWORD", "s3cret"),
                Map.entry("OBS_INGEST_CLIENT_ID", "ingest-7"),
                Map.entry("OBS_INGEST_RECEIVE_MAXIMUM", "200"),
                Map.entry("OBS_INGEST_SESSION_EXPIRY", "PT2H"),
                Map.entry("OBS_KAFKA_BOOTSTRAP", "k1:9092,k2:9092"),
                Map.entry("OBS_INGEST_MAX_PAYLOAD_BYTES", "65536"),
                Map.entry("OBS_INGEST_FUTURE_TOLERANCE", "PT1M"),
                Map.entry("OBS_INGEST_SOURCE_NAME", "tts-eu1"),
                Map.entry("OBS_INGEST_STARTUP_TIMEOUT", "PT10S")));

        assertThat(config).isEqualTo(new IngestConfig("ssl://mqtt.example.org:8883", "ingest", "s3cret", "ingest-7", 200,
                Duration.ofHours(2), "k1:9092,k2:9092", 65_536, Duration.ofMinutes(1), "tts-eu1",
                Duration.ofSeconds(10), List.of()));
    }

    @Test
    void readsFurtherSourcesEachWithItsOwnConnection() {
        IngestConfig config = IngestConfig.fromEnv(Map.ofEntries(
                Map.entry("OBS_INGEST_CLIENT_ID", "ingest-7"),
                Map.entry("OBS_INGEST_SOURCES", "ttn, chirp-stack"),
                Map.entry("OBS_INGEST_SOURCE_TTN_TYPE", "ttn-v3"),
                Map.entry("OBS_INGEST_SOURCE_TTN_URL", "ssl://eu1.cloud.thethings.network:8883"),
                Map.entry("OBS_INGEST_SOURCE_TTN_USERNAME", "soil@ttn"),
                Map.entry("OBS_INGEST_SOURCE_TTN_PASSWORD", "NNSXS.secret"),
                Map.entry("OBS_INGEST_SOURCE_CHIRP_STACK_TYPE", "chirpstack-v4"),
                Map.entry("OBS_INGEST_SOURCE_CHIRP_STACK_URL", "tcp://chirpstack:1883"),
                Map.entry("OBS_INGEST_SOURCE_CHIRP_STACK_TOPIC", "application/17c82e96/device/+/event/up"),
                Map.entry("OBS_INGEST_SOURCE_CHIRP_STACK_CLIENT_ID", "ingest-cs-7")));

        assertThat(config.sources()).containsExactly(
                new MqttSource("observatory", SourceType.OBSERVATORY, "tcp://127.0.0.1:1883", "soil/v1/+/up", null, null,
                        "ingest-7"),
                new MqttSource("ttn", SourceType.TTN_V3, "ssl://eu1.cloud.thethings.network:8883", "v3/+/devices/+/up",
                        "soil@ttn", "NNSXS.secret", "ingest-7-ttn"),
                new MqttSource("chirp-stack", SourceType.CHIRPSTACK_V4, "tcp://chirpstack:1883",
                        "application/17c82e96/device/+/event/up", null, null, "ingest-cs-7"));
        assertThat(config.toString()).contains("password=****").doesNotContain("NNSXS.secret");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "OBS_INGEST_SOURCE_TTN_TYPE | OBS_INGEST_SOURCES=ttn",
        "unknown source type        | OBS_INGEST_SOURCES=ttn; OBS_INGEST_SOURCE_TTN_TYPE=helium; OBS_INGEST_SOURCE_TTN_URL=tcp://h:1883",
        "URL                        | OBS_INGEST_SOURCES=ttn; OBS_INGEST_SOURCE_TTN_TYPE=ttn-v3",
        "twice                      | OBS_INGEST_SOURCES=observatory; OBS_INGEST_SOURCE_OBSERVATORY_TYPE=observatory; OBS_INGEST_SOURCE_OBSERVATORY_URL=tcp://h:1883",
        "client id                  | OBS_INGEST_SOURCES=a,b; OBS_INGEST_SOURCE_A_TYPE=ttn-v3; OBS_INGEST_SOURCE_A_URL=tcp://h:1883; OBS_INGEST_SOURCE_A_CLIENT_ID=x; OBS_INGEST_SOURCE_B_TYPE=ttn-v3; OBS_INGEST_SOURCE_B_URL=tcp://h:1883; OBS_INGEST_SOURCE_B_CLIENT_ID=x",
        "source name                | OBS_INGEST_SOURCES=TTN!; OBS_INGEST_SOURCE_TTN!_TYPE=ttn-v3; OBS_INGEST_SOURCE_TTN!_URL=tcp://h:1883",
    })
    void rejectsAnIncompleteOrCollidingSource(String expected, String variables) {
        Map<String, String> env = new HashMap<>();
        for (String variable : variables.split(";")) {
            String[] pair = variable.strip().split("=", 2);
            env.put(pair[0], pair[1]);
        }

        assertThatThrownBy(() -> IngestConfig.fromEnv(env)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "OBS_MQTT_URL | http://broker:1883",
        "OBS_MQTT_URL | not a url",
        "OBS_MQTT_URL | tcp://",
        "OBS_INGEST_RECEIVE_MAXIMUM | 0",
        "OBS_INGEST_RECEIVE_MAXIMUM | 65536",
        "OBS_INGEST_RECEIVE_MAXIMUM | lots",
        "OBS_INGEST_SESSION_EXPIRY | PT0S",
        "OBS_INGEST_SESSION_EXPIRY | 24h",
        "OBS_INGEST_MAX_PAYLOAD_BYTES | 1000",
        "OBS_INGEST_MAX_PAYLOAD_BYTES | 1048576",
        "OBS_INGEST_FUTURE_TOLERANCE | -PT1M",
        "OBS_INGEST_STARTUP_TIMEOUT | PT0S",
        "OBS_MQTT_TRUSTSTORE | /no/such/truststore.p12",
    })
    void rejectsInvalidValuesNamingTheVariable(String variable, String value) {
        Map<String, String> env = Map.of(variable, value);

        assertThatThrownBy(() -> IngestConfig.fromEnv(env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(variable);
    }

    @Test
    void blankVariablesMeanTheDefault() {
        assertThat(IngestConfig.fromEnv(Map.of("OBS_INGEST_RECEIVE_MAXIMUM", " ", "OBS_MQTT_PASSWORD", "")))
                .isEqualTo(IngestConfig.fromEnv(Map.of()));
    }

    @Test
    void readsTrustStoresForTheBrokerAndEachSourceAndMasksTheirPasswords(@TempDir Path dir) throws Exception {
        Path store = Files.createFile(dir.resolve("trust.p12"));
        Map<String, String> env = new HashMap<>();
        env.put("OBS_MQTT_URL", "ssl://mqtt.example.org:8883");
        env.put("OBS_MQTT_TRUSTSTORE", store.toString());
        env.put("OBS_MQTT_TRUSTSTORE_PASSWORD", "s3cret");
        env.put("OBS_INGEST_SOURCES", "ttn");
        env.put("OBS_INGEST_SOURCE_TTN_TYPE", "ttn-v3");
        env.put("OBS_INGEST_SOURCE_TTN_URL", "ssl://eu1.cloud.thethings.network:8883");
        env.put("OBS_INGEST_SOURCE_TTN_TRUSTSTORE", store.toString());

        IngestConfig config = IngestConfig.fromEnv(env);

        assertThat(config.sources().get(0).tls()).isEqualTo(new MqttTls(store, "s3cret"));
        assertThat(config.sources().get(1).tls()).isEqualTo(new MqttTls(store, null));
        assertThat(config.toString()).contains("trust.p12").doesNotContain("s3cret");
    }
}
