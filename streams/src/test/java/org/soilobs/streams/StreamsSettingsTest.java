package org.soilobs.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamsSettingsTest {

    @Test
    void defaultsToALocalSingleBrokerSetup() {
        StreamsSettings settings = StreamsSettings.fromEnv(Map.of());

        assertThat(settings.bootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(settings.appId()).isEqualTo("soilobs");
        assertThat(settings.stateDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "soilobs-streams"));
        assertThat(settings.grace()).isEqualTo(Duration.ofHours(6));
        assertThat(settings.dedupRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(settings.commitInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.threads()).isEqualTo(1);
        assertThat(settings.partitions()).isEqualTo(4);
        assertThat(settings.replication()).isEqualTo((short) 1);
    }

    @Test
    void readsEveryVariable() {
        StreamsSettings settings = StreamsSettings.fromEnv(Map.of(
                "OBS_KAFKA_BOOTSTRAP", "k1:9092,k2:9092",
                "OBS_STREAMS_APP_ID", "obs-eu",
                "OBS_STREAMS_STATE_DIR", "/var/lib/obs",
                "OBS_STREAMS_GRACE", "PT2H30M",
                "OBS_STREAMS_DEDUP_RETENTION", "P2D",
                "OBS_STREAMS_COMMIT_INTERVAL", "PT0.5S",
                "OBS_STREAMS_THREADS", "3",
                "OBS_TOPIC_PARTITIONS", "12",
                "OBS_TOPIC_REPLICATION", "3"));

        assertThat(settings).isEqualTo(new StreamsSettings("k1:9092,k2:9092", "obs-eu", Path.of("/var/lib/obs"),
                Duration.ofMinutes(150), Duration.ofDays(2), Duration.ofMillis(500), 3, 12, (short) 3));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "OBS_STREAMS_GRACE, 6h",
            "OBS_STREAMS_GRACE, -PT1H",
            "OBS_STREAMS_DEDUP_RETENTION, PT0S",
            "OBS_STREAMS_COMMIT_INTERVAL, PT0S",
            "OBS_STREAMS_THREADS, 0",
            "OBS_STREAMS_THREADS, two",
            "OBS_TOPIC_PARTITIONS, -1",
            "OBS_TOPIC_REPLICATION, 0",
            "OBS_TOPIC_REPLICATION, 40000",
            "OBS_STREAMS_APP_ID, soil obs",
            "OBS_STREAMS_APP_ID, soil/obs"})
    void rejectsAnUnusableValueNamingTheVariable(String variable, String value) {
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of(variable, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(variable);
    }

    @Test
    void givesEachJobItsOwnApplicationIdWithExactlyOnceProcessing() {
        StreamsSettings settings = StreamsSettings.fromEnv(Map.of("OBS_TOPIC_REPLICATION", "3", "OBS_STREAMS_THREADS", "2"));

        Properties properties = settings.toProperties("enrich");

        assertThat(properties)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "soilobs-enrich")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2")
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100L)
                .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2)
                .containsEntry("topic.min.insync.replicas", "2")
                .containsEntry(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 16L * 1024 * 1024)
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        // Streams itself must accept every value.
        assertThat(new StreamsConfig(properties).getString(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("soilobs-enrich");
    }

    @Test
    void showsEveryValueWhenLogged() {
        assertThat(StreamsSettings.fromEnv(Map.of()).toString())
                .contains("OBS_KAFKA_BOOTSTRAP=127.0.0.1:9092", "OBS_STREAMS_GRACE=PT6H", "OBS_TOPIC_REPLICATION=1");
    }
}
