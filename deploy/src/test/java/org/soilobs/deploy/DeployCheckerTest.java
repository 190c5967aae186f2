package org.soilobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The checker fails, and says why, on deploy files with mistakes (src/test/resources/broken/). */
class DeployCheckerTest {

    static final Path BROKEN = Path.of("src/test/resources/broken").toAbsolutePath();

    static CodeFacts code;

    @BeforeAll
    static void readCode() {
        code = CodeFacts.read(DeployFilesMatchCodeTest.ROOT);
    }

    @Test
    void findsEveryMistakeInABrokenComposeFile() {
        List<String> problems = DeployChecker.check(code, ComposeReader.read(BROKEN.resolve("compose/compose.yaml")));
        String report = DeployChecker.report(problems);
        assertThat(report).contains(
                "service ingest-2: env file env/missing.env does not exist",
                "service sim: mounts ./sim/fleet.csv, which does not exist",
                "Kafka 3.9.0, but the apps are built with Kafka clients " + code.kafkaVersion(),
                "ingest-1 and ingest-2 share OBS_INGEST_CLIENT_ID=ingest-1",
                "service streams: runs image ghcr.io/soilobs/streams:0.0.9, but the build makes "
                        + "ghcr.io/soilobs/streams:" + code.projectVersion(),
                "service streams: sets OBS_STREAMS_TREADS, which streams does not read",
                "service streams: OBS_TOPIC_PARTITIONS=6",
                "service api: OBS_DB_URL points at database, which is no service of this deployment",
                "service api: does not set OBS_API_HOST; observatory-api's default 127.0.0.1",
                "service api: health check talks to port 8080, but observatory-api listens on [9090]",
                "service sink: overrides the image's entrypoint",
                "service sink: passes arguments [--fast], but org.soilobs.sink.SinkApp takes none",
                "service sink: sets OBS_DB_URL=jdbc:postgresql://127.0.0.1:5432/observatory, which only reaches",
                "service sim: runs image ghcr.io/soilobs/simulator:1, which no module builds",
                "acl (mosquitto): grants ingest no read on soil/v1/+/up, which ingest subscribes to",
                "service ingest-1: sets OBS_INGEST_SOURCE_TTN_URL, but TTN is not listed in OBS_INGEST_SOURCES",
                "creates topic soil.reading.raw, which is no constant of org.soilobs.model.Topics",
                "topic soil.sensors (Topics.SENSORS) is not created",
                "soil.aggregates has cleanup.policy delete, but TopicBootstrap compacts it",
                "wants 3 replicas, but there are 1 Kafka brokers",
                "upstream api:8080: sends to port 8080 of api, but observatory-api listens on [9090]",
                "upstream apu:8080 is no service of the compose file",
                "service sink: OBS_DB_PASSWORD differs from POSTGRES_PASSWORD of timescaledb");
    }

    @Test
    void findsEveryMistakeInBrokenKubernetesManifests() {
        List<String> problems = DeployChecker.check(code, KubernetesReader.read(BROKEN.resolve("k8s/kustomization.yaml")));
        String report = DeployChecker.report(problems);
        assertThat(report).contains(
                "resource missing.yaml does not exist",
                "Deployment ingest container ingest: envFrom configMapRef missing-config is in no manifest",
                "runs image ghcr.io/soilobs/ingest:0.0.1, but the build makes ghcr.io/soilobs/ingest:"
                        + code.projectVersion(),
                "OBS_INGEST_CLIENT_ID is the pod's name, which changes with every restart of a Deployment",
                "OBS_MQTT_URL points at mosquitto, which is no service",
                "OBS_KAFKA_BOOTSTRAP points at port 9093 of soilobs-kafka-bootstrap, which serves [9092]",
                "Deployment api container api: declares port 8081, but observatory-api listens on [8080]",
                "Deployment api container api: health check talks to port 8081",
                "Deployment api container api: runs as user 1000, but the image is built for user 65532",
                "Service api: sends to port 8081 of api, but observatory-api listens on [8080]",
                "OBS_DB_PASSWORD refers to key password of Secret db, which no manifest holds",
                "sink: up to 20 instances × 1 threads consume topics of 2 partitions",
                "streams: up to 1 instances × 4 threads consume topics of 2 partitions",
                "StatefulSet streams container streams: overrides the image's entrypoint",
                "topic soil.readings.clean (Topics.READINGS_CLEAN) is not created in [KafkaTopic]");
    }

    @Test
    void readsDefaultsThroughConstantsAndFamiliesOfVariables() {
        CodeFacts.App ingest = code.apps().get("ingest");
        assertThat(ingest.variables().get("OBS_INGEST_CLIENT_ID").defaultValue()).isEqualTo("ingest-1");
        assertThat(ingest.variables().get("OBS_MQTT_USERNAME").defaulted()).isFalse();
        assertThat(ingest.reads("OBS_INGEST_SOURCE_CHIRPSTACK_URL")).isTrue();
        assertThat(ingest.reads("OBS_INGEST_SOURCE_CHIRPSTACK_HOST")).isFalse();
        assertThat(ingest.reads("OBS_API_PORT")).isFalse();
        assertThat(code.apps().get("observatory-api").variables().get("OBS_API_HOST").loopbackDefault()).isTrue();
    }

    @Test
    void ignoresVariableNamesInComments() {
        String source = """
                // OBS_IN_A_COMMENT is documented here
                /** {@code "OBS_IN_JAVADOC"} */
                String url = env.getOrDefault("OBS_REAL", "tcp://127.0.0.1:1883"); // a URL keeps its //
                """;
        String stripped = JavaSources.stripComments(source);
        assertThat(stripped).doesNotContain("OBS_IN_A_COMMENT", "OBS_IN_JAVADOC").contains("tcp://127.0.0.1:1883");
    }
}
