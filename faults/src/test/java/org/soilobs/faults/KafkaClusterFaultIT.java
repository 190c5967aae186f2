package org.soilobs.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.soilobs.model.Topics;
import org.soilobs.testkit.EmbeddedKafkaCluster;
import org.soilobs.testkit.EmbeddedMqttBroker;

/**
 * The observatory on a three-node Kafka cluster configured like production (replication factor 3,
 * {@code min.insync.replicas=2}): one broker is lost while gateways publish, and DESIGN §2's oracle
 * holds — nothing acknowledged is lost, nothing counted twice — on the two that remain.
 */
class KafkaClusterFaultIT {

    private static EmbeddedKafkaCluster cluster;
    private static EmbeddedMqttBroker mqtt;
    private static FaultRun run;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("faults-cluster");
        cluster = EmbeddedKafkaCluster.start(dir.resolve("kafka"), 3);
        mqtt = EmbeddedMqttBroker.start(dir.resolve("mqtt"));
        run = FaultRun.start(dir.resolve("observatory"), mqtt.url(), cluster.bootstrapServers(), Map.of(
                "OBS_TOPIC_REPLICATION", "3",
                "OBS_EMBEDDED_POSTGRES_PORT", "0"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {run, mqtt, cluster}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // Still stop the others.
            }
        }
    }

    @Test
    void losingOneOfThreeBrokersUnderLoadLosesNothingAndCountsNothingTwice() throws Exception {
        assertReplicatedThreeTimes(Topics.READINGS_RAW);
        assertReplicatedThreeTimes(Topics.READINGS_CLEAN);

        // The controller quorum and every partition keep a majority and two in-sync replicas without node 2.
        run.phase("kafka-cluster-loses-a-broker", () -> cluster.stop(2));

        run.phase("kafka-cluster-on-two-brokers", () -> TimeUnit.SECONDS.sleep(1));
    }

    private static void assertReplicatedThreeTimes(String topic) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            TopicDescription description = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic);
            assertThat(description.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            String minIsr = admin.describeConfigs(java.util.List.of(resource)).all().get().get(resource)
                    .get("min.insync.replicas").value();
            assertThat(minIsr).isEqualTo("2");
        }
    }
}
