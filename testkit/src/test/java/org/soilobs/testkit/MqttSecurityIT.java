package org.soilobs.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker with its security extension, over TLS, against real Paho clients: credentials
 * are required and checked, and the ACL of DESIGN §3 holds.
 */
class MqttSecurityIT {

    private static final int NOT_AUTHORIZED = 0x87;
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int GRANTED_QOS_1 = 0x01;

    @TempDir
    static Path dir;

    static TestCertificates certificates;
    static EmbeddedMqttBroker broker;

    @BeforeAll
    static void start() {
        certificates = TestCertificates.generate(dir.resolve("tls"));
        Path file = dir.resolve("credentials");
        MqttCredentials.of(Map.of("gw-a", "secret-a", "gw-b", "secret-b"), Map.of("ingest", "secret-i")).write(file);
        broker = EmbeddedMqttBroker.builder(dir.resolve("mqtt"))
                .security(MqttCredentials.load(file))
                .tls(certificates.keyStore(), certificates.password())
                .start();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static MqttTestClient connect(String clientId, String username, String password) throws MqttException {
        return MqttTestClient.connect(broker.url(), clientId, username, password, certificates.clientSocketFactory());
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> connect("wrong", "gw-a", "secret-b"))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void anUnknownUserIsRefusedLikeAWrongPassword() {
        assertThatThrownBy(() -> connect("unknown", "gw-z", "secret-a"))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void anAnonymousClientIsRefused() {
        assertThatThrownBy(() -> connect("anonymous", null, null))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
    }

    @Test
    void aClientThatDoesNotTrustTheBrokersCertificateCannotConnect() {
        assertThatThrownBy(() -> MqttTestClient.connect(broker.url(), "untrusting", "gw-a", "secret-a", null))
                .isInstanceOf(MqttException.class);
    }

    @Test
    void aGatewayPublishesOnlyToItsOwnTopicAndSubscribesToNothing() throws Exception {
        try (MqttTestClient ingest = connect("ingest-acl", "ingest", "secret-i")) {
            assertThat(ingest.subscribe("$share/ingest/soil/v1/+/up")).isEqualTo(GRANTED_QOS_1);

            // HiveMQ CE answers PUBACK 0x87 and then disconnects the publisher (hard-wired in its
            // IncomingPublishService); each refusal therefore gets a connection of its own.
            for (String topic : new String[] {"soil/v1/gw-b/up", "soil/v1/gw-a/other", "soil/v1/gw-a/up/x"}) {
                try (MqttTestClient gatewayA = connect("gw-a-acl", "gw-a", "secret-a")) {
                    assertThat(gatewayA.publish(topic, bytes("as someone else"))).as(topic).isEqualTo(NOT_AUTHORIZED);
                }
            }
            try (MqttTestClient gatewayA = connect("gw-a-acl", "gw-a", "secret-a")) {
                assertThat(gatewayA.subscribe("soil/v1/+/up")).isEqualTo(NOT_AUTHORIZED);
                assertThat(gatewayA.subscribe("$share/ingest/soil/v1/+/up")).isEqualTo(NOT_AUTHORIZED);
                assertThat(gatewayA.publish("soil/v1/gw-a/up", bytes("own"))).isEqualTo(MqttTestClient.SUCCESS);
            }

            // Only the authorised message arrives, although the refused ones were published before it.
            MqttTestClient.Received first = ingest.next(30_000).orElseThrow();
            assertThat(first.topic()).isEqualTo("soil/v1/gw-a/up");
            assertThat(new String(first.payload(), StandardCharsets.UTF_8)).isEqualTo("own");
            assertThat(ingest.next(500)).isEmpty();
        }
    }

    @Test
    void ingestMayNotPublishNorSubscribeOutsideItsSharedSubscription() throws Exception {
        try (MqttTestClient ingest = connect("ingest-narrow", "ingest", "secret-i")) {
            assertThat(ingest.subscribe("soil/v1/+/up")).as("unshared").isEqualTo(NOT_AUTHORIZED);
            assertThat(ingest.subscribe("$share/other/soil/v1/+/up")).as("another group").isEqualTo(NOT_AUTHORIZED);
            assertThat(ingest.subscribe("#")).isEqualTo(NOT_AUTHORIZED);
            assertThat(ingest.publish("soil/v1/gw-a/up", bytes("forged"))).as("as a gateway").isEqualTo(NOT_AUTHORIZED);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
