package org.soilobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
                Duration.ofSeconds(10)));
    }

    @Test
    void masksThePasswordWhenPrinted() {
        IngestConfig config = IngestConfig.fromEnv(Map.of("OBS_MQTT_USERNAME", "ingest", "OBS_MQTT_PASSWORD", "s3cret"));

        assertThat(config.toString()).contains("mqttUsername=ingest", "mqttPassword=****").doesNotContain("s3cret");
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
}
