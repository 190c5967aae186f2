package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.reference.ReferenceData;
import org.soilobs.testkit.EmbeddedMqttBroker;
import org.soilobs.testkit.MqttCredentials;

/**
 * The simulator against a broker that, like production Mosquitto, wants each gateway to log in as
 * itself and lets it publish only to {@code soil/v1/<its id>/up} (HiveMQ with the testkit's security
 * extension).
 */
class GatewayCredentialsIT {

    private static final long SEED = 31;
    private static final int FIELDS = 6;
    private static final String PASSWORD = "demo-fleet-secret";
    private static final Fleet FLEET = Fleet.generate(SEED, FIELDS, ReferenceData.load());

    @TempDir
    static Path dir;
    private static EmbeddedMqttBroker broker;

    @BeforeAll
    static void start() {
        Map<String, String> gateways = new HashMap<>();
        FLEET.gateways().forEach(gateway -> gateways.put(gateway, PASSWORD));
        broker = EmbeddedMqttBroker.builder(dir.resolve("mqtt"))
                .security(MqttCredentials.of(gateways, Map.of("ingest", "ingest-secret"))).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void eachGatewayPublishesAsItselfAndTheBrokerAcknowledgesEveryMessage() throws Exception {
        Traffic traffic = new Traffic(FLEET, SEED, Instant.parse("2025-06-01T00:00:00Z"), Duration.ofMinutes(15), 2,
                FormatMix.parse("canonical:70,senml:30"), FaultRates.NONE, false);
        List<RawMessage> messages = new ArrayList<>();
        for (long r = 0; r < 4; r++) {
            messages.addAll(traffic.round(r, 4).messages());
        }
        assertThat(messages).extracting(RawMessage::gateway).containsAll(FLEET.gateways());
        try (PublisherPool pool = PublisherPool.connectPerGateway(broker.url(), "it-cred", FLEET.gateways(),
                PASSWORD)) {
            assertThat(pool.connections()).isEqualTo(FLEET.gateways().size());
            PublishResult result = pool.publish(messages);
            assertThat(result.refused()).as("messages the broker's ACL refused").isZero();
            assertThat(result.messages()).isEqualTo(messages.size());
            assertThat(result.readings()).isEqualTo(messages.stream().mapToLong(RawMessage::readingCount).sum());
            assertThat(pool.ackedMessages()).isEqualTo(messages.size());
        }
    }

    @Test
    void theSharedAnonymousConnectionIsRefusedByThisBroker() {
        assertThatThrownBy(() -> PublisherPool.connect(broker.url(), "it-cred-anonymous", 1))
                .isInstanceOfSatisfying(MqttException.class, e ->
                        assertThat(e.getReasonCode()).isEqualTo(GatewayConnectException.NOT_AUTHORIZED));
    }

    @Test
    void aWrongPasswordFailsNamingTheGatewayAndTheSetting() {
        assertThatThrownBy(() -> PublisherPool.connectPerGateway(broker.url(), "it-cred-wrong", FLEET.gateways(),
                "not-the-secret"))
                .isInstanceOfSatisfying(GatewayConnectException.class, e -> {
                    assertThat(e.getReasonCode()).isEqualTo(GatewayConnectException.BAD_USER_NAME_OR_PASSWORD);
                    assertThat(e.gateway()).isEqualTo(FLEET.gateways().get(0));
                    assertThat(e.getMessage()).contains(FLEET.gateways().get(0), "OBS_SIM_GATEWAY_PASSWORD");
                });
    }

    @Test
    void theAppBackfillsWithCredentialsAndExitsWithOneOnAWrongPassword() {
        Map<String, String> env = new HashMap<>(Map.of("OBS_MQTT_URL", broker.url(), "OBS_SIM_MODE", "backfill",
                "OBS_SIM_SEED", Long.toString(SEED), "OBS_SIM_FIELDS", Integer.toString(FIELDS),
                "OBS_SIM_FROM", "2025-06-01T00:00:00Z", "OBS_SIM_TO", "2025-06-01T02:00:00Z",
                "OBS_SIM_CLIENT_ID", "it-cred-app", "OBS_SIM_GATEWAY_PASSWORD", PASSWORD));
        assertThat(SimulatorApp.run(SimOptions.fromEnv(env))).isZero();

        env.put("OBS_SIM_GATEWAY_PASSWORD", "not-the-secret");
        assertThat(SimulatorApp.run(SimOptions.fromEnv(env))).isEqualTo(1);
    }
}
