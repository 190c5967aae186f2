package org.soilobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.SocketFactory;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.model.Sensor;
import org.soilobs.model.Topics;
import org.soilobs.testkit.EmbeddedKafka;
import org.soilobs.testkit.EmbeddedMqttBroker;
import org.soilobs.testkit.FreePorts;
import org.soilobs.testkit.MqttCredentials;
import org.soilobs.testkit.MqttTestClient;
import org.soilobs.testkit.TestCertificates;

/**
 * Per-gateway credentials and the ACL of DESIGN §3, end to end through ingest into Kafka, on both
 * brokers the observatory runs on: the embedded HiveMQ (security extension, TLS, ingest configured
 * from {@code OBS_*} variables with a trust store) and Debian's Mosquitto running
 * {@code deploy/mosquitto}'s configuration, ACL and password recipe ({@code mosquitto_passwd}).
 */
class MqttSecurityIT {

    private static final int NOT_AUTHORIZED = 0x87;
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final Path DEPLOY = Path.of("..", "deploy", "mosquitto").toAbsolutePath().normalize();

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static EmbeddedMqttBroker hivemq;
    static TestCertificates certificates;
    static MosquittoFromDeploy mosquitto;
    static IngestApp.Running hivemqIngest;
    static IngestApp.Running mosquittoIngest;

    /** One broker under test: where it is, how clients reach it, the ingest reading from it. */
    record Broker(String name, String url, SocketFactory sockets, int badPasswordCode, boolean refusesSubscriptions) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        kafka.createTopics(List.of(
                new NewTopic(Topics.SENSORS, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(Topics.READINGS_RAW, 4, (short) 1),
                new NewTopic(Topics.READINGS_REJECTED, 1, (short) 1)));
        KafkaTopics.register(kafka.bootstrapServers(), Map.of(
                "sec-a", new Sensor("sec-a", "gw-a", "field-a", "canonical"),
                "sec-b", new Sensor("sec-b", "gw-b", "field-b", "canonical")));

        certificates = TestCertificates.generate(dir.resolve("tls"));
        hivemq = EmbeddedMqttBroker.builder(dir.resolve("hivemq"))
                .security(MqttCredentials.of(Map.of("gw-a", "pw-a", "gw-b", "pw-b"), Map.of("ingest", "pw-i")))
                .tls(certificates.keyStore(), certificates.password())
                .start();
        Map<String, String> env = new HashMap<>();
        env.put("OBS_MQTT_URL", hivemq.url());
        env.put("OBS_MQTT_USERNAME", "ingest");
        env.put("OBS_MQTT_PASSWORD", "pw-i");
        env.put("OBS_MQTT_TRUSTSTORE", certificates.trustStore().toString());
        env.put("OBS_MQTT_TRUSTSTORE_PASSWORD", certificates.password());
        env.put("OBS_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("OBS_INGEST_CLIENT_ID", "ingest-sec-hivemq");
        hivemqIngest = IngestApp.start(IngestConfig.fromEnv(env));

        mosquitto = new MosquittoFromDeploy(dir.resolve("mosquitto"),
                Map.of("gw-a", "pw-a", "gw-b", "pw-b"), "ingest", "pw-i");
        mosquittoIngest = IngestApp.start(IngestConfig.of(mosquitto.url(), kafka.bootstrapServers())
                .withClientId("ingest-sec-mosquitto").withCredentials("ingest", "pw-i"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {mosquittoIngest, hivemqIngest, mosquitto, hivemq, kafka}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    static Stream<Arguments> brokers() {
        return Stream.of(
                Arguments.of(new Broker("embedded HiveMQ over TLS", hivemq.url(), certificates.clientSocketFactory(),
                        BAD_USER_NAME_OR_PASSWORD, true)),
                // Mosquitto 2.0 answers a wrong password with 0x87, and grants a subscription its ACL gives no
                // read access to, then delivers nothing on it.
                Arguments.of(new Broker("Mosquitto with deploy/mosquitto", mosquitto.url(), null, NOT_AUTHORIZED, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void aWrongPasswordIsRefused(Broker broker) {
        assertThatThrownBy(() -> MqttTestClient.connect(broker.url(), "wrong-" + broker.name().length(), "gw-a", "pw-b",
                broker.sockets()))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(broker.badPasswordCode()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void anAnonymousGatewayIsRefused(Broker broker) {
        assertThatThrownBy(() -> MqttTestClient.connect(broker.url(), "anon-" + broker.name().length(), null, null,
                broker.sockets()))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokers")
    void aGatewayPublishingAsAnotherGetsNotAuthorizedAndNothingReachesKafka(Broker broker) throws Exception {
        Instant forged = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(3600 + broker.name().length());
        Instant genuine = forged.plusMillis(1);
        try (MqttTestClient listener = MqttTestClient.connect(broker.url(), "sec-gw-a-sub", "gw-a", "pw-a", broker.sockets())) {
            int suback = listener.subscribe("soil/v1/+/up");
            if (broker.refusesSubscriptions()) {
                assertThat(suback).as("a gateway subscribes to nothing").isEqualTo(NOT_AUTHORIZED);
            }
            try (MqttTestClient gatewayA = MqttTestClient.connect(broker.url(), "sec-gw-a", "gw-a", "pw-a", broker.sockets())) {
                assertThat(gatewayA.publish("soil/v1/gw-b/up", batch("gw-b", "sec-b", forged))).isEqualTo(NOT_AUTHORIZED);
            }
            try (MqttTestClient gatewayB = MqttTestClient.connect(broker.url(), "sec-gw-b", "gw-b", "pw-b", broker.sockets())) {
                assertThat(gatewayB.publish("soil/v1/gw-b/up", batch("gw-b", "sec-b", genuine))).isEqualTo(MqttTestClient.SUCCESS);
            }

            // Same sensor, same key, same partition: the genuine reading was published after the forged one,
            // so once it is in the log the forged one would be too.
            List<ConsumerRecord<String, byte[]>> raw = KafkaTopics.readUntil(kafka.bootstrapServers(), Topics.READINGS_RAW,
                    records -> records.stream().anyMatch(r -> isAt(r, genuine)), PATIENCE);
            assertThat(raw).anyMatch(r -> isAt(r, genuine));
            assertThat(raw).noneMatch(r -> isAt(r, forged));
            List<ConsumerRecord<String, byte[]>> rejected = KafkaTopics.readUntil(kafka.bootstrapServers(),
                    Topics.READINGS_REJECTED, records -> false, Duration.ofSeconds(2));
            assertThat(rejected).noneMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains(
                    java.util.Base64.getEncoder().encodeToString(batch("gw-b", "sec-b", forged))));
            // The broker delivered gw-b's message to ingest before ingest forwarded it: a gateway's
            // subscription, had it been served, would hold it by now.
            assertThat(listener.next(0)).as("what gw-a's subscription received").isEmpty();
        }
    }

    private static byte[] batch(String gateway, String sensor, Instant time) {
        return ("{\"schema\":\"soil-readings/1\",\"gateway\":\"" + gateway + "\",\"seq\":1,\"readings\":["
                + "{\"sensor\":\"" + sensor + "\",\"time\":\"" + time + "\",\"quantity\":\"soc\",\"value\":1.5,\"unit\":\"%\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isAt(ConsumerRecord<String, byte[]> record, Instant time) {
        return new String(record.value(), StandardCharsets.UTF_8).contains("\"time\":\"" + time + "\"");
    }

    /**
     * Debian's Mosquitto on {@code deploy/mosquitto/mosquitto.conf} and {@code acl} as they are, with the
     * password file made by {@code make-passwd.sh}; only the port, the file locations and the user are
     * rewritten for a test machine.
     */
    static final class MosquittoFromDeploy implements AutoCloseable {

        private final int port = FreePorts.next();
        private final Process process;

        MosquittoFromDeploy(Path work, Map<String, String> gateways, String ingestUser, String ingestPassword)
                throws Exception {
            Files.createDirectories(work.resolve("data"));
            Path gatewaysFile = work.resolve("gateways");
            StringBuilder lines = new StringBuilder("# gateway id, password\n");
            gateways.forEach((id, password) -> lines.append(id).append(' ').append(password).append('\n'));
            Files.writeString(gatewaysFile, lines);
            Path passwd = work.resolve("passwd/passwd");
            ProcessBuilder recipe = new ProcessBuilder("/bin/sh", DEPLOY.resolve("make-passwd.sh").toString(),
                    passwd.toString()).redirectErrorStream(true).redirectOutput(work.resolve("make-passwd.log").toFile());
            recipe.environment().put("PATH", "/usr/bin:/usr/sbin:/bin:" + System.getenv().getOrDefault("PATH", ""));
            recipe.environment().put("MQTT_INGEST_USERNAME", ingestUser);
            recipe.environment().put("MQTT_INGEST_PASSWORD", ingestPassword);
            recipe.environment().put("MQTT_GATEWAYS_FILE", gatewaysFile.toString());
            recipe.environment().put("MQTT_FILE_OWNER", System.getProperty("user.name"));
            Process made = recipe.start();
            assertThat(made.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(made.exitValue()).as(Files.readString(work.resolve("make-passwd.log"))).isZero();
            assertThat(Files.readString(passwd)).doesNotContain("pw-a").contains("gw-a:$");

            String conf = Files.readString(DEPLOY.resolve("mosquitto.conf"), StandardCharsets.UTF_8)
                    .replace("listener 1883", "listener " + port + " 127.0.0.1")
                    .replace("/mosquitto/passwd/passwd", passwd.toString())
                    .replace("/mosquitto/config/acl", DEPLOY.resolve("acl").toString())
                    .replace("/mosquitto/data/", work.resolve("data") + "/")
                    .replace("log_dest stdout", "log_dest file " + work.resolve("mosquitto.log"))
                    // Started as root, Mosquitto would switch to user mosquitto, who cannot read the test's files.
                    + "\nuser " + System.getProperty("user.name") + "\n";
            assertThat(conf).contains("allow_anonymous false", "listener " + port);
            Path confFile = work.resolve("mosquitto.conf");
            Files.writeString(confFile, conf, StandardCharsets.UTF_8);
            process = new ProcessBuilder(ExternalProcesses.require("mosquitto").toString(), "-c", confFile.toString())
                    .redirectErrorStream(true).redirectOutput(work.resolve("stdout.log").toFile()).start();
            ExternalProcesses.awaitPort(port, Duration.ofSeconds(30));
        }

        String url() {
            return "tcp://127.0.0.1:" + port;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
